package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// defaultChromium is the real binary of Debian's chromium package;
// /usr/bin/chromium is a shell wrapper that adds flags of its own.
const defaultChromium = "/usr/lib/chromium/chromium"

// installHint tells how to get the browser the recorder drives.
const installHint = "install Debian's Chromium first: apt-get update && apt-get install -y chromium"

// browser is one headless Chromium process driven over a DevTools pipe.
type browser struct {
	cmd     *exec.Cmd
	conn    *cdpConn
	dataDir string
	stderr  *tailBuffer
	exited  chan struct{}
	// Version is Chromium's version, e.g. "156.0.8078.79".
	Version string
}

// browserOptions are what a browser process is started with.
type browserOptions struct {
	Path          string // the binary; defaultChromium when empty
	ResolverRules string // --host-resolver-rules
	SPKIHash      string // base64 SHA-256 of the test certificate's SubjectPublicKeyInfo
}

// startBrowser starts Chromium headless with a fresh profile and connects
// to it.
func startBrowser(ctx context.Context, opt browserOptions) (*browser, error) {
	path := opt.Path
	if path == "" {
		path = defaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no Chromium at %s (%v); %s", path, err, installHint)
	}
	dataDir, err := os.MkdirTemp("", "corsim-recorder-profile-")
	if err != nil {
		return nil, err
	}
	args := []string{
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--user-data-dir=" + dataDir,
		"--remote-debugging-pipe",
		"--host-resolver-rules=" + opt.ResolverRules,
		"--ignore-certificate-errors-spki-list=" + opt.SPKIHash,
		"about:blank",
	}
	// The browser reads commands from its fd 3 and writes to its fd 4.
	toBrowserR, toBrowserW, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}
	fromBrowserR, fromBrowserW, err := os.Pipe()
	if err != nil {
		toBrowserR.Close()
		toBrowserW.Close()
		os.RemoveAll(dataDir)
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.ExtraFiles = []*os.File{toBrowserR, fromBrowserW}
	tail := &tailBuffer{max: 16 << 10}
	cmd.Stdout = tail
	cmd.Stderr = tail
	// Its own process group, so that closing it also ends the renderer and
	// utility processes it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		toBrowserR.Close()
		toBrowserW.Close()
		fromBrowserR.Close()
		fromBrowserW.Close()
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("starting %s: %v", path, err)
	}
	toBrowserR.Close()
	fromBrowserW.Close()
	b := &browser{
		cmd:     cmd,
		conn:    newCDPConn(fromBrowserR, toBrowserW),
		dataDir: dataDir,
		stderr:  tail,
		exited:  make(chan struct{}),
	}
	go func() {
		cmd.Wait()
		fromBrowserR.Close()
		close(b.exited)
	}()
	var v struct {
		Product string `json:"product"`
	}
	vctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := b.conn.call(vctx, "", "Browser.getVersion", nil, &v); err != nil {
		b.Close()
		return nil, fmt.Errorf("%v; browser output:\n%s", err, tail.String())
	}
	// product is "HeadlessChrome/156.0.8078.79" or "Chrome/…".
	_, ver, ok := strings.Cut(v.Product, "/")
	if !ok || ver == "" {
		b.Close()
		return nil, fmt.Errorf("unexpected Browser.getVersion product %q", v.Product)
	}
	b.Version = ver
	return b, nil
}

// Close ends the browser process and removes its profile.
func (b *browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = b.conn.call(ctx, "", "Browser.close", nil, nil)
	select {
	case <-b.exited:
	case <-time.After(10 * time.Second):
		// End the process group this browser started (it and its
		// renderer and utility processes), and only that.
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-b.exited
	}
	b.conn.w.Close()
	return os.RemoveAll(b.dataDir)
}

// tailBuffer keeps the last max bytes written to it, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
