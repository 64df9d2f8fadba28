package e2e

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshot = flag.String("screenshot", "", "save the page's screenshot here (default: a temporary file)")

// chromiumPath is Debian's Chromium, or CORSIM_CHROMIUM.
func chromiumPath(t *testing.T) string {
	p := os.Getenv("CORSIM_CHROMIUM")
	if p == "" {
		p = "/usr/lib/chromium/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("Chromium is needed for the end-to-end test: %v (apt-get install chromium, or set CORSIM_CHROMIUM)", err)
	}
	return p
}

// startServe builds the checkout's cmd/corsim and runs `corsim serve -port 0`, returning
// the page's URL.
func startServe(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "corsim")
	build := exec.Command("go", "build", "-o", bin, "./cmd/corsim")
	build.Dir = filepath.Join("..", "..") // the checkout this module sits in
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "-port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("corsim serve printed no address: %v", err)
	}
	// "corsim playground on http://127.0.0.1:PORT/ (Ctrl-C stops it)"
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "http://127.0.0.1:") {
			return f
		}
	}
	t.Fatalf("no loopback URL in %q", line)
	return ""
}

func newBrowser(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// setSelect chooses value in a <select> the way a person does: the change
// event fires.
func setSelect(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, value))
}

// retype clears a field and types text into it, firing input events.
func retype(sel, text string) chromedp.Action[chromedp.Void] {
	clear := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
	return chromedp.Steps(clear, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// waitText waits until sel's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want), chromedp.WithPollingTimeout(30*time.Second))
}

// runs is how many runs the page has finished (body data-runs).
func runs(ctx context.Context) (int, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[int](`Number(document.body.dataset.runs || 0)`))
}

// andWait does the actions, the last of which starts a run, and waits for
// the page to finish that run.
func andWait(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	before, err := runs(ctx)
	if err != nil {
		return err
	}
	if err := chromedp.Do(ctx, actions...); err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(`Number(document.body.dataset.runs || 0) > %d`, before), chromedp.WithPollingTimeout(30*time.Second)))
}

// TestPlayground fills a preflight failure into the page by hand, checks
// that the verdict, the fix, the trace and the diagram appear, switches to
// the Firefox profile, checks that a bad input is reported in the page,
// saves a screenshot, and opens a scenario file where profiles differ.
func TestPlayground(t *testing.T) {
	url := startServe(t)
	ctx := newBrowser(t)

	// Start from the simple GET example: it is allowed.
	err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#output")),
	)
	if err == nil {
		err = andWait(ctx, setSelect("#example", "5"))
	}
	if err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	if err := chromedp.Do(ctx, waitText("#verdict", "fetch() resolves")); err != nil {
		t.Fatalf("the simple GET example: %v", err)
	}

	// Compose a DELETE with a custom header whose preflight answer forgets
	// Access-Control-Allow-Origin.
	err = andWait(ctx,
		retype("#url", "http://b.test/items/7"),
		retype("#method", "DELETE"),
		retype("#headers", "X-Token: 1"),
		retype("#rules .rule:nth-child(1) .r-method", "OPTIONS"),
		retype("#rules .rule:nth-child(1) .r-url", "http://b.test/items/7"),
		retype("#rules .rule:nth-child(1) .r-status", "204"),
		retype("#rules .rule:nth-child(1) .r-headers", "Access-Control-Allow-Methods: DELETE\nAccess-Control-Allow-Headers: X-Token"),
		retype("#rules .rule:nth-child(1) .r-body", ""),
		chromedp.Click(chromedp.CSS("#run")),
	)
	if err != nil {
		t.Fatalf("composing the preflight failure: %v", err)
	}

	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return v
	}
	eval := func(expr string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	verdict, fix, wire, trace := text("#verdict .verdict"), text("#verdict .fix"), text("#verdict table.wire"), text("#trace")
	blockedSteps := eval(`document.querySelectorAll("#trace li.blocked").length`)
	diagram, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector("#diagram svg"); return s ? s.textContent : ""; })()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"verdict", verdict, "rejects"},
		{"verdict", verdict, "PreflightMissingAllowOriginHeader"},
		{"fix", fix, "send Access-Control-Allow-Origin: http://a.test"},
		{"wire", wire, "OPTIONS http://b.test/items/7"},
		{"wire", wire, "access-control-request-headers: x-token"},
		{"trace", trace, "Fetch §4.8 CORS-preflight fetch"},
		{"diagram", diagram, "blocked: PreflightMissingAllowOriginHeader"},
		{"diagram", diagram, "OPTIONS /items/7"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s does not show %q; it shows:\n%s", c.what, c.want, c.got)
		}
	}
	if blockedSteps != 1 {
		t.Errorf("the trace marks %d steps as blocked, want 1", blockedSteps)
	}

	// Switch the profile: the page replays under Firefox.
	if err := andWait(ctx, setSelect("#profile", "firefox")); err != nil {
		t.Fatalf("switching to firefox: %v", err)
	}
	if title := text("#title"); !strings.Contains(title, "simulated as firefox") {
		t.Errorf("after switching, the title is %q", title)
	}
	current, verdict := text("#compare th.current"), text("#verdict .verdict")
	if current != "firefox" {
		t.Errorf("the comparison highlights %q, want firefox", current)
	}
	if !strings.Contains(verdict, "PreflightMissingAllowOriginHeader") {
		t.Errorf("under firefox the verdict is %q, want the same preflight failure", verdict)
	}

	// A bad input gets a message in the page, not a broken page.
	if err := andWait(ctx, retype("#origin", "http://a.test/"), chromedp.Click(chromedp.CSS("#run"))); err != nil {
		t.Fatalf("bad origin: %v", err)
	}
	msg := text("#error")
	if !strings.Contains(msg, "origin") {
		t.Errorf("the message for a bad origin is %q", msg)
	}
	invalid := eval(`document.querySelectorAll("#origin.invalid").length`)
	if invalid != 1 {
		t.Error("the origin field is not marked as the one at fault")
	}

	// Put the origin back and save the screenshot of the result.
	if err := andWait(ctx, retype("#origin", "http://a.test"), chromedp.Click(chromedp.CSS("#run"))); err != nil {
		t.Fatal(err)
	}
	if v := text("#verdict .verdict"); !strings.Contains(v, "PreflightMissingAllowOriginHeader") {
		t.Errorf("after fixing the origin, the verdict is %q", v)
	}
	if hidden := eval(`document.getElementById("error").hidden ? 1 : 0`); hidden != 1 {
		t.Error("the error message is still shown after a good run")
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := *screenshot
	if out == "" {
		out = filepath.Join(t.TempDir(), "playground.png")
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(png))

	// Apply the fix: the preflight passes, and the DELETE, which no answer
	// matched (the default 404), fails the CORS check; apply that fix too
	// (it adds an answer) and the fetch resolves.
	if err := andWait(ctx, chromedp.Click(chromedp.CSS("#verdict .applyfix"))); err != nil {
		t.Fatalf("applying the first fix: %v", err)
	}
	if v := text("#verdict .verdict"); !strings.Contains(v, "CORS error MissingAllowOriginHeader") {
		t.Errorf("after the preflight fix, the verdict is %q; want the actual request's MissingAllowOriginHeader", v)
	}
	if err := andWait(ctx, chromedp.Click(chromedp.CSS("#verdict .applyfix"))); err != nil {
		t.Fatalf("applying the second fix: %v", err)
	}
	if v := text("#verdict .verdict"); !strings.Contains(v, "fetch() resolves") {
		t.Errorf("after both fixes, the verdict is %q", v)
	}
	if n := eval(`document.querySelectorAll("#rules .rule").length`); n != 2 {
		t.Errorf("%d answers in the form after the fixes, want 2 (OPTIONS and the added DELETE)", n)
	}

	// Open a scenario file where the profiles differ: the comparison
	// highlights the step.
	file, err := filepath.Abs(filepath.Join("..", "..", "testdata", "divergence", "authorization-under-wildcard.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := andWait(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file})); err != nil {
		t.Fatalf("opening %s: %v", file, err)
	}
	if title := text("#title"); !strings.Contains(title, "Allow-Headers '*'") {
		t.Errorf("after opening the file, the title is %q", title)
	}
	if n := eval(`document.querySelectorAll("#compare tr.differs").length`); n != 1 {
		t.Errorf("%d highlighted rows in the comparison, want 1 (the spec profile differs)", n)
	}
}
