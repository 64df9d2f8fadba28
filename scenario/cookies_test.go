package scenario_test

import (
	"context"
	"strings"
	"testing"

	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

// Format 2 scenarios written from the results of tools/cookieprobe (its
// README), replayed under each browser's profile. They stay here, not in
// testdata/, until the recorder records format 2.
func TestFormat2CookieScenarios(t *testing.T) {
	// A response that fails its CORS check still sets its cookie; the next
	// credentialed request carries it (all three browsers).
	const blocked = `{"format": 2, "name": "Set-Cookie of a CORS-blocked response is stored", "origin": "http://a.test:8080",
	  "server": [
	    {"method": "GET", "url": "http://a.test:8081/set-blocked", "status": 200, "headers": [["Set-Cookie", "blocked=1; Path=/"]]},
	    {"method": "GET", "url": "http://a.test:8081/echo", "status": 200, "headers": [["Access-Control-Allow-Origin", "http://a.test:8080"], ["Access-Control-Allow-Credentials", "true"]]}],
	  "steps": [
	    {"at": 0, "fetch": {"url": "http://a.test:8081/set-blocked", "credentials": "include"},
	     "expect": {"outcome": "network-error", "wire": [{"method": "GET", "url": "http://a.test:8081/set-blocked", "headers": {"origin": "http://a.test:8080", "referer": "http://a.test:8080/"}}]}},
	    {"at": 1, "fetch": {"url": "http://a.test:8081/echo", "credentials": "include"},
	     "expect": {"outcome": "ok", "wire": [{"method": "GET", "url": "http://a.test:8081/echo", "headers": {"origin": "http://a.test:8080", "referer": "http://a.test:8080/", "cookie": "blocked=1"}}]}}]}`
	// First-party cookies of a cross-site API (localhost, potentially
	// trustworthy, so the fetch metadata headers go out): which ones a page
	// at a.test sends with credentials include. COOKIE is the browser's.
	const thirdParty = `{"format": 2, "name": "Cross-site request with first-party cookies", "origin": "http://a.test:8080",
	  "cookies": [
	    {"url": "http://localhost:8081/", "set": "n=1; SameSite=None; Secure; Path=/"},
	    {"url": "http://localhost:8081/", "set": "u=1; Path=/"},
	    {"url": "http://localhost:8081/", "set": "l=1; SameSite=Lax; Path=/"},
	    {"url": "http://localhost:8081/", "set": "ns=1; SameSite=None; Path=/"},
	    {"url": "http://localhost:8081/", "set": "us=1; Secure; Path=/"}],
	  "server": [{"method": "GET", "url": "http://localhost:8081/echo3p", "status": 200, "headers": [["Access-Control-Allow-Origin", "http://a.test:8080"], ["Access-Control-Allow-Credentials", "true"]]}],
	  "steps": [{"at": 0, "fetch": {"url": "http://localhost:8081/echo3p", "credentials": "include"},
	     "expect": {"outcome": "ok", "wire": [{"method": "GET", "url": "http://localhost:8081/echo3p", "headers": {"origin": "http://a.test:8080", "referer": "http://a.test:8080/",
	       "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty"COOKIE}}]}}]}`
	tests := []struct {
		name string
		file string
		p    profile.Profile
	}{
		{"blocked/chromium", blocked, profile.Chromium()},
		{"blocked/firefox", blocked, profile.Firefox()},
		{"blocked/webkit", blocked, profile.WebKit()},
		{"third_party/chromium", strings.Replace(thirdParty, "COOKIE", "", 1), profile.Chromium()},
		{"third_party/firefox", strings.Replace(thirdParty, "COOKIE", "", 1), profile.Firefox()},
		{"third_party/webkit", strings.Replace(thirdParty, "COOKIE", `, "cookie": "u=1; ns=1"`, 1), profile.WebKit()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse(tt.name+".json", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			obs, err := scenario.Replay(context.Background(), s, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range obs {
				for _, m := range scenario.Compare(s.Steps[i].Expect, o.Observed) {
					t.Errorf("step %d: %s", i, m)
				}
			}
		})
	}
}
