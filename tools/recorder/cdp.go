package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// maxMessageBytes caps one DevTools protocol message read from the browser.
const maxMessageBytes = 64 << 20

// cdpConn is a DevTools protocol connection over Chromium's
// --remote-debugging-pipe: JSON messages separated by NUL bytes, commands
// written to the browser's fd 3, answers and events read from its fd 4.
// https://chromedevtools.github.io/devtools-protocol/
type cdpConn struct {
	w io.WriteCloser

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan cdpMessage
	sessions map[string]*eventQueue
	err      error // set once the read side is gone
	done     chan struct{}
}

// cdpMessage is any message the browser sends: an answer (ID set) or an
// event (Method set).
type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *cdpError       `json:"error,omitempty"`
}

// cdpError is a command's failure as the browser reports it.
type cdpError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data,omitempty"`
}

func (e *cdpError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("%s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("%s (%d)", e.Message, e.Code)
}

// newCDPConn starts reading r and returns the connection writing to w.
func newCDPConn(r io.Reader, w io.WriteCloser) *cdpConn {
	c := &cdpConn{
		w:        w,
		pending:  map[int64]chan cdpMessage{},
		sessions: map[string]*eventQueue{},
		done:     make(chan struct{}),
	}
	go c.readLoop(r)
	return c
}

func (c *cdpConn) readLoop(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<16)
	var err error
	for {
		var msg []byte
		msg, err = readMessage(br, maxMessageBytes)
		if err != nil {
			break
		}
		var m cdpMessage
		if jerr := json.Unmarshal(msg, &m); jerr != nil {
			err = fmt.Errorf("devtools: bad message from the browser: %v", jerr)
			break
		}
		c.dispatch(m)
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("devtools: the browser closed the connection")
	}
	c.mu.Lock()
	c.err = err
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	for _, q := range c.sessions {
		q.close()
	}
	c.mu.Unlock()
	close(c.done)
}

// readMessage reads one NUL-terminated message, refusing one longer than
// limit bytes.
func readMessage(br *bufio.Reader, limit int) ([]byte, error) {
	var msg []byte
	for {
		chunk, err := br.ReadSlice(0)
		msg = append(msg, chunk...)
		if len(msg) > limit+1 {
			return nil, fmt.Errorf("devtools: a message is longer than %d bytes", limit)
		}
		if err == nil {
			return msg[:len(msg)-1], nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

func (c *cdpConn) dispatch(m cdpMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.ID != 0 {
		if ch, ok := c.pending[m.ID]; ok {
			ch <- m
			delete(c.pending, m.ID)
		}
		return
	}
	if q, ok := c.sessions[m.SessionID]; ok {
		q.push(m)
	}
}

// events returns the queue of events of a session ("" for the browser's
// own), creating it on first use. Events that arrive before a session's
// queue exists are dropped.
func (c *cdpConn) events(sessionID string) *eventQueue {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, ok := c.sessions[sessionID]
	if !ok {
		q = newEventQueue()
		if c.err != nil {
			q.close()
		}
		c.sessions[sessionID] = q
	}
	return q
}

// forget drops a session's event queue.
func (c *cdpConn) forget(sessionID string) {
	c.mu.Lock()
	if q, ok := c.sessions[sessionID]; ok {
		q.close()
		delete(c.sessions, sessionID)
	}
	c.mu.Unlock()
}

// call sends a command and decodes its result into result (when not nil).
func (c *cdpConn) call(ctx context.Context, sessionID, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan cdpMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	msg, err := json.Marshal(cdpMessage{ID: id, SessionID: sessionID, Method: method, Params: p})
	if err == nil {
		_, err = c.w.Write(append(msg, 0))
	}
	if err != nil {
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("devtools: sending %s: %w", method, err)
	}
	c.mu.Unlock()

	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("devtools: %s: %w", method, c.closedErr())
		}
		if m.Error != nil {
			return fmt.Errorf("devtools: %s: %w", method, m.Error)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("devtools: %s: decoding the result: %v", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("devtools: %s: %w", method, ctx.Err())
	}
}

func (c *cdpConn) closedErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// eventQueue is an unbounded queue of events, so that the read loop never
// blocks on a slow reader.
type eventQueue struct {
	mu     sync.Mutex
	items  []cdpMessage
	notify chan struct{} // has a value when items may be non-empty
	closed bool
}

func newEventQueue() *eventQueue {
	return &eventQueue{notify: make(chan struct{}, 1)}
}

func (q *eventQueue) push(m cdpMessage) {
	q.mu.Lock()
	q.items = append(q.items, m)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// drain returns the queued events and empties the queue.
func (q *eventQueue) drain() []cdpMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

// wait returns the queued events, waiting until there is at least one or
// ctx ends. It returns ctx's error, or an error when the queue is closed
// and empty.
func (q *eventQueue) wait(ctx context.Context) ([]cdpMessage, error) {
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		q.items = nil
		q.mu.Unlock()
		if len(items) > 0 {
			return items, nil
		}
		if closed {
			return nil, errors.New("devtools: the session is closed")
		}
		select {
		case <-q.notify:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
