package main

import (
	"fmt"
	"io"
	"os"

	"github.com/corsim/corsim/diagram"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

// writeDiagram writes the sequence diagram of a replay to path ("-" for
// stdout), for `corsim explain -svg`.
func writeDiagram(path string, s *scenario.Scenario, p profile.Profile, obs []scenario.Observation, stdout, stderr io.Writer) int {
	svg := diagram.FromReplay(s, p, obs).SVG()
	var err error
	if path == "-" {
		_, err = stdout.Write(svg)
	} else {
		err = os.WriteFile(path, svg, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "corsim explain:", err)
		return 2
	}
	return 0
}
