package safelist

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/httpheader"
)

func TestMethods(t *testing.T) {
	tests := []struct {
		method        string
		wantSafe      bool
		wantForbidden bool
		wantNormal    string
	}{
		{"GET", true, false, "GET"},
		{"HEAD", true, false, "HEAD"},
		{"POST", true, false, "POST"},
		{"get", false, false, "GET"},
		{"Post", false, false, "POST"},
		{"PUT", false, false, "PUT"},
		{"delete", false, false, "DELETE"},
		{"options", false, false, "OPTIONS"},
		{"patch", false, false, "patch"},
		{"PATCH", false, false, "PATCH"},
		{"Egg", false, false, "Egg"},
		{"CONNECT", false, true, "CONNECT"},
		{"trace", false, true, "trace"},
		{"TrAcK", false, true, "TrAcK"},
		{"TRACEX", false, false, "TRACEX"},
		{"", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			got := []any{IsCORSSafelistedMethod(tt.method), IsForbiddenMethod(tt.method), NormalizeMethod(tt.method)}
			want := []any{tt.wantSafe, tt.wantForbidden, tt.wantNormal}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("safelisted/forbidden/normalized for %q mismatch (-want +got):\n%s", tt.method, diff)
			}
		})
	}
}

func TestNormalizeMethodProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.OneOf(
			rapid.SampledFrom([]string{"get", "Delete", "oPtIoNs", "put", "patch", "TRACE", "post"}),
			rapid.StringMatching(`[A-Za-z]{0,8}`),
		).Draw(t, "method")
		n := NormalizeMethod(m)
		if NormalizeMethod(n) != n {
			t.Fatalf("NormalizeMethod is not idempotent: %q → %q → %q", m, n, NormalizeMethod(n))
		}
		if !httpheader.EqualFoldASCII(m, n) {
			t.Fatalf("NormalizeMethod(%q) = %q changed more than case", m, n)
		}
		if n != m && n != httpheader.UpperASCII(m) {
			t.Fatalf("NormalizeMethod(%q) = %q is neither unchanged nor upper-cased", m, n)
		}
		if IsCORSSafelistedMethod(m) && n != m {
			t.Fatalf("a safelisted method %q changed under normalization", m)
		}
		if IsForbiddenMethod(m) != IsForbiddenMethod(n) {
			t.Fatalf("normalization changed whether %q is forbidden", m)
		}
	})
}
