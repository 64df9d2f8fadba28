package scenario

import (
	"pgregory.net/rapid"

	"github.com/corsim/corsim/profile"
)

var profileNames = profile.Names()

func mustProfile(t *rapid.T, name string) profile.Profile {
	p, err := profile.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
