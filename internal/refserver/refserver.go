// Package refserver is a small CORS middleware for corsim's own tests: correct by default, with a switch for each misconfiguration the audit looks for.
package refserver

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Match says how the server compares the request's Origin with its list.
type Match uint8

const (
	MatchExact     Match = iota // byte-for-byte, the only correct way
	MatchReflect                // any origin is echoed back
	MatchSuffix                 // strings.HasSuffix(origin, host)
	MatchPrefix                 // strings.HasPrefix(origin, allowed)
	MatchRegexp                 // regexp built from the origin without escaping dots
	MatchSubdomain              // the origin or any subdomain of its parent
	MatchAnyScheme              // host and port compared, scheme ignored
)

// Config is the server's CORS configuration.
type Config struct {
	Origins     []string
	Methods     []string
	Headers     []string
	Credentials bool
	Expose      []string
	MaxAge      int // seconds; 0 sends no Access-Control-Max-Age

	// Mistakes.
	Match              Match
	TrustNull          bool // allow the "null" origin
	NoVary             bool // omit Vary: Origin
	AnyMethod          bool // echo Access-Control-Request-Method
	AnyHeader          bool // echo Access-Control-Request-Headers
	AuthBeforeCORS     bool // answer requests without Authorization 401, preflights included
	WildcardOrigin     bool // Access-Control-Allow-Origin: * (with Credentials: also true)
	WildcardHeaders    bool // Access-Control-Allow-Headers: *
	PreflightForbidden bool // answer preflights 403
	DefaultOrigin      bool // without Origin, answer as if the first origin asked

	// PreflightFailStatus answers a preflight the configuration refuses
	// with this status (github.com/jub0bs/cors answers 403); 0 means 204
	// without CORS headers. Not a mistake.
	PreflightFailStatus int
}

func (c Config) allowed(o string) bool {
	if o == "" {
		return false
	}
	if o == "null" {
		return c.TrustNull
	}
	for _, a := range c.Origins {
		host := a[strings.Index(a, "://")+3:]
		switch c.Match {
		case MatchExact:
			if o == a {
				return true
			}
		case MatchReflect:
			return true
		case MatchSuffix:
			if strings.HasSuffix(o, host) {
				return true
			}
		case MatchPrefix:
			if strings.HasPrefix(o, a) {
				return true
			}
		case MatchRegexp:
			if regexp.MustCompile("^" + a + "$").MatchString(o) {
				return true
			}
		case MatchSubdomain:
			parent := host[strings.IndexByte(host, '.')+1:]
			if o == a || strings.HasSuffix(o, "."+parent) && strings.HasPrefix(o, a[:strings.Index(a, "://")+3]) {
				return true
			}
		case MatchAnyScheme:
			if i := strings.Index(o, "://"); i >= 0 && o[i+3:] == host {
				return true
			}
		}
	}
	return false
}

// Wrap returns next behind the CORS middleware.
func (c Config) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		o := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if !c.NoVary && !c.WildcardOrigin {
			h.Add("Vary", "Origin")
			if preflight {
				h.Add("Vary", "Access-Control-Request-Method")
				h.Add("Vary", "Access-Control-Request-Headers")
			}
		}
		if c.AuthBeforeCORS && r.Header.Get("Authorization") == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if o == "" && c.DefaultOrigin && len(c.Origins) > 0 {
			o = c.Origins[0]
		}
		ok := c.allowed(o) || c.WildcardOrigin
		if ok {
			if c.WildcardOrigin {
				h.Set("Access-Control-Allow-Origin", "*")
			} else {
				h.Set("Access-Control-Allow-Origin", o)
			}
			if c.Credentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
		}
		if preflight {
			if c.PreflightForbidden {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			if !ok || !c.approves(r) {
				if c.PreflightFailStatus != 0 {
					for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"} {
						h.Del(k)
					}
					w.WriteHeader(c.PreflightFailStatus)
					return
				}
			}
			if ok {
				if c.AnyMethod {
					h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
				} else if len(c.Methods) > 0 {
					h.Set("Access-Control-Allow-Methods", strings.Join(c.Methods, ", "))
				}
				switch {
				case c.WildcardHeaders:
					h.Set("Access-Control-Allow-Headers", "*")
				case c.AnyHeader:
					if v := r.Header.Get("Access-Control-Request-Headers"); v != "" {
						h.Set("Access-Control-Allow-Headers", v)
					}
				case len(c.Headers) > 0:
					h.Set("Access-Control-Allow-Headers", strings.Join(c.Headers, ", "))
				}
				if c.MaxAge > 0 {
					h.Set("Access-Control-Max-Age", strconv.Itoa(c.MaxAge))
				}
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if ok && len(c.Expose) > 0 {
			h.Set("Access-Control-Expose-Headers", strings.Join(c.Expose, ", "))
		}
		next.ServeHTTP(w, r)
	})
}

// approves reports whether the configuration allows the preflight's method
// and headers (only PreflightFailStatus looks: otherwise the browser
// decides from the lists sent).
func (c Config) approves(r *http.Request) bool {
	m := r.Header.Get("Access-Control-Request-Method")
	if !c.AnyMethod && m != "GET" && m != "HEAD" && m != "POST" && !slices.Contains(c.Methods, m) {
		return false
	}
	if c.AnyHeader || c.WildcardHeaders {
		return true
	}
	for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		name = strings.TrimSpace(name)
		if name != "" && !slices.ContainsFunc(c.Headers, func(h string) bool { return strings.EqualFold(h, name) }) {
			return false
		}
	}
	return true
}
