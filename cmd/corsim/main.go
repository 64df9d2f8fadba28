// Command corsim answers "would a browser let this through, and why?" for
// CORS scenario files.
//
//	corsim replay [-check] [-browser NAME] PATH...   replay scenarios, one JSON line per step
//	corsim explain [-json] [-browser NAME] FILE      print the trace of every step
//	corsim explain -svg OUT [-browser NAME] FILE     draw the steps as an SVG sequence diagram
//	corsim serve [-port N] [-addr A]                 the playground page, on loopback by default
//
// PATH is a scenario file or a folder searched for *.json. Exit status: 0
// when everything ran (and, with -check, matched), 1 when a step differs
// from its recorded expectation, 2 on bad input.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  corsim replay [-check] [-browser NAME] PATH...
  corsim explain [-json | -svg OUT] [-browser NAME] FILE
  corsim serve [-port 8080] [-addr 127.0.0.1]
NAME is one of chromium, firefox, webkit, spec; by default each file's "browser" field decides.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "replay":
		return replay(args[1:], stdout, stderr)
	case "explain":
		return explain(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "corsim: unknown command %q\n%s", args[0], usage)
	return 2
}

// replayLine is one line of replay output (FORMAT.md, "Replay output").
type replayLine struct {
	File     string          `json:"file"`
	Step     int             `json:"step"`
	Observed scenario.Expect `json:"observed"`
}

func replay(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("replay", flag.ContinueOnError)
	fl.SetOutput(stderr)
	check := fl.Bool("check", false, "compare with each step's expect; print a diff for each mismatch and exit 1 if any")
	browser := fl.String("browser", "", "replay under this profile instead of each file's browser field")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() == 0 {
		fmt.Fprint(stderr, "corsim replay: no PATH given\n", usage)
		return 2
	}
	files, err := collect(fl.Args())
	if err != nil {
		fmt.Fprintln(stderr, "corsim replay:", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	passed, failed := 0, 0
	for _, file := range files {
		s, p, err := load(file, *browser)
		if err != nil {
			fmt.Fprintln(stderr, "corsim replay:", err)
			return 2
		}
		obs, err := scenario.Replay(context.Background(), s, p)
		if err != nil {
			fmt.Fprintf(stderr, "corsim replay: %s: %v\n", file, err)
			return 2
		}
		for _, o := range obs {
			if err := enc.Encode(replayLine{File: file, Step: o.Step, Observed: o.Observed}); err != nil {
				fmt.Fprintln(stderr, "corsim replay:", err)
				return 2
			}
			if !*check {
				continue
			}
			if ms := scenario.Compare(s.Steps[o.Step].Expect, o.Observed); len(ms) > 0 {
				failed++
				fmt.Fprintf(stderr, "MISMATCH %s step %d (%s, profile %s)\n%s", file, o.Step, s.Name, p.Name, scenario.FormatMismatches(ms))
			} else {
				passed++
			}
		}
	}
	if *check {
		fmt.Fprintf(stderr, "replay: %d passed, %d failed\n", passed, failed)
		if failed > 0 {
			return 1
		}
	}
	return 0
}

func explain(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("explain", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "print the traces as JSON")
	browser := fl.String("browser", "", "explain under this profile instead of the file's browser field")
	svgOut := fl.String("svg", "", "write the sequence diagram as SVG to this file (- for stdout) instead of the trace")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fmt.Fprint(stderr, "corsim explain: give exactly one FILE\n", usage)
		return 2
	}
	file := fl.Arg(0)
	s, p, err := load(file, *browser)
	if err != nil {
		fmt.Fprintln(stderr, "corsim explain:", err)
		return 2
	}
	obs, err := scenario.Replay(context.Background(), s, p)
	if err != nil {
		fmt.Fprintf(stderr, "corsim explain: %s: %v\n", file, err)
		return 2
	}
	if *svgOut != "" {
		return writeDiagram(*svgOut, s, p, obs, stdout, stderr)
	}
	if *asJSON {
		type jsonStep struct {
			Step     int             `json:"step"`
			At       float64         `json:"at"`
			Fetch    scenario.Fetch  `json:"fetch"`
			Trace    any             `json:"trace"`
			Observed scenario.Expect `json:"observed"`
		}
		out := struct {
			File    string     `json:"file"`
			Name    string     `json:"name"`
			Origin  string     `json:"origin"`
			Profile string     `json:"profile"`
			Steps   []jsonStep `json:"steps"`
		}{File: file, Name: s.Name, Origin: s.Origin, Profile: p.Name}
		for _, o := range obs {
			out.Steps = append(out.Steps, jsonStep{Step: o.Step, At: s.Steps[o.Step].At, Fetch: s.Steps[o.Step].Fetch, Trace: o.Trace, Observed: o.Observed})
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "corsim explain:", err)
			return 2
		}
		return 0
	}
	fmt.Fprintf(stdout, "%s\n%s\ndocument origin %s, simulating %s\n", file, s.Name, s.Origin, p.Name)
	for _, o := range obs {
		st := s.Steps[o.Step]
		fmt.Fprintf(stdout, "\nStep %d at %gs: fetch(%q%s)\n", o.Step, st.At, st.Fetch.URL, describeInit(st.Fetch))
		fmt.Fprint(stdout, o.Trace.String())
		fmt.Fprintf(stdout, "Result: %s\n", describeResult(o.Observed, o.Err))
	}
	return 0
}

func describeInit(f scenario.Fetch) string {
	var parts []string
	if f.Method != "" {
		parts = append(parts, "method: "+f.Method)
	}
	if f.Mode != "" {
		parts = append(parts, "mode: "+f.Mode)
	}
	if f.Credentials != "" {
		parts = append(parts, "credentials: "+f.Credentials)
	}
	if f.Redirect != "" {
		parts = append(parts, "redirect: "+f.Redirect)
	}
	for _, h := range f.Headers {
		parts = append(parts, "header "+h.Name+": "+h.Value)
	}
	if f.Body != nil {
		parts = append(parts, fmt.Sprintf("body: %q", *f.Body))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", {" + strings.Join(parts, ", ") + "}"
}

func describeResult(e scenario.Expect, err error) string {
	if e.Outcome != "ok" {
		s := "network error (fetch rejects)"
		var fe *fetch.Error
		if errors.As(err, &fe) && fe.Kind == fetch.TypeError {
			s = "TypeError (fetch rejects before sending anything): " + fe.Message
		}
		if e.Error != nil {
			s += ", CORS error " + *e.Error
		}
		var ce *enforce.Error
		if errors.As(err, &ce) && ce.Browser == enforce.Firefox && ce.FirefoxReason != "" {
			s += ", Firefox reason " + ce.FirefoxReason
		}
		if e.Console != nil {
			s += "\n  console: " + *e.Console
		}
		return s
	}
	return fmt.Sprintf("ok, type %s, status %d, script can read %d header(s): %s", *e.Type, *e.Status, len(*e.Headers), strings.Join(*e.Headers, ", "))
}

// load reads a scenario and picks its profile.
func load(file, browser string) (*scenario.Scenario, profile.Profile, error) {
	s, err := scenario.LoadFile(file)
	if err != nil {
		return nil, profile.Profile{}, err
	}
	var p profile.Profile
	if browser != "" {
		p, err = profile.ByName(browser)
	} else {
		p, err = profile.ForBrowser(s.Browser)
	}
	if err != nil {
		return nil, profile.Profile{}, fmt.Errorf("%s: %w", file, err)
	}
	return s, p, nil
}

// collect expands the arguments: files as given, folders searched for
// *.json in lexical order.
func collect(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, errors.New(a + ": no *.json scenario files")
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}
