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
	url    string // "" for no referrer
	origin origin.Origin
}

// documentReferrer is the request's referrer "client": the document's URL,
// stripped for use as a referrer (Referrer Policy §8.4). A URL of a local
// scheme (about:blank) gives none.
func documentReferrer(docURL string) referrer {
	u, err := weburl.Parse(docURL)
	if err != nil || !u.IsHTTPScheme() {
		return referrer{}
	}
	return referrer{url: u.WithoutCredentials().StringWithoutFragment(), origin: u.Origin()}
}

// determineReferrer is "determine request's referrer"
// (https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer)
// for a request to cur under policy.
func determineReferrer(policy ReferrerPolicy, src referrer, cur *weburl.URL) referrer {
	if src.url == "" {
		return src
	}
	// Steps 3-6: the full URL and the origin-only URL.
	full := referrer{url: src.url, origin: src.origin}
	originOnly := referrer{url: src.origin.String() + "/", origin: src.origin}
	if len(full.url) > maxReferrerBytes {
		full = originOnly
	}
	curOrigin := cur.Origin()
	downgrade := src.origin.IsPotentiallyTrustworthy() && !curOrigin.IsPotentiallyTrustworthy()
	sameOrigin := src.origin.SameOrigin(curOrigin)
	// Step 8.
	switch policy {
	case ReferrerNoReferrer:
		return referrer{}
	case ReferrerOrigin:
		return originOnly
	case ReferrerUnsafeURL:
		return full
	case ReferrerStrictOrigin:
		if downgrade {
			return referrer{}
		}
		return originOnly
	case ReferrerSameOrigin:
		if sameOrigin {
			return full
		}
		return referrer{}
	case ReferrerOriginWhenCrossOrigin:
		if sameOrigin {
			return full
		}
		return originOnly
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
		return originOnly
	}
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
