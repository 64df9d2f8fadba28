package scenario

import (
	"strconv"
)

// This file turns the JSON tree that checkShape has accepted into a
// Scenario, so that a file is read once instead of a second time by
// encoding/json. Every value's JSON type is already known to match the
// schema; the decoding follows encoding/json's rules for the types
// involved: an absent field keeps its zero value, a present array is a
// non-nil slice (empty when the array is), a present object of strings a
// non-nil map, and a number is parsed with strconv as encoding/json parses
// it. TestDecodeAgreesWithEncodingJSON holds the two readers to the same
// result on the corpus and on the fuzz seeds; a key without a case here
// makes Parse fall back to encoding/json (treeDecoder).

// treeDecoder decodes a checked tree. A key it does not know (a field the
// schema gained without a case here) sets unknown, and Parse then decodes
// the file with encoding/json instead, so that nothing is silently dropped.
type treeDecoder struct{ unknown bool }

func (d *treeDecoder) scenario(n *jsonNode) Scenario {
	var s Scenario
	for _, m := range n.members {
		v := m.value
		switch m.key {
		case "format":
			s.Format = decodeInt(v)
		case "name":
			s.Name = v.text
		case "origin":
			s.Origin = v.text
		case "browser":
			s.Browser = v.text
		case "server":
			s.Server = d.rules(v)
		case "steps":
			s.Steps = make([]Step, len(v.elems))
			for i, e := range v.elems {
				s.Steps[i] = d.step(e)
			}
		default:
			d.unknown = true
		}
	}
	return s
}

// decodeInt reads a number checkShape accepted as an integer (it parses
// as a 32-bit one).
func decodeInt(n *jsonNode) int {
	i, _ := strconv.ParseInt(n.text, 10, 32)
	return int(i)
}

func (d *treeDecoder) rules(n *jsonNode) []Rule {
	rules := make([]Rule, len(n.elems))
	for i, e := range n.elems {
		r := &rules[i]
		for _, m := range e.members {
			v := m.value
			switch m.key {
			case "method":
				r.Method = v.text
			case "url":
				r.URL = v.text
			case "status":
				r.Status = decodeInt(v)
			case "headers":
				r.Headers = d.headers(v)
			case "body":
				r.Body = new(v.text)
			default:
				d.unknown = true
			}
		}
	}
	return rules
}

func (d *treeDecoder) headers(n *jsonNode) []Header {
	hs := make([]Header, len(n.elems))
	for i, e := range n.elems {
		hs[i] = Header{Name: e.elems[0].text, Value: e.elems[1].text}
	}
	return hs
}

func (d *treeDecoder) step(n *jsonNode) Step {
	var st Step
	for _, m := range n.members {
		v := m.value
		switch m.key {
		case "at":
			st.At, _ = strconv.ParseFloat(v.text, 64)
		case "server":
			st.Server = d.rules(v)
		case "fetch":
			st.Fetch = d.fetch(v)
		case "expect":
			st.Expect = d.expect(v)
		default:
			d.unknown = true
		}
	}
	return st
}

func (d *treeDecoder) fetch(n *jsonNode) Fetch {
	var f Fetch
	for _, m := range n.members {
		v := m.value
		switch m.key {
		case "url":
			f.URL = v.text
		case "method":
			f.Method = v.text
		case "mode":
			f.Mode = v.text
		case "credentials":
			f.Credentials = v.text
		case "redirect":
			f.Redirect = v.text
		case "headers":
			f.Headers = d.headers(v)
		case "body":
			f.Body = new(v.text)
		default:
			d.unknown = true
		}
	}
	return f
}

func (d *treeDecoder) expect(n *jsonNode) Expect {
	var x Expect
	for _, m := range n.members {
		v := m.value
		switch m.key {
		case "outcome":
			x.Outcome = v.text
		case "type":
			x.Type = new(v.text)
		case "status":
			x.Status = new(decodeInt(v))
		case "url":
			x.URL = new(v.text)
		case "redirected":
			x.Redirected = new(v.text == "true")
		case "headers":
			names := make([]string, len(v.elems))
			for i, e := range v.elems {
				names[i] = e.text
			}
			x.Headers = &names
		case "wire":
			wire := make([]WireRequest, len(v.elems))
			for i, e := range v.elems {
				wire[i] = d.wire(e)
			}
			x.Wire = &wire
		case "error":
			x.Error = new(v.text)
		case "console":
			x.Console = new(v.text)
		default:
			d.unknown = true
		}
	}
	return x
}

func (d *treeDecoder) wire(n *jsonNode) WireRequest {
	var w WireRequest
	for _, m := range n.members {
		v := m.value
		switch m.key {
		case "method":
			w.Method = v.text
		case "url":
			w.URL = v.text
		case "headers":
			w.Headers = make(map[string]string, len(v.members))
			for _, h := range v.members {
				w.Headers[h.key] = h.value.text
			}
		default:
			d.unknown = true
		}
	}
	return w
}
