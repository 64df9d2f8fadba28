package safelist

import "github.com/corsim/corsim/internal/httpheader"

// chromiumAnyValueNames are the names Chromium's IsCorsSafelistedHeader
// (services/network/public/cpp/cors/cors.cc) safelists with any value of at
// most 128 bytes: "intervention" and the Sec-CH-* client hints. The Sec-CH-*
// names are forbidden request-header names (the "sec-" prefix), so scripts
// cannot set them; they matter only for headers the user agent adds.
var chromiumAnyValueNames = [...]string{
	"intervention",
	"sec-ch-ua",
	"sec-ch-ua-arch",
	"sec-ch-ua-platform",
	"sec-ch-ua-model",
	"sec-ch-ua-mobile",
	"sec-ch-ua-full-version",
	"sec-ch-ua-platform-version",
	"sec-ch-prefers-color-scheme",
	"sec-ch-ua-bitness",
	"sec-ch-viewport-height",
	"sec-ch-device-memory",
	"sec-ch-dpr",
	"sec-ch-width",
	"sec-ch-viewport-width",
	"sec-ch-ua-full-version-list",
	"sec-ch-ua-wow64",
	"sec-ch-prefers-reduced-motion",
	"sec-ch-ua-form-factors",
	"sec-ch-prefers-reduced-transparency",
}

// chromiumECTValues is kWebEffectiveConnectionTypeMapping
// (services/network/public/cpp/client_hints.cc) without duplicates; cors.cc
// compares the value with it byte-exactly.
var chromiumECTValues = [...]string{"slow-2g", "2g", "3g", "4g"}

// isChromiumExtraSafelistedHeader reports whether Chromium safelists (name,
// value) beyond Fetch's five names, following the branches of cors.cc
// IsCorsSafelistedHeader after its 128-byte check.
func isChromiumExtraSafelistedHeader(name, value string) bool {
	switch {
	case httpheader.EqualFoldASCII(name, "device-memory"),
		httpheader.EqualFoldASCII(name, "dpr"),
		httpheader.EqualFoldASCII(name, "downlink"):
		return isSimilarToDoubleABNF(value)
	case httpheader.EqualFoldASCII(name, "width"),
		httpheader.EqualFoldASCII(name, "viewport-width"),
		httpheader.EqualFoldASCII(name, "rtt"):
		return isSimilarToIntABNF(value)
	case httpheader.EqualFoldASCII(name, "ect"):
		for _, v := range chromiumECTValues {
			if value == v {
				return true
			}
		}
		return false
	case httpheader.EqualFoldASCII(name, "save-data"):
		// cors.cc compares the lower-cased value with "on".
		return httpheader.EqualFoldASCII(value, "on")
	}
	for _, n := range chromiumAnyValueNames {
		if httpheader.EqualFoldASCII(name, n) {
			return true
		}
	}
	return false
}

// isSimilarToIntABNF follows cors.cc IsSimilarToIntABNF: 1*DIGIT.
func isSimilarToIntABNF(value string) bool {
	if value == "" {
		return false
	}
	for i := 0; i < len(value); i++ {
		if value[i] < '0' || value[i] > '9' {
			return false
		}
	}
	return true
}

// isSimilarToDoubleABNF follows cors.cc IsSimilarToDoubleABNF:
// 1*DIGIT [ "." 1*DIGIT ].
func isSimilarToDoubleABNF(value string) bool {
	if value == "" || value[0] < '0' || value[0] > '9' {
		return false
	}
	periodFound, digitAfterPeriod := false, false
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case '0' <= c && c <= '9':
			if periodFound {
				digitAfterPeriod = true
			}
		case c == '.' && !periodFound:
			periodFound = true
		default:
			return false
		}
	}
	return !periodFound || digitAfterPeriod
}
