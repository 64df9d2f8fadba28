package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/corsim/corsim/scenario"
)

// harness is the scripted server and the browser that scenarios are
// recorded with.
type harness struct {
	server *scriptServer
	engine engine
	log    func(format string, args ...any) // verbose: raw observations
	warn   func(format string, args ...any) // always shown
}

// newHarness starts the server on a fresh loopback address, with a test
// certificate for the hosts of scs, and the engine called browser (its
// binary at path, or the default), which resolves every *.test host to
// that address and trusts the certificate.
func newHarness(ctx context.Context, browser, path string, scs []*scenario.Scenario, log, warn func(string, ...any)) (*harness, error) {
	hosts := append(scenarioHosts(scs), "*.test")
	cert, err := newTestCertificate(hosts, time.Now())
	if err != nil {
		return nil, err
	}
	srv, err := listenLoopback(cert, scs)
	if err != nil {
		return nil, err
	}
	e, err := startEngine(ctx, browser, engineConfig{Path: path, Addr: srv.addr, Cert: cert})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &harness{server: srv, engine: e, log: log, warn: warn}, nil
}

// listenLoopback picks an address in 127.0.0.0/8 other than 127.0.0.1, so
// that several recorders (and anything on 127.0.0.1) can run at once, and
// listens there on every port the scenarios name.
func listenLoopback(cert testCertificate, scs []*scenario.Scenario) (*scriptServer, error) {
	ports := map[int]bool{}
	for _, sc := range scs {
		for _, p := range scenarioPorts(sc) {
			ports[p] = true
		}
	}
	list := make([]int, 0, len(ports))
	for p := range ports {
		list = append(list, p)
	}
	var lastErr error
	for range 20 {
		addr := netip.AddrFrom4([4]byte{127, byte(2 + rand.IntN(250)), byte(rand.IntN(256)), byte(1 + rand.IntN(254))})
		srv := newScriptServer(addr, cert.TLS)
		if err := srv.ensurePorts(list); err != nil {
			srv.Close()
			lastErr = err
			continue
		}
		return srv, nil
	}
	return nil, fmt.Errorf("listening on a loopback address: %v (ports below 1024 need root)", lastErr)
}

// Close ends the browser and the server.
func (h *harness) Close() {
	h.engine.Close()
	h.server.Close()
}

// browserName is the `browser` field a recording gets.
func (h *harness) browserName() string { return h.engine.Name() }

// runsDifferError is a scenario whose runs did not agree.
type runsDifferError struct {
	Run        int // the run that differed from the first (1-based)
	Step       int
	Mismatches []scenario.Mismatch // Expected is run 1, Observed run Run
}

func (e *runsDifferError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "run 1 and run %d differ at step %d:", e.Run, e.Step)
	for _, m := range e.Mismatches {
		fmt.Fprintf(&b, "\n    steps[%d].expect.%s: run 1 %s, run %d %s", e.Step, m.Field, m.Expected, e.Run, m.Observed)
	}
	return b.String()
}

// record runs sc runs times, each in a fresh browser context, and returns
// the expects of the first run when every run agrees with it.
func (h *harness) record(ctx context.Context, sc *scenario.Scenario, runs int) ([]scenario.Expect, error) {
	if runs < 1 {
		return nil, errors.New("at least one run is needed")
	}
	var first []scenario.Expect
	for run := 1; run <= runs; run++ {
		h.log(" run %d", run)
		got, err := h.engine.Run(ctx, h.server, sc, h.log, h.warn)
		if err != nil {
			return nil, fmt.Errorf("run %d: %w", run, err)
		}
		if run == 1 {
			first = got
			continue
		}
		for i := range first {
			if ms := differences(first[i], got[i]); len(ms) > 0 {
				return nil, &runsDifferError{Run: run, Step: i, Mismatches: ms}
			}
		}
	}
	return first, nil
}

// withExpects returns a copy of sc with each step's expect replaced by
// exps and the browser field set.
func withExpects(sc *scenario.Scenario, exps []scenario.Expect, browser string) *scenario.Scenario {
	c := *sc
	c.Browser = browser
	c.Steps = make([]scenario.Step, len(sc.Steps))
	for i, st := range sc.Steps {
		st.Expect = exps[i]
		c.Steps[i] = st
	}
	return &c
}

// differences lists the fields where a and b differ, including a field
// present in only one of them (scenario.Compare looks only at the fields
// its first argument has).
func differences(a, b scenario.Expect) []scenario.Mismatch {
	ms := scenario.Compare(a, b)
	seen := map[string]bool{}
	for _, m := range ms {
		seen[m.Field] = true
	}
	for _, m := range scenario.Compare(b, a) {
		if !seen[m.Field] {
			ms = append(ms, scenario.Mismatch{Field: m.Field, Expected: m.Observed, Observed: m.Expected})
		}
	}
	return ms
}
