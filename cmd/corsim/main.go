// Command corsim answers "would a browser let this through, and why?" for
// CORS scenario files.
//
//	corsim replay [-check] [-browser NAME] PATH...    replay scenarios, one JSON line per step
//	corsim explain [-json] [-browser NAME] PATH...    print the trace of every step
//	corsim explain -svg OUT [-browser NAME] FILE     draw the steps as an SVG sequence diagram
//	corsim serve [-port N] [-addr A]                 the playground page, on loopback by default
//
// PATH is a scenario file or a folder searched for *.json. Each file stands
// on its own: a file that cannot be read or loaded is reported on stderr
// (file:line:column: field: what is wrong) and the others still run.
// Exit status: 0 when everything ran (and, with -check, matched), 1 when a
// step differs from its recorded expectation, 2 on bad input (a bad flag, or
// any file that could not be replayed), which wins over 1.
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
  corsim explain [-json] [-browser NAME] PATH...
  corsim check [-origin O] [-X METHOD] [-H 'Name: value']... [-d DATA] [-json] URL
  corsim audit -origin O [-json] URL
  corsim explain -svg OUT [-browser NAME] FILE
  corsim serve [-port 8080] [-addr 127.0.0.1]
PATH is a scenario file or a folder searched for *.json.
NAME is one of chromium, firefox, webkit, spec; by default each file's "browser" field decides.
Run "corsim replay -h", "corsim explain -h", "corsim check -h" or "corsim audit -h" for details.
`

const replayHelp = `usage: corsim replay [-check] [-browser NAME] PATH...

Replays every scenario file (PATH is a file, or a folder searched for
*.json in lexical order) and prints to stdout one JSON line per step:
{"file": ..., "step": N, "observed": {...}} (FORMAT.md, "Replay output").

Each file stands on its own: one that cannot be read or loaded is reported
on stderr as file:line:column: field: what is wrong, and the others still
run.

With -check, each step is compared with its expect. On stderr: MISMATCH
and a diff for each step that differs, UNCHECKED for each step whose expect
has no field (nothing compared; counted as skipped), and a closing line
"replay: N passed, M failed", followed by ", K skipped" when K > 0.

Exit status: 0 when every file replayed (and, with -check, nothing
failed); 1 when a step differs; 2 when a flag is wrong or any file could
not be replayed (2 wins over 1).

Flags:
`

const explainHelp = `usage: corsim explain [-json] [-browser NAME] PATH...
       corsim explain -svg OUT [-browser NAME] FILE

Prints, for every step of every scenario file (PATH is a file, or a folder
searched for *.json), the decisions the engine made, each tied to its step
of the Fetch standard, and the result. A request that no rule of the
scenario's server matched is marked: it got the 404 with no headers and an
empty body that FORMAT.md defines, not a live server's answer. With -json,
one JSON document per file, each step carrying "unscripted", the list of
those requests. With -svg OUT, the one FILE's steps are drawn as an SVG
sequence diagram into OUT (- for stdout) instead.

Each file stands on its own: one that cannot be read or loaded is reported
on stderr as file:line:column: field: what is wrong, and the others still
run. Exit status: 0 when every file was explained, 2 when a flag is wrong
or any file could not be.

Flags:
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
	case "check":
		return check(args[1:], stdout, stderr)
	case "audit":
		return auditCmd(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "corsim: unknown command %q\n%s", args[0], usage)
	return 2
}

// options are the flags both subcommands share, parsed.
type options struct {
	profile *profile.Profile // from -browser; nil: each file's browser field decides
	paths   []string
}

// parseFlags parses a subcommand's flags. -h prints help to stdout; a bad
// flag is reported on stderr. done is true when the command must exit
// with code.
func parseFlags(fl *flag.FlagSet, help string, browser *string, args []string, stdout, stderr io.Writer) (opts options, code int, done bool) {
	name := "corsim " + fl.Name()
	fl.SetOutput(stderr)
	fl.Usage = func() {} // help goes to stdout, below; errors carry their own line
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			fl.SetOutput(stdout)
			fl.PrintDefaults()
			return opts, 0, true
		}
		fmt.Fprintf(stderr, "run %q for help\n", name+" -h")
		return opts, 2, true
	}
	if *browser != "" {
		p, err := profile.ByName(*browser)
		if err != nil {
			fmt.Fprintf(stderr, "%s: -browser: unknown profile %q; want %s\n", name, *browser, orList(profile.Names()))
			return opts, 2, true
		}
		opts.profile = &p
	}
	if fl.NArg() == 0 {
		fmt.Fprintf(stderr, "%s: no PATH given\n%s", name, usage)
		return opts, 2, true
	}
	opts.paths = fl.Args()
	return opts, 0, false
}

// orList writes "a, b, c or d".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// replayLine is one line of replay output (FORMAT.md, "Replay output").
type replayLine struct {
	File     string          `json:"file"`
	Step     int             `json:"step"`
	Observed scenario.Expect `json:"observed"`
}

func replay(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("replay", flag.ContinueOnError)
	check := fl.Bool("check", false, "compare with each step's expect; print a diff for each mismatch and exit 1 if any")
	browser := fl.String("browser", "", "replay under the profile `NAME` (chromium, firefox, webkit or spec) instead of each file's browser field")
	opts, code, done := parseFlags(fl, replayHelp, browser, args, stdout, stderr)
	if done {
		return code
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	passed, failed, unchecked := 0, 0, 0
	files, bad := collect(opts.paths, func(err error) { fmt.Fprintln(stderr, "corsim replay:", err) })
	for _, file := range files {
		s, p, obs, err := replayFile(file, opts.profile)
		if err != nil {
			fmt.Fprintln(stderr, "corsim replay:", err)
			bad++
			continue
		}
		for _, o := range obs {
			if err := enc.Encode(replayLine{File: file, Step: o.Step, Observed: o.Observed}); err != nil {
				fmt.Fprintln(stderr, "corsim replay:", err)
				return 2
			}
			if !*check {
				continue
			}
			want := s.Steps[o.Step].Expect
			if !want.HasFields() {
				unchecked++
				fmt.Fprintf(stderr, "UNCHECKED %s step %d (%s): its expect has no field, so nothing was compared\n", file, o.Step, s.Name)
				continue
			}
			if ms := scenario.Compare(want, o.Observed); len(ms) > 0 {
				failed++
				fmt.Fprintf(stderr, "MISMATCH %s step %d (%s, profile %s)\n%s", file, o.Step, s.Name, p.Name, scenario.FormatMismatches(ms))
			} else {
				passed++
			}
		}
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "replay: %d bad input(s) not replayed, reported above; every other file was replayed\n", bad)
	}
	if *check {
		// The closing line keeps the shape "N passed, M failed[, K skipped]"
		// that CI logs are read for.
		fmt.Fprintf(stderr, "replay: %d passed, %d failed", passed, failed)
		if unchecked > 0 {
			fmt.Fprintf(stderr, ", %d skipped", unchecked)
		}
		fmt.Fprintln(stderr)
	}
	switch {
	case bad > 0:
		return 2
	case failed > 0:
		return 1
	}
	return 0
}

func explain(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("explain", flag.ContinueOnError)
	asJSON := fl.Bool("json", false, "print the traces as JSON, one document per file")
	browser := fl.String("browser", "", "explain under the profile `NAME` (chromium, firefox, webkit or spec) instead of each file's browser field")
	svgOut := fl.String("svg", "", "draw the sequence diagram of the one FILE as SVG into `OUT` (- for stdout) instead of the trace")
	opts, code, done := parseFlags(fl, explainHelp, browser, args, stdout, stderr)
	if done {
		return code
	}
	if *svgOut != "" {
		if len(opts.paths) != 1 || *asJSON {
			fmt.Fprint(stderr, "corsim explain: -svg takes exactly one FILE and no -json\n", usage)
			return 2
		}
		s, p, obs, err := replayFile(opts.paths[0], opts.profile)
		if err != nil {
			fmt.Fprintln(stderr, "corsim explain:", err)
			return 2
		}
		return writeDiagram(*svgOut, s, p, obs, stdout, stderr)
	}
	files, bad := collect(opts.paths, func(err error) { fmt.Fprintln(stderr, "corsim explain:", err) })
	explained := 0
	for _, file := range files {
		s, p, obs, err := replayFile(file, opts.profile)
		if err != nil {
			fmt.Fprintln(stderr, "corsim explain:", err)
			bad++
			continue
		}
		if *asJSON {
			err = explainJSON(stdout, file, s, p, obs)
		} else {
			if explained > 0 {
				fmt.Fprintln(stdout)
			}
			err = explainText(stdout, file, s, p, obs)
		}
		if err != nil {
			fmt.Fprintln(stderr, "corsim explain:", err)
			return 2
		}
		explained++
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "explain: %d bad input(s) not explained, reported above; every other file was explained\n", bad)
		return 2
	}
	return 0
}

func explainJSON(w io.Writer, file string, s *scenario.Scenario, p profile.Profile, obs []scenario.Observation) error {
	type jsonStep struct {
		Step     int             `json:"step"`
		At       float64         `json:"at"`
		Fetch    scenario.Fetch  `json:"fetch"`
		Trace    any             `json:"trace"`
		Observed scenario.Expect `json:"observed"`
		// Unscripted lists the requests no rule of the scenario's server
		// matched: each got FORMAT.md's 404, not a live server's answer.
		Unscripted []scenario.WireRequest `json:"unscripted"`
	}
	out := struct {
		File    string     `json:"file"`
		Name    string     `json:"name"`
		Origin  string     `json:"origin"`
		Profile string     `json:"profile"`
		Steps   []jsonStep `json:"steps"`
	}{File: file, Name: s.Name, Origin: s.Origin, Profile: p.Name}
	for _, o := range obs {
		unscripted := o.Unscripted
		if unscripted == nil {
			unscripted = []scenario.WireRequest{}
		}
		out.Steps = append(out.Steps, jsonStep{Step: o.Step, At: s.Steps[o.Step].At, Fetch: s.Steps[o.Step].Fetch, Trace: o.Trace, Observed: o.Observed, Unscripted: unscripted})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func explainText(w io.Writer, file string, s *scenario.Scenario, p profile.Profile, obs []scenario.Observation) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\ndocument origin %s, simulating %s\n", file, s.Name, s.Origin, p.Name)
	for _, o := range obs {
		st := s.Steps[o.Step]
		fmt.Fprintf(&b, "\nStep %d at %gs: fetch(%q%s)\n", o.Step, st.At, st.Fetch.URL, describeInit(st.Fetch))
		b.WriteString(o.Trace.String())
		for _, r := range o.Unscripted {
			fmt.Fprintf(&b, " !  no scripted rule: %s %s matched no rule of the scenario's server, so it got the 404 with no headers and an empty body that FORMAT.md defines, not a live server's answer\n", r.Method, r.URL)
		}
		fmt.Fprintf(&b, "Result: %s\n", describeResult(o.Observed, o.Err))
	}
	_, err := io.WriteString(w, b.String())
	return err
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

// replayFile loads a scenario, picks its profile (the -browser one when
// given, else the file's) and replays it.
func replayFile(file string, forced *profile.Profile) (*scenario.Scenario, profile.Profile, []scenario.Observation, error) {
	s, err := scenario.LoadFile(file)
	if err != nil {
		return nil, profile.Profile{}, nil, err
	}
	var p profile.Profile
	if forced != nil {
		p = *forced
	} else if p, err = profile.ForBrowser(s.Browser); err != nil {
		return nil, profile.Profile{}, nil, fmt.Errorf("%s: browser: %w", file, err)
	}
	obs, err := scenario.Replay(context.Background(), s, p)
	if err != nil {
		return nil, profile.Profile{}, nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, p, obs, nil
}

// collect expands the arguments: files as given, folders searched for
// *.json in lexical order. A path that cannot be used is passed to report
// and counted in bad; the others are still collected.
func collect(args []string, report func(error)) (files []string, bad int) {
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			report(err)
			bad++
			continue
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				// An unreadable entry is reported; the rest of the folder
				// is still searched.
				report(err)
				bad++
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			report(err)
			bad++
		}
		if len(found) == 0 {
			report(errors.New(a + ": no *.json scenario files"))
			bad++
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, bad
}
