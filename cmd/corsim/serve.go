package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/corsim/corsim/playground"
)

// serve runs the playground page until interrupted. It listens on loopback
// unless -addr says otherwise: the page runs whatever scenario it is sent,
// and is meant for the person at this machine.
func serve(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return serveUntil(ctx, args, stdout, stderr)
}

// serveUntil serves until ctx is done.
func serveUntil(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	port := fl.Int("port", 8080, "TCP port to listen on (0 picks a free one)")
	addr := fl.String("addr", "127.0.0.1", "address to listen on; anything but loopback exposes the page to the network")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 0 {
		fmt.Fprintf(stderr, "corsim serve: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "corsim serve: -port %d is not a TCP port (0 to 65535)\n", *port)
		return 2
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintln(stderr, "corsim serve:", err)
		return 2
	}
	if ip := net.ParseIP(*addr); (ip == nil || !ip.IsLoopback()) && *addr != "localhost" {
		fmt.Fprintf(stderr, "corsim serve: warning: listening on %s, not loopback: anyone who can reach it can use the page\n", *addr)
	}
	srv := &http.Server{
		Handler:           playground.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(stdout, "corsim playground on http://%s/ (Ctrl-C stops it)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shut)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "corsim serve:", err)
		return 1
	}
	return 0
}
