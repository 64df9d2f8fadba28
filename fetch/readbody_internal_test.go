package fetch

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"pgregory.net/rapid"
)

// readAtMost reads what io.ReadAll(io.LimitReader(r, limit)) reads, whatever
// length the response declares (right, too short, too long or unknown) and
// however the reader splits its reads.
func TestReadAtMostAgreesWithReadAllOfLimitReader(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		body := strings.Repeat("x", rapid.IntRange(0, 3000).Draw(t, "length"))
		limit := int64(rapid.IntRange(1, 3100).Draw(t, "limit"))
		declared := int64(len(body))
		switch rapid.IntRange(0, 3).Draw(t, "declared") {
		case 1:
			declared = -1
		case 2:
			declared = int64(rapid.IntRange(0, len(body)).Draw(t, "shorter"))
		case 3:
			declared += int64(rapid.IntRange(1, 100).Draw(t, "longer"))
		}
		var r io.Reader = strings.NewReader(body)
		if rapid.Bool().Draw(t, "one byte at a time") {
			r = iotest.OneByteReader(r)
		}
		got, err := readAtMost(r, limit, declared)
		want, _ := io.ReadAll(io.LimitReader(strings.NewReader(body), limit))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("readAtMost = %d bytes, %v; want %d bytes", len(got), err, len(want))
		}
	})
}

func TestReadAtMostReturnsTheReadersError(t *testing.T) {
	boom := io.ErrUnexpectedEOF
	got, err := readAtMost(iotest.DataErrReader(iotest.ErrReader(boom)), 100, 10)
	if err != boom || len(got) != 0 {
		t.Fatalf("got %q, %v; want the reader's error", got, err)
	}
}

func TestReadAtMostAllocatesOnceForADeclaredLength(t *testing.T) {
	body := strings.NewReader(strings.Repeat("x", 1000))
	n := testing.AllocsPerRun(100, func() {
		body.Seek(0, io.SeekStart)
		readAtMost(body, MaxBodyBytes+1, 1000)
	})
	if n != 1 {
		t.Fatalf("%v allocations, want 1", n)
	}
}
