module github.com/corsim/corsim/servertest

go 1.26.0

replace github.com/corsim/corsim => ..

require (
	github.com/go-chi/cors v1.2.2 // indirect
	github.com/jub0bs/cors v0.7.0 // indirect
	github.com/rs/cors v1.11.1 // indirect
	golang.org/x/net v0.41.0 // indirect
	golang.org/x/text v0.26.0 // indirect
)
