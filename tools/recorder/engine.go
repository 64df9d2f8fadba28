package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/corsim/corsim/scenario"
)

// engine is one real browser the recorder drives. Every Run starts from a
// fresh browser state: an empty cookie store, HTTP cache and CORS-preflight
// cache, as a new user profile has.
type engine interface {
	// Name is the `browser` field a recording gets: the profile name of
	// the engine, a space, and the build's version, e.g.
	// "chromium 156.0.8078.108".
	Name() string
	// Run records every step of sc once against srv, in a fresh browser
	// state, and returns one expect a step. log receives each step's raw
	// observations; warn, what may make a recording wrong.
	Run(ctx context.Context, srv *scriptServer, sc *scenario.Scenario, log, warn func(format string, args ...any)) ([]scenario.Expect, error)
	// Close ends the browser and every process it started.
	Close() error
}

// engineConfig is what an engine is started with.
type engineConfig struct {
	// Path is the browser's binary (or its driver's, for an engine driven
	// through one); the engine's Debian default when empty.
	Path string
	// Addr is the loopback address the scripted server listens on: every
	// *.test host must resolve to it and every other name must fail, so
	// that a scenario cannot reach the network.
	Addr netip.Addr
	// Cert is the self-signed certificate the server presents for https.
	Cert testCertificate
}

// engineNames are the engines the recorder drives, in the order usage
// lists them; each is also the name of corsim's profile for it.
var engineNames = [...]string{"chromium", "firefox", "webkit"}

// startEngine starts the engine called name.
func startEngine(ctx context.Context, name string, cfg engineConfig) (engine, error) {
	switch name {
	case "chromium":
		return startChromium(ctx, cfg)
	case "firefox":
		return startFirefox(ctx, cfg)
	case "webkit":
		return startWebKit(ctx, cfg)
	}
	return nil, fmt.Errorf("-browser %q: want one of %s", name, strings.Join(engineNames[:], ", "))
}

// chromium is Debian's headless Chromium driven over the DevTools pipe.
type chromium struct{ b *browser }

func startChromium(ctx context.Context, cfg engineConfig) (engine, error) {
	rules := "MAP *.test " + cfg.Addr.String() + ", MAP * ~NOTFOUND"
	b, err := startBrowser(ctx, browserOptions{Path: cfg.Path, ResolverRules: rules, SPKIHash: cfg.Cert.SPKIHash})
	if err != nil {
		return nil, err
	}
	return chromium{b}, nil
}

func (c chromium) Name() string { return "chromium " + c.b.Version }

func (c chromium) Run(ctx context.Context, srv *scriptServer, sc *scenario.Scenario, log, warn func(string, ...any)) ([]scenario.Expect, error) {
	return runOnce(ctx, c.b, srv, sc, log, warn)
}

func (c chromium) Close() error { return c.b.Close() }
