package diagram

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

// readmeScenario is the scenario README's diagram draws (docs/pictures.sh).
const readmeScenario = "cache/preflight-passes-but-the-actual-request-fails-the-cors-check-the-next-request-at-0-5-s.json"

// TestDocsDiagramIsCurrent keeps README's picture honest: docs/diagram.svg
// must be what the engine draws today.
func TestDocsDiagramIsCurrent(t *testing.T) {
	s, err := scenario.LoadFile(filepath.Join("..", "testdata", "chromium", readmeScenario))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Render(context.Background(), s, profile.Chromium())
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "docs", "diagram.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("docs/diagram.svg is stale; run docs/pictures.sh (-file +engine):\n%s", diff)
	}
}
