// Package servertest runs corsim's oracle (packages corstest and audit)
// against real CORS and CSRF middleware: github.com/rs/cors,
// github.com/go-chi/cors, github.com/jub0bs/cors and net/http's
// CrossOriginProtection, each configured correctly and misconfigured the
// ways people do. It is a separate module so that corsim's users never
// download these libraries. The results are written to
// ../docs/server-libraries.md (go test -update rewrites it).
package servertest
