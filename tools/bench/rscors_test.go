package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/internal/benchcpu"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/cors"
)

// The request rs/cors answers in the comparison: a PUT from http://a.test
// with a JSON body type and a custom header, whose preflight passed.
func rsCORSRequest() *http.Request {
	r := httptest.NewRequest(http.MethodPut, "http://b.test/r", nil)
	r.Header.Set("Origin", "http://a.test")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Foo", "1")
	return r
}

func rsCORSHandler(credentials bool) http.Handler {
	c := cors.New(cors.Options{
		AllowedOrigins:   []string{"http://a.test"},
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type", "X-Foo"},
		AllowCredentials: credentials,
	})
	return c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{"text/plain"}
	}))
}

// headerWriter is a ResponseWriter that keeps only the header map, as
// rs/cors's own benchmark does.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// rsCORSAnswer is the header list rs/cors writes for the request.
func rsCORSAnswer(credentials bool) http.Header {
	w := &headerWriter{h: http.Header{}}
	rsCORSHandler(credentials).ServeHTTP(w, rsCORSRequest())
	return w.h
}

// The response corsim checks is the one rs/cors gives, and it passes.
func TestCORSCheckPassesRSCorsAnswer(t *testing.T) {
	for _, credentials := range []bool{false, true} {
		h := rsCORSAnswer(credentials)
		if err := enforce.CORSCheck(enforce.Chromium, h, "http://a.test", credentials, 200); err != nil {
			t.Errorf("credentials %v: %v", credentials, err)
		}
		want := http.Header{"Content-Type": {"text/plain"}, "Vary": {"Origin"}, "Access-Control-Allow-Origin": {"http://a.test"}}
		if credentials {
			want["Access-Control-Allow-Credentials"] = []string{"true"}
		}
		if diff := cmp.Diff(want, h); diff != "" {
			t.Errorf("credentials %v: rs/cors's answer changed; update enforce's rsCORSResponse (-want +got):\n%s", credentials, diff)
		}
	}
}

var benchErr *enforce.Error

// BenchmarkRSCorsVsCORSCheck runs rs/cors answering the request and corsim
// checking that answer, side by side in one run.
func BenchmarkRSCorsVsCORSCheck(b *testing.B) {
	for _, credentials := range []bool{false, true} {
		name := "omit"
		if credentials {
			name = "include"
		}
		b.Run("rs-cors/"+name, func(b *testing.B) {
			handler, req := rsCORSHandler(credentials), rsCORSRequest()
			w := &headerWriter{h: make(http.Header, 4)}
			b.ReportAllocs()
			cpu := benchcpu.Start(b)
			for b.Loop() {
				clear(w.h)
				handler.ServeHTTP(w, req)
			}
			cpu.Stop()
		})
		b.Run("corsim/"+name, func(b *testing.B) {
			h := rsCORSAnswer(credentials)
			b.ReportAllocs()
			cpu := benchcpu.Start(b)
			for b.Loop() {
				benchErr = enforce.CORSCheck(enforce.Chromium, h, "http://a.test", credentials, 200)
			}
			cpu.Stop()
		})
	}
}
