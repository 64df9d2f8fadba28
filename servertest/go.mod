module github.com/corsim/corsim/servertest

go 1.26.0

replace github.com/corsim/corsim => ..

require (
	github.com/corsim/corsim v0.0.0-00010101000000-000000000000
	github.com/go-chi/cors v1.2.2
	github.com/jub0bs/cors v0.7.0
	github.com/rs/cors v1.11.1
)

require (
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
