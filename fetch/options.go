package fetch

import "context"

// ReferrerPolicy is a request's referrer policy
// (https://w3c.github.io/webappsec-referrer-policy/#referrer-policies).
// The empty policy means the document's, which is the profile's default
// (strict-origin-when-cross-origin in every engine).
type ReferrerPolicy string

const (
	ReferrerNoReferrer                  ReferrerPolicy = "no-referrer"
	ReferrerNoReferrerWhenDowngrade     ReferrerPolicy = "no-referrer-when-downgrade"
	ReferrerSameOrigin                  ReferrerPolicy = "same-origin"
	ReferrerOrigin                      ReferrerPolicy = "origin"
	ReferrerStrictOrigin                ReferrerPolicy = "strict-origin"
	ReferrerOriginWhenCrossOrigin       ReferrerPolicy = "origin-when-cross-origin"
	ReferrerStrictOriginWhenCrossOrigin ReferrerPolicy = "strict-origin-when-cross-origin"
	ReferrerUnsafeURL                   ReferrerPolicy = "unsafe-url"
)

func (p ReferrerPolicy) valid() bool {
	switch p {
	case ReferrerNoReferrer, ReferrerNoReferrerWhenDowngrade, ReferrerSameOrigin, ReferrerOrigin,
		ReferrerStrictOrigin, ReferrerOriginWhenCrossOrigin, ReferrerStrictOriginWhenCrossOrigin, ReferrerUnsafeURL:
		return true
	}
	return false
}

// RequestOptions are the fetch() init members a crawler sets per request,
// through the request's context (see [WithRequestOptions]). A zero field
// takes the EnforcingTransport's default for it, and a zero default takes
// fetch()'s (mode cors, credentials same-origin, redirect follow, the
// document's referrer policy).
type RequestOptions struct {
	Mode           Mode
	Credentials    Credentials
	Redirect       RedirectMode
	ReferrerPolicy ReferrerPolicy
}

type requestOptionsKey struct{}

// WithRequestOptions returns a context that makes an EnforcingTransport
// fetch a request made with it as fetch(url, {mode, credentials, redirect,
// referrerPolicy}) would:
//
//	ctx := fetch.WithRequestOptions(ctx, fetch.RequestOptions{Credentials: fetch.CredentialsInclude})
//	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
func WithRequestOptions(ctx context.Context, o RequestOptions) context.Context {
	return context.WithValue(ctx, requestOptionsKey{}, o)
}

// RequestOptionsFrom returns the options WithRequestOptions stored in ctx.
func RequestOptionsFrom(ctx context.Context) (RequestOptions, bool) {
	o, ok := ctx.Value(requestOptionsKey{}).(RequestOptions)
	return o, ok
}

// or returns o's fields, each replaced by def's where it is zero.
func (o RequestOptions) or(def RequestOptions) RequestOptions {
	if o.Mode == "" {
		o.Mode = def.Mode
	}
	if o.Credentials == "" {
		o.Credentials = def.Credentials
	}
	if o.Redirect == "" {
		o.Redirect = def.Redirect
	}
	if o.ReferrerPolicy == "" {
		o.ReferrerPolicy = def.ReferrerPolicy
	}
	return o
}
