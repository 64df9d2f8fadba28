package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
)

// fakeBiDiPeer is a WebSocket server standing in for Firefox's remote
// agent: the test reads each command the client sends and writes answers
// and events itself.
type fakeBiDiPeer struct {
	conn *bidiConn
	ws   *websocket.Conn // the browser's side
}

func newFakeBiDiPeer(t *testing.T) *fakeBiDiPeer {
	t.Helper()
	peers := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/session" {
			http.NotFound(w, r)
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		peers <- ws
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := dialBiDi(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/session")
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeBiDiPeer{conn: conn, ws: <-peers}
	t.Cleanup(func() { p.ws.CloseNow(); conn.Close() })
	return p
}

// command is a command as the client sent it.
type command struct {
	ID     int64           `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

func (p *fakeBiDiPeer) next(t *testing.T) command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, data, err := p.ws.Read(ctx)
	if err != nil {
		t.Fatalf("reading a command: %v", err)
	}
	var c command
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("command %q: %v", data, err)
	}
	return c
}

func (p *fakeBiDiPeer) send(t *testing.T, msg string) {
	t.Helper()
	if err := p.ws.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

func TestBiDiCallAndEvents(t *testing.T) {
	p := newFakeBiDiPeer(t)
	done := make(chan error, 1)
	var result struct {
		Context string `json:"context"`
	}
	go func() {
		done <- p.conn.call(context.Background(), "browsingContext.create", map[string]any{"type": "tab"}, &result)
	}()
	c := p.next(t)
	if c.Method != "browsingContext.create" || string(c.Params) != `{"type":"tab"}` || c.ID == 0 {
		t.Fatalf("sent %+v", c)
	}
	// An event first, then an answer to another id, then the answer.
	p.send(t, `{"type":"event","method":"log.entryAdded","params":{"level":"error","text":"x","source":{"context":"C1"}}}`)
	p.send(t, `{"type":"success","id":999,"result":{}}`)
	p.send(t, `{"type":"success","id":`+itoa(c.ID)+`,"result":{"context":"C1"}}`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if result.Context != "C1" {
		t.Errorf("result %+v", result)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := p.conn.events().wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := readBiDiLog(evs, "C1")
	want := failure{Consoles: []consoleEntry{{Level: "error", Text: "x"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestBiDiCommandError(t *testing.T) {
	p := newFakeBiDiPeer(t)
	done := make(chan error, 1)
	go func() { done <- p.conn.call(context.Background(), "browsingContext.navigate", nil, nil) }()
	c := p.next(t)
	if string(c.Params) != `{}` {
		t.Errorf("params of a call without params: %s", c.Params)
	}
	p.send(t, `{"type":"error","id":`+itoa(c.ID)+`,"error":"unknown error","message":"NS_ERROR_UNKNOWN_HOST"}`)
	err := <-done
	var be *bidiError
	if !errors.As(err, &be) || be.Code != "unknown error" || be.Message != "NS_ERROR_UNKNOWN_HOST" {
		t.Errorf("error %v, want a *bidiError with the code and message", err)
	}
}

func TestBiDiBrowserGoneFailsPendingAndLaterCalls(t *testing.T) {
	p := newFakeBiDiPeer(t)
	done := make(chan error, 1)
	go func() { done <- p.conn.call(context.Background(), "session.status", nil, nil) }()
	p.next(t)
	p.ws.Close(websocket.StatusGoingAway, "bye")
	if err := <-done; err == nil {
		t.Fatal("a pending call succeeded after the browser went away")
	}
	if err := p.conn.call(context.Background(), "session.status", nil, nil); err == nil {
		t.Error("a call after the browser went away succeeded")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := p.conn.events().wait(ctx); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting on events of a closed connection: %v, want the queue closed", err)
	}
}

func TestBiDiCallHonoursContext(t *testing.T) {
	p := newFakeBiDiPeer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := p.conn.call(ctx, "session.status", nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want context.DeadlineExceeded", err)
	}
	// The late answer is dropped, and the connection still works.
	c := p.next(t)
	p.send(t, `{"type":"success","id":`+itoa(c.ID)+`,"result":{}}`)
	done := make(chan error, 1)
	go func() { done <- p.conn.call(context.Background(), "session.status", nil, nil) }()
	c = p.next(t)
	p.send(t, `{"type":"success","id":`+itoa(c.ID)+`,"result":{"ready":true}}`)
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func TestBiDiBadMessageEndsTheConnection(t *testing.T) {
	p := newFakeBiDiPeer(t)
	done := make(chan error, 1)
	go func() { done <- p.conn.call(context.Background(), "session.status", nil, nil) }()
	p.next(t)
	p.send(t, `{not json`)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "bad message") {
		t.Errorf("error %v, want a bad message error", err)
	}
}

func TestReadBiDiLogKeepsThePagesLines(t *testing.T) {
	evs := []cdpMessage{
		{Method: "log.entryAdded", Params: json.RawMessage(`{"type":"javascript","level":"error","text":"mine","source":{"context":"A"}}`)},
		{Method: "log.entryAdded", Params: json.RawMessage(`{"type":"console","level":"warn","text":"other tab","source":{"context":"B"}}`)},
		{Method: "browsingContext.load", Params: json.RawMessage(`{"context":"A"}`)},
		{Method: "log.entryAdded", Params: json.RawMessage(`{"type":"console","level":"info","text":"second","source":{"context":"A"}}`)},
		{Method: "log.entryAdded", Params: json.RawMessage(`not json`)},
	}
	got := readBiDiLog(evs, "A")
	want := failure{Consoles: []consoleEntry{
		{Source: "javascript", Level: "error", Text: "mine"},
		{Source: "console", Level: "info", Text: "second"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("readBiDiLog (-want +got):\n%s", diff)
	}
	if line, ok := got.console(); !ok || line != "mine" {
		t.Errorf("console() = %q, %v; want the first error-level line", line, ok)
	}
}

func TestUserJS(t *testing.T) {
	got, err := userJS([]firefoxPref{{"a.b", "x\"y"}, {"c", false}, {"d", 5}})
	if err != nil {
		t.Fatal(err)
	}
	want := "user_pref(\"a.b\", \"x\\\"y\");\nuser_pref(\"c\", false);\nuser_pref(\"d\", 5);\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("userJS (-want +got):\n%s", diff)
	}
	// Every pref of a recording profile is set once.
	seen := map[string]bool{}
	for _, p := range firefoxPrefs("127.1.2.3") {
		if seen[p.Name] {
			t.Errorf("pref %s set twice", p.Name)
		}
		seen[p.Name] = true
	}
	if !seen["network.dns.forceResolve"] || !seen["remote.prefs.recommended"] {
		t.Error("the resolver or the recommended-prefs switch is missing")
	}
}

func TestFirefoxVersionLine(t *testing.T) {
	for in, want := range map[string]string{
		"Mozilla Firefox 153.8.0esr\n": "153.8.0esr",
		"Mozilla Firefox 140.0\n":      "140.0",
		"Firefox 1\n":                  "",
		"Mozilla Firefox \n":           "",
	} {
		got := ""
		if m := firefoxVersionLine.FindStringSubmatch(in); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestIsTestHost(t *testing.T) {
	for host, want := range map[string]bool{
		"b.test": true, "B.TEST:8081": true, "a.test.": true, "xn--bcher-kva.test": true,
		"firefox.settings.services.mozilla.com": false, "test": false, "b.test.example:443": false,
		"127.0.0.1:80": false, "": false, "[::1]:443": false,
	} {
		if got := isTestHost(host); got != want {
			t.Errorf("isTestHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// FuzzBiDiDispatch feeds arbitrary messages to the client: none may
// panic, and an answer reaches only the call with its id.
func FuzzBiDiDispatch(f *testing.F) {
	f.Add([]byte(`{"type":"success","id":1,"result":{}}`))
	f.Add([]byte(`{"type":"error","id":null,"error":"invalid argument","message":"x"}`))
	f.Add([]byte(`{"type":"event","method":"log.entryAdded","params":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &bidiConn{pending: map[int64]chan bidiMessage{}, queue: newEventQueue()}
		ch := make(chan bidiMessage, 1)
		c.pending[7] = ch
		var m bidiMessage
		if json.Unmarshal(data, &m) != nil {
			return
		}
		c.dispatch(m)
		select {
		case got := <-ch:
			if got.ID == nil || *got.ID != 7 || got.Type == "event" {
				t.Errorf("call 7 got %+v", got)
			}
		default:
		}
	})
}
