package corstest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corsim/corsim/internal/refserver"
)

const apiURL = "https://api.example/items"

var appPolicy = Policy{
	Origins:        []string{"https://app.example", "https://admin.example.com"},
	Methods:        []string{"PUT", "DELETE"},
	Headers:        []string{"X-Token", "Content-Type"},
	Credentials:    true,
	ExposedHeaders: []string{"X-Total"},
	MaxAge:         10 * time.Minute,
}

func correctConfig(p Policy) refserver.Config {
	return refserver.Config{Origins: p.Origins, Methods: p.Methods, Headers: p.Headers, Credentials: p.Credentials, Expose: p.ExposedHeaders, MaxAge: int(p.MaxAge / time.Second)}
}

var items = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Total", "3")
	w.Header().Set("X-Internal", "db-7")
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`[1,2,3]`))
})

func TestCorrectServerHasNoMismatch(t *testing.T) {
	h := correctConfig(appPolicy).Wrap(Endpoint(items))
	rep, err := Run(context.Background(), appPolicy, Target{URL: apiURL, Transport: Handler(apiURL, h).Transport, Marked: true}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures() {
		t.Errorf("%s", f)
	}
	if len(rep.Results) < 100 {
		t.Errorf("only %d results", len(rep.Results))
	}
	notes := 0
	for _, r := range rep.Results {
		notes += len(r.Notes)
	}
	if notes == 0 {
		t.Errorf("a foreign simple POST reaches the handler: want notes")
	}
}

func TestReflectingServerLeaks(t *testing.T) {
	cfg := correctConfig(appPolicy)
	cfg.Match = refserver.MatchReflect
	rep, err := Run(context.Background(), appPolicy, Handler(apiURL, cfg.Wrap(items)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := rep.Failures()
	if len(fs) == 0 {
		t.Fatal("no failures")
	}
	t.Log(fs[0])
	if !strings.Contains(fs[0].String(), "leaked") {
		t.Errorf("first failure %s", fs[0])
	}
}
