package v1map

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestObjectTypes(t *testing.T) {
	for _, tt := range []struct{ eng, object string }{
		{TypeNote, Notes}, {TypeCall, Calls}, {TypeMeeting, Meetings}, {TypeTask, Tasks}, {TypeEmail, Emails},
	} {
		if got, ok := ObjectType(tt.eng); !ok || got != tt.object {
			t.Errorf("ObjectType(%s) = %q, %v; want %s", tt.eng, got, ok, tt.object)
		}
		if got, ok := EngagementType(tt.object); !ok || got != tt.eng {
			t.Errorf("EngagementType(%s) = %q, %v; want %s", tt.object, got, ok, tt.eng)
		}
	}
	for _, typ := range []string{TypeIncomingEmail, TypeForwardedEmail} {
		if got, _ := ObjectType(typ); got != Emails {
			t.Errorf("ObjectType(%s) = %q, want emails", typ, got)
		}
	}
	for _, typ := range []string{"PUBLISHING_TASK", "note", ""} {
		if got, ok := ObjectType(typ); ok {
			t.Errorf("ObjectType(%q) = %q, want none", typ, got)
		}
	}
	if len(ObjectTypes) != 5 {
		t.Errorf("ObjectTypes %v", ObjectTypes)
	}
}

// TestAssociationTable checks the default association types against the ids
// HubSpot's guides use in their examples, and the table against itself:
// every engagement object has a type to each of the four record types, and
// HubSpot numbers each reverse type one below its type.
func TestAssociationTable(t *testing.T) {
	fromGuides := []struct {
		from, to string
		id       int32
	}{
		{Notes, Contacts, 202}, {Notes, Companies, 190}, {Notes, Deals, 214},
		{Calls, Contacts, 194}, {Calls, Tickets, 220},
		{Emails, Deals, 210}, {Emails, Contacts, 198},
		{Meetings, Contacts, 200},
		{Tasks, Contacts, 204},
	}
	for _, g := range fromGuides {
		if a, ok := DefaultAssociation(g.from, g.to); !ok || a.TypeID != g.id {
			t.Errorf("%s → %s = %d, %v; the guide uses %d", g.from, g.to, a.TypeID, ok, g.id)
		}
	}
	seen := map[int32]bool{}
	for _, a := range AssociationTypes() {
		// HubSpot's table pairs each id with its neighbour: one below for
		// the engagement types (note→contact 202, contact→note 201), one
		// above for communications and postal mail (81/82, 453/454).
		want := a.TypeID - 1
		if a.From == Communications || a.From == PostalMail {
			want = a.TypeID + 1
		}
		if a.ReverseTypeID != want {
			t.Errorf("%s: reverse %d, want %d", a.Name, a.ReverseTypeID, want)
		}
		if seen[a.TypeID] || seen[a.ReverseTypeID] {
			t.Errorf("%s: id %d or %d used twice", a.Name, a.TypeID, a.ReverseTypeID)
		}
		seen[a.TypeID], seen[a.ReverseTypeID] = true, true
	}
	for _, from := range ObjectTypes {
		for _, to := range []string{Contacts, Companies, Deals, Tickets} {
			if _, ok := DefaultAssociation(from, to); !ok {
				t.Errorf("no default association %s → %s", from, to)
			}
		}
		_, ok := DefaultAssociation(from, Quotes)
		if ok != (from == Tasks) {
			t.Errorf("%s → quotes: %v", from, ok)
		}
	}
}

func TestToAssociations(t *testing.T) {
	tests := []struct {
		name         string
		typ          string
		assoc        map[string]string
		mode         Mode
		want         []Association
		wantUnmapped []string
		wantErr      string
	}{{
		name: "note, nulls and repeats dropped",
		typ:  TypeNote,
		assoc: map[string]string{"contactIds": "[1,null,1,9007199254740993]", "companyIds": "[3]", "dealIds": "[]",
			"ticketIds": "[4]", "ownerIds": "[null]", "workflowIds": "[]", "contentIds": "null"},
		want: []Association{{Contacts, 1, 202}, {Contacts, 9007199254740993, 202}, {Companies, 3, 190}, {Tickets, 4, 228}},
	}, {
		name:  "the default type of each engagement",
		typ:   TypeMeeting,
		assoc: map[string]string{"contactIds": "[1]", "dealIds": "[2]"},
		want:  []Association{{Contacts, 1, 200}, {Deals, 2, 212}},
	}, {
		name:  "a task's quotes",
		typ:   TypeTask,
		assoc: map[string]string{"quoteIds": "[7]", "contactIds": "[8]"},
		want:  []Association{{Contacts, 8, 204}, {Quotes, 7, 218}},
	}, {
		name:    "a note's quotes in a request",
		typ:     TypeNote,
		assoc:   map[string]string{"quoteIds": "[7]"},
		wantErr: "unmapped",
	}, {
		name:         "kinds with no object association in a record",
		typ:          TypeCall,
		mode:         ModeRecord,
		assoc:        map[string]string{"ownerIds": "[5]", "workflowIds": "[6]", "contactIds": "[1]", "fooIds": "[2]", "barIds": "[]"},
		want:         []Association{{Contacts, 1, 194}},
		wantUnmapped: []string{"associations.fooIds", "associations.ownerIds", "associations.workflowIds"},
	}, {
		name:    "owners in a request",
		typ:     TypeEmail,
		assoc:   map[string]string{"ownerIds": "[5]"},
		wantErr: "unmapped",
	}, {
		name:    "not a list",
		typ:     TypeNote,
		assoc:   map[string]string{"contactIds": `"1"`},
		wantErr: "value",
	}, {
		name:    "id 0",
		typ:     TypeNote,
		assoc:   map[string]string{"contactIds": "[0]"},
		wantErr: "value",
	}, {
		name:    "a fraction",
		typ:     TypeNote,
		assoc:   map[string]string{"dealIds": "[1.5]"},
		wantErr: "value",
	}, {
		name:    "an unknown type",
		typ:     "PUBLISHING_TASK",
		wantErr: "type",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unmapped, err := ToAssociations(tt.typ, raws(tt.assoc), tt.mode)
			if k := errorKind(err); k != tt.wantErr {
				t.Fatalf("error %q (%v), want %q", k, err, tt.wantErr)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("associations (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantUnmapped, unmapped); d != "" {
				t.Errorf("unmapped (-want +got):\n%s", d)
			}
		})
	}
}

func TestFromAssociations(t *testing.T) {
	got, err := FromAssociations(TypeTask, map[string][]string{
		Contacts: {"1", "9007199254740993"}, Deals: {}, Quotes: {"7"}, "line_items": {"x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]json.RawMessage{
		"contactIds": json.RawMessage("[1,9007199254740993]"), "dealIds": json.RawMessage("[]"), "quoteIds": json.RawMessage("[7]"),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// A note has no quote kind: quotes are ignored like any other type.
	got, err = FromAssociations(TypeNote, map[string][]string{Quotes: {"7"}})
	if err != nil || len(got) != 0 {
		t.Errorf("note with quotes: %s, %v; want nothing", got, err)
	}
	for _, bad := range []string{"x", "0", "-1", "1.0", "9223372036854775808"} {
		if _, err := FromAssociations(TypeNote, map[string][]string{Contacts: {bad}}); errorKind(err) != "value" {
			t.Errorf("id %q: %v, want a *ValueError", bad, err)
		}
	}
	if _, err := FromAssociations("X", nil); errorKind(err) != "type" {
		t.Errorf("type X: %v, want a *TypeError", err)
	}
}
