package enforce

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

func TestCheckPreflight(t *testing.T) {
	const origin = "http://a.test"
	allowAll := func(extra ...string) http.Header {
		return hdr(append([]string{"Access-Control-Allow-Origin", origin}, extra...)...)
	}
	put := PreflightRequest{Method: "PUT", Origin: origin}
	putFoo := PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"x-foo"}, Origin: origin}
	tests := []struct {
		name   string
		policy PreflightPolicy
		req    PreflightRequest
		resp   PreflightResponse
		want   Reason // "" = allowed
		param  string
	}{
		{"exact_method_and_header_pass", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")}, "", ""},
		{"method_match_is_case_sensitive", PreflightPolicy{Browser: Chromium}, PreflightRequest{Method: "PATCH", Origin: origin},
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "patch")}, MethodDisallowedByPreflightResponse, "PATCH"},
		{"header_match_is_case_insensitive", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-FOO")}, "", ""},
		{"missing_allow_methods_blocks_put", PreflightPolicy{Browser: Chromium}, put,
			PreflightResponse{Status: 204, Header: allowAll()}, MethodDisallowedByPreflightResponse, "PUT"},
		{"wildcard_method_without_credentials_passes", PreflightPolicy{Browser: Chromium}, put,
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "*")}, "", ""},
		{"wildcard_method_with_credentials_is_literal", PreflightPolicy{Browser: Chromium}, PreflightRequest{Method: "DELETE", Origin: origin, IncludeCredentials: true},
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Methods", "*")}, MethodDisallowedByPreflightResponse, "DELETE"},
		{"wildcard_header_with_credentials_is_literal", PreflightPolicy{Browser: Chromium}, PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"x-foo"}, Origin: origin, IncludeCredentials: true},
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*")}, HeaderDisallowedByPreflightResponse, "x-foo"},
		{"invalid_token_in_allow_methods", PreflightPolicy{Browser: Chromium}, put,
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT, (bad)")}, InvalidAllowMethodsPreflightResponse, "PUT, (bad)"},
		{"invalid_token_in_allow_headers", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo;")}, InvalidAllowHeadersPreflightResponse, "X-Foo;"},
		{"chromium_reports_missing_origin_before_status", PreflightPolicy{Browser: Chromium}, put,
			PreflightResponse{Status: 404, Header: http.Header{}}, PreflightMissingAllowOriginHeader, ""},
		{"webkit_reports_status_before_origin", PreflightPolicy{Browser: WebKit, StatusBeforeCORSCheck: true}, put,
			PreflightResponse{Status: 404, Header: http.Header{}}, PreflightInvalidStatus, ""},
		{"non_ok_status_fails", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 400, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")}, PreflightInvalidStatus, ""},
		{"redirect_is_disallowed", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 307, Redirect: true, Header: allowAll("Location", "http://c.test/r")}, PreflightDisallowedRedirect, ""},
		{"trailing_slash_origin_is_a_preflight_mismatch", PreflightPolicy{Browser: Chromium}, putFoo,
			PreflightResponse{Status: 204, Header: hdr("Access-Control-Allow-Origin", origin+"/")}, PreflightAllowOriginMismatch, origin + "/"},
		{"authorization_under_wildcard_chromium_allows", PreflightPolicy{Browser: Chromium, WildcardCoversAuthorization: true},
			PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"authorization", "x-foo"}, Origin: origin},
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*")}, "", ""},
		{"authorization_under_wildcard_spec_blocks", PreflightPolicy{Browser: Spec},
			PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"authorization", "x-foo"}, Origin: origin},
			PreflightResponse{Status: 204, Header: allowAll("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*")}, HeaderDisallowedByPreflightResponse, "authorization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckPreflight(tt.policy, tt.req, tt.resp)
			var got Reason
			var param string
			if err != nil {
				got, param = err.Reason, err.Param
			}
			if diff := cmp.Diff(struct{ R, P string }{string(tt.want), tt.param}, struct{ R, P string }{string(got), param}); diff != "" {
				t.Errorf("CheckPreflight mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A preflight never admits a method that is neither listed, safelisted,
// nor covered by `*` without credentials.
func TestCheckPreflightMethodNeverMorePermissiveThanTheSpec(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		method := rapid.SampledFrom([]string{"PUT", "DELETE", "patch", "PATCH", "GET", "POST", "OPTIONS", "FOO"}).Draw(t, "method")
		listed := rapid.SliceOfN(rapid.SampledFrom([]string{"PUT", "put", "*", "GET", "PATCH", "FOO"}), 0, 3).Draw(t, "listed")
		include := rapid.Bool().Draw(t, "include")
		h := hdr("Access-Control-Allow-Origin", "http://a.test", "Access-Control-Allow-Credentials", "true")
		for _, m := range listed {
			h.Add("Access-Control-Allow-Methods", m)
		}
		_, err := CheckPreflight(PreflightPolicy{Browser: Chromium}, PreflightRequest{Method: method, Origin: "http://a.test", IncludeCredentials: include}, PreflightResponse{Status: 200, Header: h})
		if err != nil {
			return
		}
		allowed := method == "GET" || method == "HEAD" || method == "POST"
		for _, m := range listed {
			allowed = allowed || m == method || (m == "*" && !include)
		}
		if !allowed {
			t.Fatalf("method %q admitted by Access-Control-Allow-Methods %q (include=%v)", method, listed, include)
		}
	})
}

// Under CacheBeforeMethodAndHeaderChecks a method or header failure comes
// with what the response allows, for the caller to cache (WebKit,
// recorded: webkit/mixed-cache/mixed-cache-037-…, -041-, -043-); any other
// failure, and every failure without the field, comes with nothing.
func TestCheckPreflightAllowanceBesideAFailure(t *testing.T) {
	const origin = "http://a.test"
	resp := func(kv ...string) PreflightResponse {
		return PreflightResponse{Status: 204, Header: hdr(append([]string{"Access-Control-Allow-Origin", origin}, kv...)...)}
	}
	webkit := PreflightPolicy{Browser: WebKit, StatusBeforeCORSCheck: true, CacheBeforeMethodAndHeaderChecks: true}
	chromium := PreflightPolicy{Browser: Chromium}
	tests := []struct {
		name   string
		policy PreflightPolicy
		req    PreflightRequest
		resp   PreflightResponse
		want   Allowance
	}{
		{"webkit_header_failure_keeps_the_lists", webkit,
			PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"x-bar", "x-foo"}, Origin: origin},
			resp("Access-Control-Allow-Methods", "*", "Access-Control-Max-Age", "10"),
			Allowance{Methods: []string{"*"}, MaxAge: []string{"10"}, Parsed: true}},
		{"webkit_method_failure_keeps_the_lists", webkit,
			PreflightRequest{Method: "patch", Origin: origin},
			resp("Access-Control-Allow-Methods", "PUT, DELETE", "Access-Control-Allow-Headers", "X-Foo"),
			Allowance{Methods: []string{"PUT", "DELETE"}, Headers: []string{"X-Foo"}, Parsed: true}},
		{"webkit_cors_failure_keeps_nothing", webkit,
			PreflightRequest{Method: "PUT", Origin: "http://other.test"},
			resp("Access-Control-Allow-Methods", "PUT"),
			Allowance{}},
		{"webkit_unparsable_list_keeps_nothing", webkit,
			PreflightRequest{Method: "PUT", Origin: origin},
			resp("Access-Control-Allow-Methods", "P(UT"),
			Allowance{}},
		{"chromium_header_failure_keeps_nothing", chromium,
			PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"x-foo"}, Origin: origin},
			resp("Access-Control-Allow-Methods", "PUT"),
			Allowance{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPreflight(tt.policy, tt.req, tt.resp)
			if err == nil {
				t.Fatalf("the preflight passed; every case fails")
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("allowance beside %s (-want +got):\n%s", err.Reason, diff)
			}
		})
	}
}

func TestDisallowedHeaderOrder(t *testing.T) {
	const origin = "http://a.test"
	resp := func(allow string) PreflightResponse {
		return PreflightResponse{Status: 204, Header: hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Headers", allow)}
	}
	xbac := PreflightRequest{Method: "GET", Origin: origin, UnsafeHeaderNames: []string{"x-a", "x-b", "x-c"}, HeaderNames: []string{"X-B", "X-A", "X-C"}}
	https := xbac
	https.HeaderNames = []string{"x-7z", "x-4jmpqfuoa0"}
	https.UnsafeHeaderNames = []string{"x-4jmpqfuoa0", "x-7z"}
	https.FirstURLTrustworthy = true
	noNames := xbac
	noNames.HeaderNames = nil
	// Nine safelisted headers over 1024 bytes and three unsafe ones
	// (recorded: chromium/disallowed-order/post-from-http-a-test-to-http-
	// b-test-over0-…): viewport-width comes first in the header map, but
	// the names unsafe on their own are tried first.
	safelisted := []string{"accept", "accept-language", "content-language", "content-type", "device-memory", "dpr", "range", "viewport-width", "width"}
	over := PreflightRequest{Method: "GET", Origin: origin,
		HeaderNames:       append([]string{"x-aeimz-2", "x-mqr", "x-b0l6jvcrld"}, safelisted...),
		UnsafeHeaderNames: append(slices.Clone(safelisted), "x-aeimz-2", "x-b0l6jvcrld", "x-mqr"),
		OverLimitNames:    safelisted}
	overNotMarked := over
	overNotMarked.OverLimitNames = nil
	tests := []struct {
		name  string
		order HeaderOrder
		req   PreflightRequest
		allow string
		want  string
	}{
		// The standard, Firefox and WebKit: the sorted-first name.
		{"sorted", SortedHeaderOrder, xbac, "", "x-a"},
		{"sorted_after_allowed", SortedHeaderOrder, xbac, "x-a", "x-b"},
		// Chromium (recorded: chromium/disallowed-order/get-with-headers-
		// x-b-1-x-a-1-x-c-1-preflight-allow-headers*.json).
		{"blink", BlinkHeaderMapOrder, xbac, "", "x-c"},
		{"blink_after_allowed", BlinkHeaderMapOrder, xbac, "X-C", "x-a"},
		{"blink_x_a_allowed", BlinkHeaderMapOrder, xbac, "x-a", "x-c"},
		// Client hints take buckets (recorded: chromium/disallowed-order/
		// get-from-https-a-test-to-https-b-test-x-7z-…).
		{"blink_https", BlinkHeaderMapOrder, https, "", "x-7z"},
		{"blink_over_limit_after", BlinkHeaderMapOrder, over, "", "x-b0l6jvcrld"},
		{"blink_over_limit_in_map_order", BlinkHeaderMapOrder, over, "x-aeimz-2, x-mqr, x-b0l6jvcrld", "viewport-width"},
		{"blink_without_over_limit_names", BlinkHeaderMapOrder, overNotMarked, "", "viewport-width"},
		// Without the header list, the sorted order.
		{"blink_without_names", BlinkHeaderMapOrder, noNames, "", "x-a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckPreflight(PreflightPolicy{Browser: Chromium, DisallowedHeaderOrder: tt.order}, tt.req, resp(tt.allow))
			if err == nil {
				t.Fatal("allowed, want HeaderDisallowedByPreflightResponse")
			}
			if diff := cmp.Diff(tt.want, err.Param); err.Reason != HeaderDisallowedByPreflightResponse || diff != "" {
				t.Errorf("%s, named header (-want +got):\n%s", err.Reason, diff)
			}
		})
	}
}

func TestDisallowedHeaderOrderChangesOnlyTheName(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := rapid.SliceOfNDistinct(rapid.StringMatching(`x-[a-z0-9]{1,20}`), 1, 10, rapid.ID[string]).Draw(t, "names")
		var allowed []string
		for _, n := range names {
			if rapid.Bool().Draw(t, "allowed") {
				allowed = append(allowed, n)
			}
		}
		unsafe := slices.Sorted(slices.Values(names))
		req := PreflightRequest{Method: "GET", Origin: "http://a.test", UnsafeHeaderNames: unsafe, HeaderNames: names,
			FirstURLTrustworthy: rapid.Bool().Draw(t, "trustworthy")}
		resp := PreflightResponse{Status: 204, Header: hdr("Access-Control-Allow-Origin", "http://a.test", "Access-Control-Allow-Headers", strings.Join(allowed, ","))}
		_, sorted := CheckPreflight(PreflightPolicy{Browser: Chromium}, req, resp)
		_, blink := CheckPreflight(PreflightPolicy{Browser: Chromium, DisallowedHeaderOrder: BlinkHeaderMapOrder}, req, resp)
		if (sorted == nil) != (blink == nil) {
			t.Fatalf("the order changed the verdict: sorted %v, blink %v", sorted, blink)
		}
		if blink == nil {
			if len(allowed) != len(names) {
				t.Fatalf("allowed with %q of %q", allowed, names)
			}
			return
		}
		if !slices.Contains(names, blink.Param) || slices.Contains(allowed, blink.Param) {
			t.Fatalf("named %q: not a disallowed name of %q (allowed %q)", blink.Param, names, allowed)
		}
	})
}
