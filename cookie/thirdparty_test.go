package cookie_test

import (
	"testing"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/origin"
)

// Under a top-level domain the public suffix list lacks, libsoup compares
// hosts; under a listed one both policies compare registrable domains.
func TestThirdPartyByHostWithoutSuffix(t *testing.T) {
	for _, tt := range []struct {
		top, target    string
		byHost, bySite bool // IsThirdParty with and without the field
	}{
		{"https://a.test", "https://api.a.test", true, false},
		{"https://a.test", "https://a.test:8443", false, false},
		{"https://a.test", "https://b.test", true, true},
		{"https://a.example.com", "https://api.a.example.com", false, false},
		{"https://a.example.com", "https://b.example.org", true, true},
		{"https://127.0.0.1", "https://127.0.0.1:8443", false, false},
	} {
		r := cookie.Request{TopLevel: origin.MustParse(tt.top), Chain: []origin.Origin{origin.MustParse(tt.target)}}
		if got := (cookie.Policy{ThirdPartyByHostWithoutSuffix: true}).IsThirdParty(r); got != tt.byHost {
			t.Errorf("%s → %s, by host: IsThirdParty = %v, want %v", tt.top, tt.target, got, tt.byHost)
		}
		if got := (cookie.Policy{}).IsThirdParty(r); got != tt.bySite {
			t.Errorf("%s → %s, by site: IsThirdParty = %v, want %v", tt.top, tt.target, got, tt.bySite)
		}
	}
}
