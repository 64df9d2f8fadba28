package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeBrowser answers DevTools commands over in-memory pipes the way
// Chromium does over --remote-debugging-pipe.
type fakeBrowser struct {
	conn     *cdpConn
	toClient *io.PipeWriter
	commands *bufio.Reader
}

func newFakeBrowser(t *testing.T) *fakeBrowser {
	cmdR, cmdW := io.Pipe()
	evR, evW := io.Pipe()
	f := &fakeBrowser{conn: newCDPConn(evR, cmdW), toClient: evW, commands: bufio.NewReader(cmdR)}
	t.Cleanup(func() { evW.Close(); cmdR.Close() })
	return f
}

// next reads the next command the client sent.
func (f *fakeBrowser) next(t *testing.T) cdpMessage {
	t.Helper()
	raw, err := readMessage(f.commands, maxMessageBytes)
	if err != nil {
		t.Error(err)
		return cdpMessage{}
	}
	var m cdpMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Errorf("command %q: %v", raw, err)
	}
	return m
}

func (f *fakeBrowser) send(t *testing.T, msg string) {
	t.Helper()
	if _, err := io.WriteString(f.toClient, msg+"\x00"); err != nil {
		t.Error(err)
	}
}

func TestCDPCallAndEvents(t *testing.T) {
	f := newFakeBrowser(t)
	ctx := context.Background()
	events := f.conn.events("S1")
	done := make(chan error, 1)
	var result struct {
		Product string `json:"product"`
	}
	go func() { done <- f.conn.call(ctx, "S1", "Browser.getVersion", map[string]int{"x": 1}, &result) }()

	cmd := f.next(t)
	if cmd.Method != "Browser.getVersion" || cmd.SessionID != "S1" || string(cmd.Params) != `{"x":1}` {
		t.Fatalf("command sent: %+v", cmd)
	}
	// An event for another session, one for S1, then the answer.
	f.send(t, `{"method":"Log.entryAdded","sessionId":"S2","params":{}}`)
	f.send(t, `{"method":"Page.loadEventFired","sessionId":"S1","params":{"timestamp":1}}`)
	f.send(t, `{"id":`+itoa(cmd.ID)+`,"sessionId":"S1","result":{"product":"HeadlessChrome/156.0.8078.79"}}`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if result.Product != "HeadlessChrome/156.0.8078.79" {
		t.Errorf("result %+v", result)
	}
	if err := waitEvent(ctx, events, "Page.loadEventFired", time.Second); err != nil {
		t.Error(err)
	}
	if got := events.drain(); len(got) != 0 {
		t.Errorf("S1 has events of another session: %v", got)
	}
}

func TestCDPCommandError(t *testing.T) {
	f := newFakeBrowser(t)
	done := make(chan error, 1)
	go func() { done <- f.conn.call(context.Background(), "", "Target.nope", nil, nil) }()
	cmd := f.next(t)
	if string(cmd.Params) != "{}" {
		t.Errorf("nil params sent as %s, want {}", cmd.Params)
	}
	f.send(t, `{"id":`+itoa(cmd.ID)+`,"error":{"code":-32601,"message":"'Target.nope' wasn't found"}}`)
	err := <-done
	var ce *cdpError
	if !errors.As(err, &ce) || ce.Code != -32601 {
		t.Errorf("call gave %v, want the browser's error", err)
	}
}

func TestCDPBrowserGoneFailsPendingAndLaterCalls(t *testing.T) {
	f := newFakeBrowser(t)
	q := f.conn.events("S")
	done := make(chan error, 1)
	go func() { done <- f.conn.call(context.Background(), "", "Browser.getVersion", nil, nil) }()
	f.next(t)
	f.toClient.Close()
	if err := <-done; err == nil {
		t.Error("a pending call survived the browser's exit")
	}
	if err := f.conn.call(context.Background(), "", "Browser.getVersion", nil, nil); err == nil {
		t.Error("a call after the browser's exit succeeded")
	}
	if _, err := q.wait(context.Background()); err == nil {
		t.Error("waiting on a closed session's events did not fail")
	}
}

func TestCDPCallHonoursContext(t *testing.T) {
	f := newFakeBrowser(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.conn.call(ctx, "", "Runtime.evaluate", nil, nil) }()
	f.next(t)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("call gave %v, want context.Canceled", err)
	}
}

func TestReadMessage(t *testing.T) {
	long := strings.Repeat("x", 70000) // longer than the reader's buffer
	br := bufio.NewReaderSize(strings.NewReader("{}\x00"+long+"\x00\x00tail"), 16)
	var got []string
	for {
		m, err := readMessage(br, maxMessageBytes)
		if err != nil {
			if err != io.EOF {
				t.Errorf("error %v, want io.EOF for the unterminated tail", err)
			}
			break
		}
		got = append(got, string(m))
	}
	if diff := cmp.Diff([]string{"{}", long, ""}, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestReadMessageRefusesHugeMessages(t *testing.T) {
	const limit = 100
	br := bufio.NewReaderSize(strings.NewReader(strings.Repeat("x", limit)+"\x00"+strings.Repeat("y", limit+1)+"\x00"), 16)
	if m, err := readMessage(br, limit); err != nil || len(m) != limit {
		t.Errorf("a message of exactly the limit gave %d bytes, %v", len(m), err)
	}
	if _, err := readMessage(br, limit); err == nil || err == io.EOF {
		t.Errorf("readMessage of a message over the limit gave %v, want a size error", err)
	}
}

func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("{\"id\":1}\x00{\"method\":\"x\"}\x00"))
	f.Add([]byte("\x00\x00"))
	f.Add([]byte("no terminator"))
	f.Fuzz(func(t *testing.T, in []byte) {
		// Reading splits the stream at NUL bytes: joining the messages back
		// with NULs gives the input up to its last NUL.
		br := bufio.NewReaderSize(bytes.NewReader(in), 16)
		var msgs [][]byte
		for {
			m, err := readMessage(br, maxMessageBytes)
			if err != nil {
				break
			}
			if bytes.IndexByte(m, 0) >= 0 {
				t.Fatalf("message %q holds a NUL", m)
			}
			msgs = append(msgs, m)
		}
		want := in[:bytes.LastIndexByte(in, 0)+1]
		var joined []byte
		for _, m := range msgs {
			joined = append(append(joined, m...), 0)
		}
		if !bytes.Equal(joined, want) {
			t.Fatalf("messages %q do not rebuild %q", msgs, want)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
