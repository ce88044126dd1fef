package props

import (
	"regexp"
	"strings"
	"testing"
)

// TestTable: each object type's properties (Common's included) have unique,
// well-formed names; an enumeration has options and only it; a maximum
// length is a text's; a reader names the type's own record.
func TestTable(t *testing.T) {
	name := regexp.MustCompile(`^[a-z0-9_]{1,100}$`)
	types := map[string]bool{}
	for _, o := range Objects {
		if o.Type == "" || o.Record == "" || types[o.Type] {
			t.Errorf("object %+v: a type and a record, once each", o)
		}
		types[o.Type] = true
		seen := map[string]bool{}
		for _, p := range All(o.Type) {
			switch {
			case !name.MatchString(p.Name) || seen[p.Name]:
				t.Errorf("%s: property %q malformed or repeated", o.Type, p.Name)
			case (p.Type == Enumeration) != (len(p.Options) > 0):
				t.Errorf("%s.%s: type %s with %d options", o.Type, p.Name, p.Type, len(p.Options))
			case p.MaxLength > 0 && p.Type != String:
				t.Errorf("%s.%s: a maximum length on a %s", o.Type, p.Name, p.Type)
			}
			seen[p.Name] = true
			for _, r := range p.Readers {
				rec, m, ok := strings.Cut(r, ".")
				if _, known := recordOf(rec); !ok || m == "" || !known {
					t.Errorf("%s.%s: reader %q is not Record.Method of a table record", o.Type, p.Name, r)
				}
			}
		}
		if len(Read(o.Type)) == 0 {
			t.Errorf("%s: no property any accessor reads", o.Type)
		}
	}
	if p, ok := Find("notes", "hs_note_body"); !ok || p.MaxLength != MaxNoteBody || len(Checked("notes")) != 1 {
		t.Errorf("hs_note_body: %+v %v; checked %v", p, ok, Checked("notes"))
	}
	if All("contacts") != nil || Read("contacts") != nil || Checked("contacts") != nil {
		t.Error("an unknown type has properties")
	}
}

func recordOf(rec string) (string, bool) {
	for _, o := range Objects {
		if o.Record == rec {
			return o.Type, true
		}
	}
	return "", false
}

func TestUTF16Len(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "a😀b": 4, "\xff": 1} {
		if got := UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}
