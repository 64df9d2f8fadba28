package fetch

import (
	"net/http"
	"strings"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
)

// maxReferrerBytes is the longest referrer URL sent in full; a longer one
// is cut to its origin (Referrer Policy §8.3, step 6).
const maxReferrerBytes = 4096

// referrer is a request's referrer: none, or a URL already stripped for use
// as a referrer.
type referrer struct {
	url       string // "" for no referrer
	origin    origin.Origin
	originURL string // the origin followed by "/": url stripped to its origin
}

// documentReferrer is the request's referrer "client": the document's URL,
// stripped for use as a referrer (Referrer Policy §8.4). A URL of a local
// scheme (about:blank) gives none.
func documentReferrer(docURL string) referrer {
	u, err := weburl.Parse(docURL)
	if err != nil || !u.IsHTTPScheme() {
		return referrer{}
	}
	o := u.Origin()
	return referrer{url: u.WithoutCredentials().StringWithoutFragment(), origin: o, originURL: o.String() + "/"}
}

// determineReferrer is "determine request's referrer"
// (https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer)
// for a request to a URL whose origin is curOrigin, under policy.
func determineReferrer(policy ReferrerPolicy, src referrer, curOrigin origin.Origin) referrer {
	if src.url == "" {
		return src
	}
	// Steps 3-6: the full URL and the origin-only URL (built only when
	// returned).
	full := src
	if len(full.url) > maxReferrerBytes {
		full = stripToOrigin(src)
	}
	downgrade := src.origin.IsPotentiallyTrustworthy() && !curOrigin.IsPotentiallyTrustworthy()
	sameOrigin := src.origin.SameOrigin(curOrigin)
	// Step 8.
	switch policy {
	case ReferrerNoReferrer:
		return referrer{}
	case ReferrerOrigin:
		return stripToOrigin(src)
	case ReferrerUnsafeURL:
		return full
	case ReferrerStrictOrigin:
		if downgrade {
			return referrer{}
		}
		return stripToOrigin(src)
	case ReferrerSameOrigin:
		if sameOrigin {
			return full
		}
		return referrer{}
	case ReferrerOriginWhenCrossOrigin:
		if sameOrigin {
			return full
		}
		return stripToOrigin(src)
	case ReferrerNoReferrerWhenDowngrade:
		if downgrade {
			return referrer{}
		}
		return full
	default: // strict-origin-when-cross-origin
		if sameOrigin {
			return full
		}
		if downgrade {
			return referrer{}
		}
		return stripToOrigin(src)
	}
}

// stripToOrigin is "strip url for use as a referrer" with the origin-only
// flag set; the string was built once, for the document.
func stripToOrigin(r referrer) referrer {
	r.url = r.originURL
	return r
}

// policyFromHeader parses a `Referrer-Policy` response header
// (Referrer Policy §8.1): the last token that is a policy wins; "" when
// none is.
func policyFromHeader(h http.Header) ReferrerPolicy {
	var out ReferrerPolicy
	for _, line := range h.Values("Referrer-Policy") {
		for _, tok := range strings.Split(line, ",") {
			p := ReferrerPolicy(strings.Trim(tok, " \t"))
			if p.valid() {
				out = p
			}
		}
	}
	return out
}
