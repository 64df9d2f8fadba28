package main

// A small WebDriver BiDi client (https://w3c.github.io/webdriver-bidi/):
// commands and their results over one WebSocket, events into queues. It
// speaks only what the Firefox engine uses; the WebSocket framing is
// github.com/coder/websocket's.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/coder/websocket"
)

// maxBiDiMessageBytes bounds one message from the browser; a larger one
// ends the connection with an error.
const maxBiDiMessageBytes = 64 << 20

// bidiConn is a WebDriver BiDi connection. Results go to their callers;
// every event goes to the queue subscribed to it (see events).
type bidiConn struct {
	ws *websocket.Conn

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan bidiMessage
	queue   *eventQueue // every event, as a cdpMessage{Method, Params}
	err     error       // set once the read side is gone
	done    chan struct{}
}

// bidiMessage is one message from the browser: a command's success or
// error (with its id), or an event (type "event").
type bidiMessage struct {
	Type    string          `json:"type"`
	ID      *int64          `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// bidiError is a command's error answer: an error code from the spec's
// table (e.g. "invalid argument", "no such frame") and a message.
type bidiError struct {
	Code    string
	Message string
}

func (e *bidiError) Error() string { return e.Code + ": " + e.Message }

// dialBiDi opens the WebSocket at url (ws://host:port/session) and starts
// reading from it.
func dialBiDi(ctx context.Context, url string) (*bidiConn, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("bidi: connecting to %s: %w", url, err)
	}
	return newBiDiConn(ws), nil
}

func newBiDiConn(ws *websocket.Conn) *bidiConn {
	ws.SetReadLimit(maxBiDiMessageBytes)
	c := &bidiConn{
		ws:      ws,
		pending: map[int64]chan bidiMessage{},
		queue:   newEventQueue(),
		done:    make(chan struct{}),
	}
	go c.readLoop()
	return c
}

// readLoop delivers every message until the connection ends, then fails
// the pending calls and closes the event queue.
func (c *bidiConn) readLoop() {
	var err error
	for {
		var typ websocket.MessageType
		var data []byte
		typ, data, err = c.ws.Read(context.Background())
		if err != nil {
			break
		}
		if typ != websocket.MessageText {
			err = errors.New("bidi: a binary message from the browser")
			break
		}
		var m bidiMessage
		if jerr := json.Unmarshal(data, &m); jerr != nil {
			err = fmt.Errorf("bidi: bad message from the browser: %v", jerr)
			break
		}
		c.dispatch(m)
	}
	if websocket.CloseStatus(err) != -1 || errors.Is(err, context.Canceled) {
		err = errors.New("bidi: the browser closed the connection")
	} else {
		err = fmt.Errorf("bidi: reading: %w", err)
	}
	c.mu.Lock()
	c.err = err
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.queue.close()
	c.mu.Unlock()
	close(c.done)
}

func (c *bidiConn) dispatch(m bidiMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Type == "event" {
		c.queue.push(cdpMessage{Method: m.Method, Params: m.Params})
		return
	}
	// An error without an id answers nothing we sent (a message the
	// browser could not parse); it is dropped, and the call it belonged
	// to ends with its context.
	if m.ID == nil {
		return
	}
	if ch, ok := c.pending[*m.ID]; ok {
		ch <- m
		delete(c.pending, *m.ID)
	}
}

// events is the queue every event goes to, as cdpMessage values with
// Method and Params set.
func (c *bidiConn) events() *eventQueue { return c.queue }

// call sends a command and waits for its result, decoded into result
// when it is not nil.
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	ch := make(chan bidiMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}
	msg, err := json.Marshal(struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params"`
	}{id, method, params})
	if err != nil {
		forget()
		return err
	}
	if err := c.ws.Write(ctx, websocket.MessageText, msg); err != nil {
		forget()
		return fmt.Errorf("bidi: sending %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("bidi: %s: %w", method, c.closedErr())
		}
		if m.Type == "error" {
			return fmt.Errorf("bidi: %s: %w", method, &bidiError{Code: m.Error, Message: m.Message})
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("bidi: %s: decoding the result: %v", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		forget()
		return fmt.Errorf("bidi: %s: %w", method, ctx.Err())
	}
}

func (c *bidiConn) closedErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the WebSocket and waits for the read side to end.
func (c *bidiConn) Close() error {
	err := c.ws.Close(websocket.StatusNormalClosure, "")
	<-c.done
	return err
}
