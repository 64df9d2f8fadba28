package scenario

import (
	"context"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/corsim/corsim/profile"
)

// corpusFiles lists the scenario files under testdata/<browser>.
func corpusFiles(t *testing.T, browser string) []string {
	t.Helper()
	root := filepath.Join("..", "testdata", browser)
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestConformance replays every recorded scenario under the profile its
// browser field names and requires every recorded field to match. The
// corpus is data recorded from real browsers; no file is special-cased.
func TestConformance(t *testing.T) {
	for _, browser := range []string{"chromium", "firefox", "webkit"} {
		t.Run(browser, func(t *testing.T) {
			files := corpusFiles(t, browser)
			if len(files) < 100 {
				t.Fatalf("testdata/%s holds %d scenarios; the corpus is missing", browser, len(files))
			}
			for _, file := range files {
				rel, _ := filepath.Rel(filepath.Join("..", "testdata", browser), file)
				t.Run(strings.TrimSuffix(rel, ".json"), func(t *testing.T) {
					s, err := LoadFile(file)
					if err != nil {
						t.Fatal(err)
					}
					p, err := profile.ForBrowser(s.Browser)
					if err != nil {
						t.Fatal(err)
					}
					if p.Name != browser {
						t.Fatalf("browser field %q selects profile %s in testdata/%s", s.Browser, p.Name, browser)
					}
					obs, err := Replay(context.Background(), s, p)
					if err != nil {
						t.Fatal(err)
					}
					for _, o := range obs {
						if ms := Compare(s.Steps[o.Step].Expect, o.Observed); len(ms) > 0 {
							t.Errorf("step %d (%s) differs from the recording:\n%s\ntrace:\n%s", o.Step, s.Name, FormatMismatches(ms), o.Trace)
						}
					}
				})
			}
		})
	}
}
