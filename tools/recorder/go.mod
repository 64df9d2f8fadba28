module github.com/corsim/corsim/tools/recorder

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	github.com/corsim/corsim v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
	pgregory.net/rapid v1.3.0
)

require (
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/corsim/corsim => ../..
