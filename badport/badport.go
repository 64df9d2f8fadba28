// Package badport is the Fetch standard's port blocking
// (https://fetch.spec.whatwg.org/#port-blocking): the ports a browser never
// connects to over HTTP(S), whatever a script or a redirect asks.
package badport

// Policy is one browser's list of bad ports: the standard's table, less the
// ports the browser still connects to. The zero Policy is the standard's.
// It is a small comparable value, so a profile holding it stays comparable.
type Policy struct {
	// Unblocked lists ports of the standard's table that the browser does
	// not block; 0 entries are unused (port 0 itself is always bad).
	Unblocked [4]uint16
}

// Blocked reports whether a request to port on an HTTP(S) URL is blocked
// ("should request be blocked due to a bad port", step 2).
func (p Policy) Blocked(port int) bool {
	if port < 0 || port > 0xFFFF || !spec[port] {
		return false
	}
	for _, u := range p.Unblocked {
		if u != 0 && int(u) == port {
			return false
		}
	}
	return true
}

// Ports returns the ports p blocks, in ascending order.
func (p Policy) Ports() []int {
	var out []int
	for _, port := range specPorts {
		if p.Blocked(port) {
			out = append(out, port)
		}
	}
	return out
}

// specPorts is the first column of the standard's bad-port table.
var specPorts = [...]int{
	0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
	101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
	389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
	636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
	6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
}

// spec is specPorts as a lookup table over every port number.
var spec = func() (t [1 << 16]bool) {
	for _, p := range specPorts {
		t[p] = true
	}
	return t
}()
