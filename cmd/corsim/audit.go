package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/corsim/corsim/audit"
	"github.com/corsim/corsim/corstest"
)

const auditUsage = `usage: corsim audit -origin O [-unsafe] [-timeout D] [-k] [-json] URL

Audits the CORS answers of the resource at URL for the site at origin O, by
simulating Chromium, Firefox and WebKit against the live server: the origin
reflected unchecked, null trusted, suffix, prefix and unescaped-dot matching,
any subdomain trusted, http origins trusted by an https site, credentials
with any of these, a missing Vary: Origin, preflights that allow every method
and header, preflights refused by authentication, * with credentials,
Max-Age values browsers cap, and Access-Control-Allow-Headers: * meant to
cover Authorization. Findings are printed most severe first, each with the
exact request that shows it and what each browser does.

Only safe methods are sent (GET, and OPTIONS for preflights): where a
preflight passes, the unsafe request a browser would send next is withheld,
unless -unsafe is given.

Exit status: 0 when nothing of high severity is found, 1 when something is,
2 on bad input or a network failure. Time-outs: as corsim check (connect 5s,
TLS 5s, response headers 10s, -timeout for the whole audit).

Flags:
`

func auditCmd(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("audit", flag.ContinueOnError)
	site := fl.String("origin", "", "origin of the site meant to use the resource, serialized as browsers send it (required)")
	unsafe := fl.Bool("unsafe", false, "also send the unsafe requests (PUT, …) a browser sends after a passing preflight")
	timeout := fl.Duration("timeout", 2*defaultTimeout, "time limit for the whole audit")
	asJSON := fl.Bool("json", false, "print the report as JSON")
	insecure := fl.Bool("k", false, "accept any TLS certificate, as curl's -k (for test servers)")
	if code, done := parseLive(fl, auditUsage, args, stdout, stderr); done {
		return code
	}
	if fl.NArg() != 1 || *site == "" {
		fmt.Fprintln(stderr, `corsim audit: give -origin and exactly one URL; run "corsim audit -h" for help`)
		return 2
	}
	rawURL := fl.Arg(0)
	if err := checkURL(rawURL); err != nil {
		fmt.Fprintln(stderr, "corsim audit:", err)
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "corsim audit: -timeout %v: want a positive duration\n", *timeout)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	tr := liveTransport(*insecure)
	defer tr.CloseIdleConnections()
	rep, err := audit.Run(ctx, corstest.Target{URL: rawURL, Transport: tr}, *site, audit.Options{Unsafe: *unsafe})
	if err != nil {
		var ne *audit.NetworkError
		if errors.As(err, &ne) {
			fmt.Fprintf(stderr, "corsim audit: %s %s: %s\n", ne.Method, ne.URL, describeNetErr(ne.Err))
		} else {
			fmt.Fprintln(stderr, "corsim audit:", err)
		}
		return 2
	}
	if *asJSON {
		if rep.Findings == nil {
			rep.Findings = []audit.Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "corsim audit:", err)
			return 2
		}
	} else {
		writeAuditText(stdout, rep)
	}
	if rep.Highest() >= audit.High {
		return 1
	}
	return 0
}

func writeAuditText(w io.Writer, rep *audit.Report) {
	count := map[audit.Severity]int{}
	for _, f := range rep.Findings {
		count[f.Severity]++
	}
	fmt.Fprintf(w, "audit of %s for %s: %d finding(s)", rep.URL, rep.Origin, len(rep.Findings))
	var parts []string
	for _, s := range []audit.Severity{audit.High, audit.Medium, audit.Low} {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, ", %d probe(s) per browser\n", rep.Probes)
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "\n%-6s %s: %s\n", strings.ToUpper(f.Severity.String()), f.ID, f.Title)
		fmt.Fprintf(w, "       request: %s\n", f.Request)
		for _, b := range f.Browsers {
			fmt.Fprintf(w, "       %s: %s\n", b.Name, b.Outcome)
		}
		if len(f.Browsers) > 0 {
			for _, x := range f.Browsers[0].Wire {
				fmt.Fprintf(w, "       wire: %s\n", wireLine(x))
			}
		}
		fmt.Fprintf(w, "       why: %s\n", f.Why)
		if f.Demo != "" {
			fmt.Fprintf(w, "       demo: %s\n", f.Demo)
		}
	}
}

// wireLine is one exchange on one line: the request's CORS headers and the
// answer's.
func wireLine(x corstest.Exchange) string {
	s := x.Method + " " + x.URL
	for _, k := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
		if v := x.Header.Get(k); v != "" {
			s += fmt.Sprintf(" [%s: %s]", k, v)
		}
	}
	if x.Withheld {
		return s + " → withheld (unsafe method)"
	}
	s += fmt.Sprintf(" → %d", x.Status)
	for _, k := range sortedHeaderKeys(x.ResponseHeader) {
		if strings.HasPrefix(k, "Access-Control-") || k == "Vary" {
			s += fmt.Sprintf(" [%s: %s]", k, strings.Join(x.ResponseHeader[k], ", "))
		}
	}
	return s
}
