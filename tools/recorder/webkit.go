package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/corsim/corsim/scenario"
)

// Debian's WebKitGTK: webkit2gtk-driver's WebKitWebDriver starts
// libwebkit2gtk-4.1's MiniBrowser for each session, under Xvfb (xvfb),
// since MiniBrowser has no headless mode.
const (
	defaultWebKitDriver = "/usr/bin/WebKitWebDriver"
	defaultMiniBrowser  = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
	defaultXvfb         = "/usr/bin/Xvfb"
	webkitInstallHint   = "install Debian's WebKitGTK driver and Xvfb first: apt-get update && apt-get install -y webkit2gtk-driver xvfb"
)

// webkitLocale is the locale the browser runs under. WebKitGTK takes
// Accept-Language and navigator.language from the process locale: under
// LANG=C.UTF-8 it sends "Accept-Language: C", under en_US.UTF-8 "en-US".
const webkitLocale = "en_US.UTF-8"

// Time limits of the WebKit engine's processes.
const (
	xvfbStartTimeout   = 20 * time.Second
	driverStartTimeout = 20 * time.Second
	sessionTimeout     = 120 * time.Second
	// webkitLoadTimeout bounds the initiator page's load, which starts
	// the web process: seconds on a loaded machine.
	webkitLoadTimeout = 60 * time.Second
	// faviconWait is how long a run waits for the page's favicon request
	// before its first step.
	faviconWait = 3 * time.Second
)

// webkit is MiniBrowser driven by WebKitWebDriver under its own Xvfb. Each
// Run is a new WebDriver session, which starts a new MiniBrowser process
// with an ephemeral website data store (empty caches and cookies). The
// browser reaches the scripted server through it acting as an HTTP proxy
// (webkitCapabilities).
type webkit struct {
	xvfb, driver *process
	wd           *webDriver
	miniBrowser  string
	version      string // e.g. "2.50.6"
}

// process is a child process in its own process group.
type process struct {
	cmd    *exec.Cmd
	output *tailBuffer
	exited chan struct{}
}

func startProcess(path string, args, env []string, extra []*os.File) (*process, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.ExtraFiles = extra
	out := &tailBuffer{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that ending it also ends what it started
	// (the driver's MiniBrowser and WebKit's helper processes); killed as
	// well if the recorder dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v", path, err)
	}
	p := &process{cmd: cmd, output: out, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// stop ends the process group: SIGTERM, then SIGKILL after grace.
func (p *process) stop(grace time.Duration) {
	if p == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
}

func startWebKit(ctx context.Context, cfg engineConfig) (engine, error) {
	driverPath := cfg.Path
	if driverPath == "" {
		driverPath = defaultWebKitDriver
	}
	for _, p := range []string{driverPath, defaultMiniBrowser, defaultXvfb} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("no %s (%v); %s", p, err, webkitInstallHint)
		}
	}
	w := &webkit{miniBrowser: defaultMiniBrowser}
	localeEnv, err := w.prepareLocale(ctx)
	if err != nil {
		w.Close()
		return nil, err
	}
	display, err := w.startXvfb(ctx)
	if err != nil {
		return nil, err
	}
	if err := w.startDriver(ctx, driverPath, append(webkitEnv(display), localeEnv...)); err != nil {
		w.Close()
		return nil, err
	}
	// A first session names the build and shows the setup works.
	sctx, cancel := context.WithTimeout(ctx, sessionTimeout)
	defer cancel()
	s, err := w.newSession(sctx, netip.AddrPort{})
	if err != nil {
		w.Close()
		return nil, err
	}
	w.version = s.BrowserVersion
	s.Delete(sctx)
	if w.version == "" {
		w.Close()
		return nil, errors.New("WebKitWebDriver named no browserVersion")
	}
	return w, nil
}

// startXvfb starts an X server on a display it picks itself (-displayfd)
// and returns that display, e.g. ":3".
func (w *webkit) startXvfb(ctx context.Context) (string, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	// fd 3 in the child: Xvfb writes the display number there when ready.
	p, err := startProcess(defaultXvfb, []string{"-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24"}, os.Environ(), []*os.File{wr})
	wr.Close()
	if err != nil {
		return "", err
	}
	w.xvfb = p
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			w.Close()
			return "", fmt.Errorf("Xvfb named no display (%q); its output:\n%s", s, p.output.String())
		}
		return ":" + strconv.Itoa(n), nil
	case <-time.After(xvfbStartTimeout):
	case <-ctx.Done():
	}
	w.Close()
	return "", fmt.Errorf("Xvfb did not start; its output:\n%s", p.output.String())
}

// startDriver starts WebKitWebDriver on a free loopback port, with the
// display and locale its MiniBrowser processes inherit, and waits until it
// accepts sessions.
func (w *webkit) startDriver(ctx context.Context, path string, env []string) error {
	port, err := freeLoopbackPort()
	if err != nil {
		return err
	}
	p, err := startProcess(path, []string{"--port=" + strconv.Itoa(port), "--host=127.0.0.1"}, env, nil)
	if err != nil {
		return err
	}
	w.driver = p
	w.wd = newWebDriver("http://127.0.0.1:" + strconv.Itoa(port))
	deadline := time.Now().Add(driverStartTimeout)
	for {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := w.wd.ready(cctx)
		cancel()
		if ok {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("WebKitWebDriver exited; its output:\n%s", p.output.String())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("WebKitWebDriver did not become ready (%v); its output:\n%s", err, p.output.String())
		}
	}
}

// webkitEnv is the driver's environment: the caller's without its display,
// locale and proxy settings, with display and GTK's accessibility bridge
// off (no session bus to find); prepareLocale's entries complete it.
func webkitEnv(display string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "DISPLAY", name == "WAYLAND_DISPLAY", name == "LANG", name == "LANGUAGE", name == "LOCPATH", strings.HasPrefix(name, "LC_"),
			name == "http_proxy", name == "https_proxy", name == "no_proxy", name == "HTTP_PROXY", name == "HTTPS_PROXY", name == "NO_PROXY", name == "all_proxy", name == "ALL_PROXY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "DISPLAY="+display, "GDK_BACKEND=x11", "NO_AT_BRIDGE=1")
}

// prepareLocale returns the environment entries that select webkitLocale:
// the system's when it is generated, otherwise one compiled with localedef
// (from Debian's locales package) into the user's cache directory, where
// later runs find it, as LOCPATH.
func (w *webkit) prepareLocale(ctx context.Context) ([]string, error) {
	want := strings.ToLower(strings.ReplaceAll(webkitLocale, "-", ""))
	if out, err := exec.CommandContext(ctx, "locale", "-a").Output(); err == nil {
		for _, l := range strings.Fields(string(out)) {
			if strings.ToLower(strings.ReplaceAll(l, "-", "")) == want {
				return []string{"LANG=" + webkitLocale}, nil
			}
		}
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cache, "corsim-recorder", "locale")
	compiled := filepath.Join(dir, webkitLocale, "LC_CTYPE")
	if _, err := os.Stat(compiled); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		lang, charset, _ := strings.Cut(webkitLocale, ".")
		out, err := exec.CommandContext(ctx, "localedef", "-i", lang, "-f", charset, filepath.Join(dir, webkitLocale)).CombinedOutput()
		// localedef exits 1 for mere warnings: the compiled files decide.
		if _, serr := os.Stat(compiled); serr != nil {
			return nil, fmt.Errorf("no %s locale and localedef could not compile one (%v: %s); install Debian's locales package", webkitLocale, err, out)
		}
	}
	return []string{"LOCPATH=" + dir, "LANG=" + webkitLocale}, nil
}

// freeLoopbackPort returns a TCP port on 127.0.0.1 that was free a moment
// ago.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// newSession starts a MiniBrowser with a fresh ephemeral data store,
// routed through proxy (when valid).
func (w *webkit) newSession(ctx context.Context, proxy netip.AddrPort) (*webDriverSession, error) {
	return w.wd.newSession(ctx, webkitCapabilities(w.miniBrowser, proxy))
}

// webkitCapabilities are a session's capabilities: MiniBrowser in
// automation mode, TLS errors accepted (the test certificate is
// self-signed), and every request sent to proxy (when valid) through
// MiniBrowser's own --proxy, which sends http in absolute form and tunnels
// https with CONNECT. Not the W3C proxy capability: WebKitGTK applies it
// instead of --proxy, and its httpProxy leaves https direct (where no .test
// name resolves), while its sslProxy makes WebKit speak TLS to the proxy
// itself.
func webkitCapabilities(miniBrowser string, proxy netip.AddrPort) map[string]any {
	args := []string{"--automation"}
	if proxy.IsValid() {
		args = append(args, "--proxy=http://"+proxy.String())
	}
	return map[string]any{
		"acceptInsecureCerts":      true,
		"webkitgtk:browserOptions": map[string]any{"binary": miniBrowser, "args": args},
	}
}

func (w *webkit) Name() string { return "webkit " + w.version }

// Unobservable names the expect fields classic WebDriver cannot show: WebKit's
// console lines and a CORS error code.
func (w *webkit) Unobservable() []string { return []string{"console", "error"} }

// Close ends the driver (and any browser it still runs) and the X server.
func (w *webkit) Close() error {
	w.driver.stop(5 * time.Second)
	w.xvfb.stop(5 * time.Second)
	return nil
}

// webkitFetchScript is the body of the async script that runs a step's
// fetch(): the Chromium engine's fetch expression, its result handed to
// WebDriver's callback.
const webkitFetchScript = "const done = arguments[arguments.length - 1];\n(%s).then(done, e => done({outcome: \"script-error\", message: String(e)}));"

// Run records every step of sc once in a new session.
func (w *webkit) Run(ctx context.Context, srv *scriptServer, sc *scenario.Scenario, log, warn func(string, ...any)) ([]scenario.Expect, error) {
	if err := srv.ensurePorts(scenarioPorts(sc)); err != nil {
		return nil, err
	}
	srv.load(sc)
	pageURL, err := initiatorURL(sc.Origin)
	if err != nil {
		return nil, err
	}
	proxy, err := srv.proxyAddr()
	if err != nil {
		return nil, fmt.Errorf("starting the proxy: %v", err)
	}
	sctx, cancel := context.WithTimeout(ctx, sessionTimeout)

	s, err := w.newSession(sctx, proxy)
	cancel()
	if err != nil {
		return nil, err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Delete(dctx)
	}()
	if err := s.SetTimeouts(ctx, webDriverTimeouts{Script: fetchTimeout.Milliseconds(), PageLoad: webkitLoadTimeout.Milliseconds()}); err != nil {
		return nil, err
	}

	// Set the scenario's cookies (format 2) by first-party visits; each
	// page's favicon request is let happen before the next navigation.
	err = visitCookieURLs(ctx, sc, func(ctx context.Context, url string) error {
		if err := s.Navigate(ctx, url); err != nil {
			return err
		}
		return srv.awaitFavicon(ctx, faviconWait)
	})
	if err != nil {
		return nil, err
	}
	// Load the initiator page and check that its origin is the scenario's.
	if err := s.Navigate(ctx, pageURL); err != nil {
		return nil, fmt.Errorf("loading the initiator page %s: %v", pageURL, err)
	}
	var where []any
	if err := s.ExecuteSync(ctx, "return [self.origin, location.href];", nil, &where); err != nil {
		return nil, err
	}
	if err := checkInitiator(where, sc.Origin, pageURL); err != nil {
		return nil, err
	}
	// WebKit asks for the page's favicon once it has loaded; let that
	// happen before the steps, whose wire it would otherwise join.
	for wait := time.Now().Add(faviconWait); srv.pageFavicons() == 0 && time.Now().Before(wait); {
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
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
		srv.beginStep(st.Server)
		res, err := w.fetch(ctx, s, st.Fetch)
		wire := srv.endStep()
		if err != nil {
			return nil, fmt.Errorf("step %d: %v", i, err)
		}
		log("  step %d: %s %s", i, res.Outcome, res.Message)
		// Classic WebDriver exposes neither console lines nor a CORS
		// error code: a failure records the outcome and the wire only.
		out = append(out, expectOf(res, wire, failure{}))
	}
	if err := srv.noStray(); err != nil {
		return nil, err
	}
	return out, nil
}

// fetch performs one step's fetch() in the page.
func (w *webkit) fetch(ctx context.Context, s *webDriverSession, f scenario.Fetch) (stepResult, error) {
	expr, err := fetchExpression(f)
	if err != nil {
		return stepResult{}, err
	}
	var res stepResult
	if err := s.ExecuteAsync(ctx, fmt.Sprintf(webkitFetchScript, expr), nil, &res); err != nil {
		return stepResult{}, err
	}
	if res.Outcome == "script-error" {
		return stepResult{}, fmt.Errorf("the fetch script failed: %s", res.Message)
	}
	// Headers iterate lower-cased and sorted; make them unique as well.
	slices.Sort(res.Headers)
	res.Headers = slices.Compact(res.Headers)
	if res.Headers == nil {
		res.Headers = []string{}
	}
	return res, nil
}
