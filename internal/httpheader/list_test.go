package httpheader

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestExtractHeaderListValues(t *testing.T) {
	const name = "Access-Control-Allow-Methods"
	tests := []struct {
		name        string
		h           http.Header
		want        []string
		wantPresent bool
		wantErr     *ListError
	}{
		{"absent_header_is_null", http.Header{"Vary": {"Origin"}}, nil, false, nil},
		{"single_token", http.Header{name: {"PUT"}}, []string{"PUT"}, true, nil},
		{"case_is_kept", http.Header{name: {"put, Delete"}}, []string{"put", "Delete"}, true, nil},
		{"whitespace_around_elements_is_trimmed", http.Header{name: {" \tPUT\t , DELETE "}}, []string{"PUT", "DELETE"}, true, nil},
		{"empty_elements_are_skipped", http.Header{name: {"PUT,,DELETE,"}}, []string{"PUT", "DELETE"}, true, nil},
		{"leading_comma_is_skipped", http.Header{name: {", PUT"}}, []string{"PUT"}, true, nil},
		{"blank_header_is_present_and_empty", http.Header{name: {""}}, []string{}, true, nil},
		{"several_lines_are_concatenated", http.Header{name: {"PUT", "DELETE, PATCH"}}, []string{"PUT", "DELETE", "PATCH"}, true, nil},
		{"lookup_is_case_insensitive", http.Header{"access-control-allow-methods": {"PUT"}}, []string{"PUT"}, true, nil},
		{"duplicates_are_kept", http.Header{name: {"PUT, PUT"}}, []string{"PUT", "PUT"}, true, nil},
		{"wildcard_is_a_token", http.Header{name: {"*"}}, []string{"*"}, true, nil},
		{
			"space_inside_an_element_is_an_error",
			http.Header{name: {"PUT, DEL ETE"}}, nil, true,
			&ListError{Header: name, Line: "PUT, DEL ETE", Element: "DEL ETE"},
		},
		{
			"quoted_element_is_an_error",
			http.Header{name: {`"PUT"`}}, nil, true,
			&ListError{Header: name, Line: `"PUT"`, Element: `"PUT"`},
		},
		{
			"error_in_a_later_line_fails_everything",
			http.Header{name: {"PUT", "GET;x"}}, nil, true,
			&ListError{Header: name, Line: "GET;x", Element: "GET;x"},
		},
		{
			"newline_is_not_trimmed",
			http.Header{name: {"PUT\n"}}, nil, true,
			&ListError{Header: name, Line: "PUT\n", Element: "PUT\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := ExtractHeaderListValues(tt.h, name)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("values mismatch (-want +got):\n%s", diff)
			}
			if present != tt.wantPresent {
				t.Errorf("present = %v, want %v", present, tt.wantPresent)
			}
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			var le *ListError
			if !errors.As(err, &le) {
				t.Fatalf("error = %v, want a *ListError", err)
			}
			if diff := cmp.Diff(tt.wantErr, le); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListErrorReadsAsASentence(t *testing.T) {
	err := &ListError{Header: "Access-Control-Allow-Headers", Line: "x-foo, x bar", Element: "x bar"}
	want := `httpheader: Access-Control-Allow-Headers element "x bar" in "x-foo, x bar" is not a token`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("Error() mismatch (-want +got):\n%s", diff)
	}
}

func TestExtractHeaderListValuesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lineGen := rapid.StringMatching(`[A-Za-z*, \t;"]{0,12}`)
		lines := rapid.SliceOfN(lineGen, 0, 3).Draw(t, "lines")
		h := http.Header{}
		if len(lines) > 0 {
			h["Access-Control-Allow-Headers"] = lines
		}
		got, present, err := ExtractHeaderListValues(h, "access-control-allow-headers")
		want, ok := literalExtractTokenList(lines)
		if present != (len(lines) > 0) {
			t.Fatalf("present = %v for %d lines", present, len(lines))
		}
		if !present {
			return
		}
		if (err == nil) != ok {
			t.Fatalf("error %v, but the literal extraction ok = %v for %q", err, ok, lines)
		}
		if err != nil {
			return
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("values for %q disagree with the literal extraction (-literal +fast):\n%s", lines, diff)
		}
		for _, v := range got {
			if !IsToken(v) {
				t.Fatalf("returned value %q is not a token", v)
			}
		}
	})
}

func FuzzExtractHeaderListValues(f *testing.F) {
	for _, seed := range []string{"", "PUT", "PUT, DELETE", " , ,", "a,,b,", "x y", `"a"`, "*", "\t*\t", "PUT\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		h := http.Header{"Access-Control-Expose-Headers": {line}}
		got, present, err := ExtractHeaderListValues(h, "Access-Control-Expose-Headers")
		want, ok := literalExtractTokenList([]string{line})
		if !present {
			t.Fatal("a header with one line reported absent")
		}
		if (err == nil) != ok {
			t.Fatalf("ExtractHeaderListValues(%q) error = %v, literal ok = %v", line, err, ok)
		}
		if err == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("ExtractHeaderListValues(%q) mismatch (-literal +fast):\n%s", line, diff)
			}
		}
	})
}

func BenchmarkExtractHeaderListValues(b *testing.B) {
	h := http.Header{"Access-Control-Allow-Headers": {"x-foo, x-bar, content-type, authorization"}}
	for b.Loop() {
		ExtractHeaderListValues(h, "access-control-allow-headers")
	}
}
