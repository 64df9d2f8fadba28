package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"pgregory.net/rapid"

	"github.com/corsim/corsim/scenario"
)

// Every generated input must be a valid scenario the loader accepts, with a
// unique file name, so that the recorder can run it.
func TestEveryCaseIsAValidScenario(t *testing.T) {
	g := &gen{seen: map[string]bool{}}
	g.all()
	if len(g.cases) < 400 {
		t.Fatalf("only %d cases", len(g.cases))
	}
	files := map[string]bool{}
	for _, c := range g.cases {
		path := c.category + "/" + c.file
		if files[path] {
			t.Errorf("duplicate file %s", path)
		}
		files[path] = true
		b, err := json.Marshal(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Parse(path+".json", b); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

var slugShape = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(-[0-9]+)?$`)

// File names are lower-case words joined by hyphens, at most 100 bytes
// before a collision suffix, whatever the scenario's name.
func TestFileNamesAreSlugs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := &gen{seen: map[string]bool{}}
		names := rapid.SliceOfN(rapid.StringMatching(`[A-Za-z0-9 '",.:()*/_-]{1,150}`), 1, 5).Draw(t, "names")
		for _, n := range names {
			g.add("c", A, "x"+n, nil, step(0, get(B)))
		}
		for _, c := range g.cases {
			if !slugShape.MatchString(c.file) || len(c.file) > 104 {
				t.Fatalf("file name %q", c.file)
			}
		}
	})
}
