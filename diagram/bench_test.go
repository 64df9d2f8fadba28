package diagram

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

func BenchmarkSVG(b *testing.B) {
	s, err := scenario.LoadFile(filepath.Join("..", "testdata", "chromium", goldenCases[2].file))
	if err != nil {
		b.Fatal(err)
	}
	obs, err := scenario.Replay(context.Background(), s, profile.Chromium())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		FromReplay(s, profile.Chromium(), obs).SVG()
	}
}
