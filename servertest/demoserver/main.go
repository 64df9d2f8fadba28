// Command demoserver serves one resource behind github.com/rs/cors twice on
// loopback, to try corsim check and corsim audit on:
//
//	/good/items  allows https://app.example.com exactly (GET, POST, PUT,
//	             X-Token, credentials, X-Total exposed, Max-Age 600)
//	/bad/items   the same with AllowOriginFunc checking a suffix and
//	             AllowedHeaders ["*"]
//
// It listens on -addr (default 127.0.0.1:8080) until interrupted.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/rs/cors"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	items := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total", "3")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[1,2,3]` + "\n"))
	})
	good := cors.Options{
		AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "POST", "PUT"},
		AllowedHeaders: []string{"X-Token", "Content-Type"}, ExposedHeaders: []string{"X-Total"},
		AllowCredentials: true, MaxAge: 600,
	}
	bad := good
	bad.AllowedOrigins = nil
	bad.AllowOriginFunc = func(origin string) bool { return strings.HasSuffix(origin, "app.example.com") }
	bad.AllowedHeaders = []string{"*"}
	mux := http.NewServeMux()
	mux.Handle("/good/items", cors.New(good).Handler(items))
	mux.Handle("/bad/items", cors.New(bad).Handler(items))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("demoserver: http://%s/good/items and http://%s/bad/items", *addr, *addr)
	log.Fatal(srv.ListenAndServe())
}
