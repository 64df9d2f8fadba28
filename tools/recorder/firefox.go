package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/corsim/corsim/scenario"
)

// defaultFirefox is the binary of Debian's firefox-esr package
// (/usr/bin/firefox-esr is a link to it).
const defaultFirefox = "/usr/lib/firefox-esr/firefox-esr"

// firefoxInstallHint tells how to get the browser the Firefox engine drives.
const firefoxInstallHint = "install Debian's Firefox ESR first: apt-get update && apt-get install -y firefox-esr"

// Time limits of the Firefox engine.
const (
	// firefoxStartTimeout bounds the wait for the remote agent's address.
	firefoxStartTimeout = 5 * time.Minute
	// firefoxSettleQuiet is how long a failed step waits with no new event
	// before its console lines are taken as complete: Firefox reports a
	// CORS failure from the parent process, and the line reaches the
	// page's console (and BiDi's log.entryAdded) some time after fetch()
	// rejected: on a loaded machine 300 ms of quiet lost the line in one
	// of two runs.
	firefoxSettleQuiet = time.Second
	firefoxSettleMax   = 5 * time.Second
	// firefoxLoadTimeout bounds the initiator page's load: a new user
	// context starts a content process, which took over 20 s on a machine
	// loaded 30 times over.
	firefoxLoadTimeout = time.Minute
)

// firefoxPref is one preference the recorder writes to the fresh
// profile's user.js. None changes cookie, privacy, CORS or mixed-content
// policy: the defaults are what users get. The README lists them.
type firefoxPref struct {
	Name  string
	Value any // string, bool or int
}

// firefoxPrefs returns the preferences of a recording profile; addr is
// the scripted server's loopback address.
func firefoxPrefs(addr string) []firefoxPref {
	return []firefoxPref{
		// Every host name resolves to the server's address
		// (nsHostResolver); the server answers only *.test names, so any
		// other host fails as a name that does not resolve would.
		{"network.dns.forceResolve", addr},
		// No DNS over HTTPS, no proxy from the environment.
		{"network.trr.mode", 5},
		{"network.proxy.type", 0},
		// Top-level navigations stay as written: HTTPS-First would load
		// the initiator http://a.test/ as https://a.test/. Subresource
		// fetches are not affected by these prefs.
		{"dom.security.https_first", false},
		{"dom.security.https_first_schemeless", false},
		// Only the prefs listed here: the remote agent's "recommended"
		// set would change others (privacy.trackingprotection.enabled,
		// security.fileuri.strict_origin_policy, …).
		{"remote.prefs.recommended", false},
		// Background traffic off (each would otherwise reach the server
		// through forceResolve and be refused there).
		{"app.normandy.enabled", false},
		{"app.normandy.api_url", ""},
		{"app.update.disabledForTesting", true},
		{"browser.region.network.url", ""},
		{"browser.safebrowsing.blockedURIs.enabled", false},
		{"browser.safebrowsing.downloads.enabled", false},
		{"browser.safebrowsing.malware.enabled", false},
		{"browser.safebrowsing.phishing.enabled", false},
		{"browser.safebrowsing.provider.mozilla.updateURL", ""},
		{"browser.search.update", false},
		{"browser.shell.checkDefaultBrowser", false},
		{"browser.startup.homepage_override.mstone", "ignore"},
		{"browser.startup.page", 0},
		{"browser.newtabpage.enabled", false},
		{"browser.topsites.contile.enabled", false},
		{"browser.urlbar.suggest.searches", false},
		{"captivedetect.canonicalURL", ""},
		{"datareporting.healthreport.uploadEnabled", false},
		{"datareporting.policy.dataSubmissionEnabled", false},
		{"dom.push.connection.enabled", false},
		{"extensions.blocklist.enabled", false},
		{"extensions.getAddons.cache.enabled", false},
		{"extensions.systemAddon.update.enabled", false},
		{"extensions.update.enabled", false},
		{"geo.provider.network.url", ""},
		{"network.captive-portal-service.enabled", false},
		{"network.connectivity-service.enabled", false},
		{"network.dns.disablePrefetch", true},
		{"network.prefetch-next", false},
		{"security.remote_settings.intermediates.enabled", false},
		{"services.settings.server", "data:,#remote-settings-dummy/v1"},
		{"startup.homepage_welcome_url", "about:blank"},
		{"toolkit.telemetry.enabled", false},
		{"toolkit.telemetry.server", ""},
	}
}

// userJS renders prefs as a user.js file.
func userJS(prefs []firefoxPref) (string, error) {
	var b strings.Builder
	for _, p := range prefs {
		v, err := json.Marshal(p.Value)
		if err != nil {
			return "", err
		}
		n, _ := json.Marshal(p.Name)
		fmt.Fprintf(&b, "user_pref(%s, %s);\n", n, v)
	}
	return b.String(), nil
}

// firefox is Debian's Firefox ESR, headless, driven over WebDriver BiDi
// through its built-in remote agent.
type firefox struct {
	cmd        *exec.Cmd
	conn       *bidiConn
	profileDir string
	stderr     *tailBuffer
	exited     chan struct{}
	version    string // capabilities.browserVersion, e.g. "153.8.0esr"
}

// bidiListening is the line the remote agent prints with its address.
var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

func startFirefox(ctx context.Context, cfg engineConfig) (engine, error) {
	path := cfg.Path
	if path == "" {
		path = defaultFirefox
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no Firefox at %s (%v); %s", path, err, firefoxInstallHint)
	}
	profile, err := os.MkdirTemp("", "corsim-recorder-firefox-")
	if err != nil {
		return nil, err
	}
	js, err := userJS(firefoxPrefs(cfg.Addr.String()))
	if err == nil {
		err = os.WriteFile(filepath.Join(profile, "user.js"), []byte(js), 0o644)
	}
	if err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	cmd := exec.Command(path, "-headless", "-no-remote", "-profile", profile, "--remote-debugging-port=0", "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	tail := &tailBuffer{max: 16 << 10}
	cmd.Stdout = tail
	// Its own process group, so that closing it also ends the content
	// processes it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("starting %s: %v", path, err)
	}
	f := &firefox{cmd: cmd, profileDir: profile, stderr: tail, exited: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		// Copy stderr into the tail, watching for the agent's address.
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			tail.Write([]byte(line + "\n"))
			if m := bidiListening.FindStringSubmatch(line); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		io.Copy(tail, stderr)
		cmd.Wait()
		close(f.exited)
	}()

	var url string
	select {
	case url = <-urls:
	case <-f.exited:
		f.removeProfile()
		return nil, fmt.Errorf("%s exited before its remote agent listened; output:\n%s", path, tail.String())
	case <-time.After(firefoxStartTimeout):
		f.kill()
		return nil, fmt.Errorf("%s: no remote agent after %v; output:\n%s", path, firefoxStartTimeout, tail.String())
	case <-ctx.Done():
		f.kill()
		return nil, ctx.Err()
	}
	sctx, cancel := context.WithTimeout(ctx, firefoxStartTimeout)
	defer cancel()
	if f.conn, err = dialBiDi(sctx, url+"/session"); err != nil {
		f.kill()
		return nil, err
	}
	var sess struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	// acceptInsecureCerts: the server's certificate is self-signed.
	err = f.conn.call(sctx, "session.new", map[string]any{
		"capabilities": map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": true}},
	}, &sess)
	if err == nil && sess.Capabilities.BrowserVersion == "" {
		err = errors.New("session.new: no browserVersion in the capabilities")
	}
	if err == nil {
		err = f.conn.call(sctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%v; browser output:\n%s", err, tail.String())
	}
	// The remote agent says "153.8.0"; the build calls itself
	// "153.8.0esr" (firefox --version), which tells ESR from release.
	f.version = sess.Capabilities.BrowserVersion
	if v, err := firefoxDisplayVersion(ctx, path); err == nil && strings.HasPrefix(v, f.version) {
		f.version = v
	}
	return f, nil
}

// firefoxVersionLine is what `firefox --version` prints.
var firefoxVersionLine = regexp.MustCompile(`^Mozilla Firefox (\S+)\s*$`)

// firefoxDisplayVersion runs `path --version` and returns the version it
// prints, e.g. "153.8.0esr".
func firefoxDisplayVersion(ctx context.Context, path string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "", err
	}
	m := firefoxVersionLine.FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("%s --version printed %q", path, out)
	}
	return m[1], nil
}

func (f *firefox) Name() string { return "firefox " + f.version }

// Unobservable: Firefox has no CorsError value, so no recording has
// `error` (corsim's Firefox profile still names the reason in Chromium's
// vocabulary).
func (f *firefox) Unobservable() []string { return []string{"error"} }

// Close ends the session and the browser, and removes the profile.
func (f *firefox) Close() error {
	if f.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = f.conn.call(ctx, "browser.close", nil, nil)
		cancel()
		f.conn.Close()
	}
	select {
	case <-f.exited:
		return f.removeProfile()
	case <-time.After(10 * time.Second):
		return f.kill()
	}
}

// kill ends the process group this browser started (it and its content
// processes), and only that, then removes the profile.
func (f *firefox) kill() error {
	_ = syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
	<-f.exited
	return f.removeProfile()
}

func (f *firefox) removeProfile() error { return os.RemoveAll(f.profileDir) }

// Run records every step of sc once in a fresh user context: its own
// cookie store, HTTP cache and CORS-preflight cache (Firefox keys the
// preflight cache by the request's OriginAttributes, which carry the user
// context id: nsCORSListenerProxy.cpp, nsPreflightCache::GetEntry).
func (f *firefox) Run(ctx context.Context, srv *scriptServer, sc *scenario.Scenario, log, warn func(string, ...any)) ([]scenario.Expect, error) {
	if err := srv.ensurePorts(scenarioPorts(sc)); err != nil {
		return nil, err
	}
	srv.load(sc)
	pageURL, err := initiatorURL(sc.Origin)
	if err != nil {
		return nil, err
	}
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := f.conn.call(ctx, "browser.createUserContext", nil, &uc); err != nil {
		return nil, err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		f.conn.call(dctx, "browser.removeUserContext", map[string]any{"userContext": uc.UserContext}, nil)
	}()
	var bc struct {
		Context string `json:"context"`
	}
	if err := f.conn.call(ctx, "browsingContext.create", map[string]any{"type": "tab", "userContext": uc.UserContext}, &bc); err != nil {
		return nil, err
	}
	events := f.conn.events()

	// Set the scenario's cookies (format 2) by first-party visits.
	err = visitCookieURLs(ctx, sc, func(ctx context.Context, url string) error {
		nctx, cancel := context.WithTimeout(ctx, loadTimeout)
		defer cancel()
		return f.conn.call(nctx, "browsingContext.navigate", map[string]any{"context": bc.Context, "url": url, "wait": "complete"}, nil)
	})
	if err != nil {
		return nil, err
	}
	// Load the initiator page and check that its origin is the scenario's.
	loadStart := time.Now()
	nctx, cancel := context.WithTimeout(ctx, firefoxLoadTimeout)
	err = f.conn.call(nctx, "browsingContext.navigate", map[string]any{"context": bc.Context, "url": pageURL, "wait": "complete"}, nil)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("loading the initiator page %s: %v", pageURL, err)
	}
	log("  initiator page loaded in %v", time.Since(loadStart).Round(time.Millisecond))
	var where []any
	if err := f.evaluate(ctx, bc.Context, "JSON.stringify([self.origin, location.href])", &where); err != nil {
		return nil, err
	}
	if err := checkInitiator(where, sc.Origin, pageURL); err != nil {
		return nil, err
	}
	if err := srv.noStray(); err != nil {
		return nil, err
	}

	out := make([]scenario.Expect, 0, len(sc.Steps))
	start := time.Now()
	for i, st := range sc.Steps {
		if err := waitForStep(ctx, start, sc, i, warn); err != nil {
			return nil, err
		}
		events.drain()
		srv.beginStep(st.Server)
		res, err := f.fetch(ctx, bc.Context, st.Fetch)
		if err != nil {
			srv.endStep()
			return nil, fmt.Errorf("step %d: %v", i, err)
		}
		var evs []cdpMessage
		if res.Outcome != "ok" {
			evs = settleFor(ctx, events, firefoxSettleQuiet, firefoxSettleMax)
		}
		wire := srv.endStep()
		fl := readBiDiLog(evs, bc.Context)
		log("  step %d: %s %s; console %q", i, res.Outcome, res.Message, fl.Consoles)
		// Firefox reports no CorsError value: `error` stays absent.
		out = append(out, expectOf(res, wire, fl))
	}
	if err := srv.noStray(); err != nil {
		return nil, err
	}
	return out, nil
}

// fetch performs one step's fetch() in the page.
func (f *firefox) fetch(ctx context.Context, browsingContext string, fe scenario.Fetch) (stepResult, error) {
	expr, err := fetchExpression(fe)
	if err != nil {
		return stepResult{}, err
	}
	fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	var res stepResult
	if err := f.evaluate(fctx, browsingContext, "(async () => JSON.stringify(await "+expr+"))()", &res); err != nil {
		return stepResult{}, err
	}
	// Headers iterate lower-cased and sorted; make them unique as well.
	slices.Sort(res.Headers)
	res.Headers = slices.Compact(res.Headers)
	if res.Headers == nil {
		res.Headers = []string{}
	}
	return res, nil
}

// evaluate runs expr, which yields a JSON string (or a promise of one), in
// the page of browsingContext and decodes that JSON into v.
func (f *firefox) evaluate(ctx context.Context, browsingContext, expr string, v any) error {
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := f.conn.call(ctx, "script.evaluate", map[string]any{
		"expression": expr, "target": map[string]any{"context": browsingContext},
		"awaitPromise": true, "resultOwnership": "none",
	}, &r)
	if err != nil {
		return err
	}
	if r.Type != "success" {
		return fmt.Errorf("script failed: %s", r.ExceptionDetails.Text)
	}
	s, ok := r.Result.Value.(string)
	if r.Result.Type != "string" || !ok {
		return fmt.Errorf("script returned a %s, want a JSON string", r.Result.Type)
	}
	return json.Unmarshal([]byte(s), v)
}

// settleFor collects the events of a failed step until none arrived for
// quiet (or max passed).
func settleFor(ctx context.Context, q *eventQueue, quiet, max time.Duration) []cdpMessage {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	evs := q.drain()
	for {
		qctx, qcancel := context.WithTimeout(ctx, quiet)
		more, err := q.wait(qctx)
		qcancel()
		if err != nil {
			return evs
		}
		evs = append(evs, more...)
	}
}

// readBiDiLog picks out the console lines (log.entryAdded) that the page
// of context printed. Firefox has no CorsError value: CorsErrors stays
// empty.
func readBiDiLog(evs []cdpMessage, browsingContext string) failure {
	var f failure
	for _, e := range evs {
		if e.Method != "log.entryAdded" {
			continue
		}
		var p struct {
			Type   string `json:"type"`
			Level  string `json:"level"`
			Text   string `json:"text"`
			Source struct {
				Context string `json:"context"`
			} `json:"source"`
		}
		if json.Unmarshal(e.Params, &p) != nil || p.Source.Context != browsingContext {
			continue
		}
		f.Consoles = append(f.Consoles, consoleEntry{Source: p.Type, Level: p.Level, Text: p.Text})
	}
	return f
}
