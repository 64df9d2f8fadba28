package corstest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/safelist"
)

// Policy is what a developer means their server's CORS to allow. Everything
// it does not allow is forbidden: script at any other origin must not read
// responses, and, when ProtectWrites is set, unsafe requests from other
// origins must not reach the handler.
type Policy struct {
	// Origins are the origins whose script may read responses, serialized
	// exactly as browsers send them in `Origin` ("https://app.example",
	// lower case, no path, no default port).
	Origins []string
	// Methods are the methods allowed besides the CORS-safelisted GET, HEAD
	// and POST, as script passes them ("PUT", "DELETE").
	Methods []string
	// Headers are the request headers script may set besides the
	// CORS-safelisted ones ("X-Token", "Content-Type" for JSON bodies).
	Headers []string
	// Credentials allows credentialed requests (cookies, HTTP
	// authentication): credentials "include" from an allowed origin.
	Credentials bool
	// ExposedHeaders are the response headers script may read besides the
	// CORS-safelisted response headers.
	ExposedHeaders []string
	// MaxAge is how long browsers should cache a preflight; 0 states
	// nothing.
	MaxAge time.Duration
	// ProtectWrites says unsafe requests (any method but GET, HEAD, OPTIONS)
	// from origins the policy does not allow must not reach the handler,
	// as with http.CrossOriginProtection or a CSRF check. Without it such a
	// request reaching the handler is reported as a note, not a mismatch:
	// CORS alone never stops a simple POST from being sent.
	ProtectWrites bool
}

// Validate reports every problem with the policy, joined.
func (p Policy) Validate() error {
	var errs []error
	for i, o := range p.Origins {
		if _, err := parseOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("corstest: Policy.Origins[%d]: %w", i, err))
		}
	}
	for i, m := range p.Methods {
		if !httpheader.IsToken(m) {
			errs = append(errs, fmt.Errorf("corstest: Policy.Methods[%d]: %q is not a method token", i, m))
		} else if safelist.IsForbiddenMethod(m) {
			errs = append(errs, fmt.Errorf("corstest: Policy.Methods[%d]: %q is a forbidden method script cannot use", i, m))
		}
	}
	for i, h := range p.Headers {
		if !httpheader.IsToken(h) {
			errs = append(errs, fmt.Errorf("corstest: Policy.Headers[%d]: %q is not a header name", i, h))
		}
	}
	for i, h := range p.ExposedHeaders {
		if !httpheader.IsToken(h) {
			errs = append(errs, fmt.Errorf("corstest: Policy.ExposedHeaders[%d]: %q is not a header name", i, h))
		}
	}
	if p.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("corstest: Policy.MaxAge %v is negative", p.MaxAge))
	}
	return errors.Join(errs...)
}

// parseOrigin accepts a serialized origin as a browser sends it, and says
// what to write instead when the text is not one: a browser lower-cases the
// scheme and host and drops a default port, so a server configured with
// "https://App.example" never sees that string.
func parseOrigin(s string) (origin.Origin, error) {
	if s == "null" {
		return origin.Origin{}, errors.New(`"null" is not an origin a policy can name: every opaque origin (sandboxed frames, file: URLs, data: URLs) sends it, so trusting it trusts them all`)
	}
	o, err := origin.Parse(s)
	if err == nil {
		return o, nil
	}
	if c, cerr := origin.FromURLString(s); cerr == nil && !c.IsOpaque() && c.String() != s {
		return origin.Origin{}, fmt.Errorf("%q is not what browsers send; they send %q", s, c.String())
	}
	return origin.Origin{}, err
}

// allows reports what the policy says of one request.
func (p Policy) allowsOrigin(o string) bool {
	for _, a := range p.Origins {
		if a == o {
			return true
		}
	}
	return false
}

func (p Policy) allowsMethod(m string) bool {
	if safelist.IsCORSSafelistedMethod(m) {
		return true
	}
	for _, a := range p.Methods {
		if a == m {
			return true
		}
	}
	return false
}

// allowsHeaders reports whether every CORS-unsafe header of h is listed.
func (p Policy) allowsHeaders(h http.Header) bool {
	for _, name := range safelist.CORSUnsafeRequestHeaderNames(h) {
		if !containsFold(p.Headers, name) {
			return false
		}
	}
	return true
}

// exposes reports whether script may read the response header name.
func (p Policy) exposes(name string) bool {
	return safelist.IsCORSSafelistedResponseHeaderName(name, nil) || containsFold(p.ExposedHeaders, name)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
