package scenario

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/corsim/corsim/profile"
)

// corpus is every scenario file under testdata/ that names its browser,
// read into memory, so that the benchmarks time the loader and the engine,
// not the disk.
type corpusFile struct {
	path string
	data []byte
}

func readCorpus(tb testing.TB) []corpusFile {
	tb.Helper()
	var files []corpusFile
	err := filepath.WalkDir(filepath.Join("..", "testdata"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, corpusFile{path, data})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	if len(files) < 300 {
		tb.Fatalf("testdata holds %d scenarios; the corpus is missing", len(files))
	}
	return files
}

// loaded is a parsed corpus file with the profile its browser field names.
type loaded struct {
	s *Scenario
	p profile.Profile
}

func loadCorpus(tb testing.TB, files []corpusFile) (out []loaded, steps int) {
	tb.Helper()
	for _, f := range files {
		s, err := Parse(f.path, f.data)
		if err != nil {
			tb.Fatal(err)
		}
		p, err := profile.ForBrowser(s.Browser)
		if err != nil {
			// A file without a browser (a divergence case) runs under the
			// spec profile.
			p = profile.Spec()
		}
		out = append(out, loaded{s, p})
		steps += len(s.Steps)
	}
	return out, steps
}

// BenchmarkReplayCorpus replays all of testdata/: load parses every file
// (both JSON passes and validation), replay runs every step of every loaded
// scenario on a fresh client per file, and both does the two, as
// `corsim replay` does. Each reports steps per second; "loading no slower
// than the engine" compares load's steps/s with replay's.
func BenchmarkReplayCorpus(b *testing.B) {
	files := readCorpus(b)
	scenarios, steps := loadCorpus(b, files)
	ctx := context.Background()
	perOp := func(b *testing.B) {
		b.ReportMetric(float64(steps*b.N)/b.Elapsed().Seconds(), "steps/s")
		b.ReportMetric(float64(len(files)), "files/op")
		b.ReportMetric(float64(steps), "steps/op")
	}
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := Parse(f.path, f.data); err != nil {
					b.Fatal(err)
				}
			}
		}
		perOp(b)
	})
	b.Run("replay", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range scenarios {
				if _, err := Replay(ctx, l.s, l.p); err != nil {
					b.Fatal(err)
				}
			}
		}
		perOp(b)
	})
	b.Run("both", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				s, err := Parse(f.path, f.data)
				if err != nil {
					b.Fatal(err)
				}
				p, err := profile.ForBrowser(s.Browser)
				if err != nil {
					p = profile.Spec()
				}
				if _, err := Replay(ctx, s, p); err != nil {
					b.Fatal(err)
				}
			}
		}
		perOp(b)
	})
}
