// Command recorder records CORS scenario files (FORMAT.md at the
// repository root) from a real Chromium, and checks corsim's engine
// against it live.
//
//	recorder record [-out DIR] [-runs 2] PATH...
//	recorder diff [-sample 40] [-seed 1] PATH...
//
// record drives Debian's headless Chromium over the DevTools protocol
// through every step of each scenario, against a local server that answers
// byte for byte as the scenario scripts, runs each scenario -runs times in
// fresh browser contexts, and writes the file back with every step's
// expect and the browser field filled, refusing a scenario whose runs
// disagree. diff records a deterministic sample that covers every category
// folder afresh and compares each with corsim's replay under the Chromium
// profile.
//
// PATH is a scenario file or a folder searched for *.json. The command is
// its own module so that corsim's users never download it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/corsim/corsim/scenario"
)

const usage = `usage:
  recorder record [-browser chromium|firefox|webkit] [-out DIR] [-runs N] [-path BINARY] [-v] PATH...
  recorder diff [-browser chromium|firefox|webkit] [-sample N] [-seed S] [-runs N] [-path BINARY] [-v] PATH...
PATH is a scenario file or a folder searched for *.json.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes a command line and returns the exit status: 0 on success,
// 1 when a recording was refused or the differential found a difference,
// 2 on bad usage or input.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "record":
		return recordCommand(ctx, args[1:], stdout, stderr)
	case "diff":
		return diffCommand(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "recorder: unknown command %q\n%s", args[0], usage)
	return 2
}

// commonFlags are the flags both commands take.
type commonFlags struct {
	runs    int
	browser string
	path    string
	verbose bool
}

func (c *commonFlags) register(fl *flag.FlagSet) {
	fl.IntVar(&c.runs, "runs", 2, "record each scenario this many times, in fresh browser contexts; all runs must agree")
	fl.StringVar(&c.browser, "browser", "chromium", "the engine to drive: "+strings.Join(engineNames[:], ", "))
	fl.StringVar(&c.path, "path", "", "the engine's binary, when not Debian's default")
	fl.BoolVar(&c.verbose, "v", false, "log each step's raw observations")
}

// loggers returns the verbose log (silent without -v) and the warning log.
func (c *commonFlags) loggers(w io.Writer) (log, warn func(string, ...any)) {
	warn = func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	if !c.verbose {
		return func(string, ...any) {}, warn
	}
	return warn, warn
}

func recordCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("record", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "write recordings under `DIR` (a folder argument keeps its layout, a file keeps its folder's name); default: overwrite each file")
	var common commonFlags
	common.register(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() == 0 || common.runs < 1 {
		fmt.Fprint(stderr, "recorder record: need PATH and -runs ≥ 1\n", usage)
		return 2
	}
	inputs, err := loadInputs(fl.Args())
	if err != nil {
		fmt.Fprintln(stderr, "recorder record:", err)
		return 2
	}
	log, warn := common.loggers(stderr)
	h, err := newHarness(ctx, common.browser, common.path, scenariosOf(inputs), log, warn)
	if err != nil {
		fmt.Fprintln(stderr, "recorder record:", err)
		return 2
	}
	defer h.Close()
	fmt.Fprintf(stdout, "recording %d scenarios from %s, %d runs each\n", len(inputs), h.browserName(), common.runs)

	written, refused := 0, 0
	for _, in := range inputs {
		if ctx.Err() != nil {
			break
		}
		dest := in.Path
		if *out != "" {
			dest = filepath.Join(*out, in.Rel)
		}
		if err := recordFile(ctx, h, in, dest, common.runs); err != nil {
			refused++
			fmt.Fprintf(stdout, "REFUSED %s: %v\n", in.Path, err)
			continue
		}
		written++
		fmt.Fprintf(stdout, "recorded %s\n", dest)
	}
	fmt.Fprintf(stdout, "record: %d written, %d refused\n", written, refused)
	if refused > 0 || ctx.Err() != nil {
		return 1
	}
	return 0
}

// recordFile records one scenario and writes it to dest.
func recordFile(ctx context.Context, h *harness, in input, dest string, runs int) error {
	h.log("%s", in.Path)
	exps, err := h.record(ctx, in.Scenario, runs)
	if err != nil {
		return err
	}
	data, err := formatScenario(withExpects(in.Scenario, exps, h.browserName()))
	if err != nil {
		return err
	}
	// What is written must load again.
	if _, err := scenario.Parse(dest, data); err != nil {
		return fmt.Errorf("the recording does not load: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dest, data, 0o644)
}

// input is a loaded scenario file.
type input struct {
	Path     string // as found
	Rel      string // under -out: relative to its folder argument, or "folder/name" for a file argument
	Category string // the folder the file is in, relative to its folder argument
	Scenario *scenario.Scenario
}

// loadInputs loads the scenario files that paths name, in order, each
// folder's files sorted.
func loadInputs(paths []string) ([]input, error) {
	var out []input
	seen := map[string]bool{}
	add := func(path, rel string) error {
		if seen[path] {
			return nil
		}
		seen[path] = true
		sc, err := scenario.LoadFile(path)
		if err != nil {
			return err
		}
		out = append(out, input{Path: path, Rel: rel, Category: filepath.Dir(rel), Scenario: sc})
		return nil
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, err
			}
			if err := add(p, filepath.Join(filepath.Base(filepath.Dir(abs)), filepath.Base(p))); err != nil {
				return nil, err
			}
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		for _, f := range files {
			rel, err := filepath.Rel(p, f)
			if err != nil {
				return nil, err
			}
			if err := add(f, rel); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scenario files in %s", strings.Join(paths, " "))
	}
	return out, nil
}

func scenariosOf(inputs []input) []*scenario.Scenario {
	out := make([]*scenario.Scenario, len(inputs))
	for i, in := range inputs {
		out[i] = in.Scenario
	}
	return out
}
