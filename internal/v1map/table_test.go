package v1map

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// mainTypes are the five creatable types, in the README's column order.
var mainTypes = [...]string{TypeNote, TypeCall, TypeMeeting, TypeTask, TypeEmail}

// markdownTable writes the mapping as the README shows it: the engagement
// fields with a column per type, the metadata fields type by type, and the
// default association types.
func markdownTable(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	cell := func(f Field) string {
		if f.Property == "" {
			return "—"
		}
		s := "`" + f.Property + "`"
		if f.Access == ReadOnly {
			s += " (read-only)"
		}
		return s
	}
	byType := map[string][]Field{}
	for _, typ := range mainTypes {
		fields, err := Fields(typ)
		if err != nil {
			t.Fatal(err)
		}
		byType[typ] = fields
	}
	b.WriteString("| v1 field | " + strings.Join(mainTypes[:], " | ") + " | conversion |\n|---|---|---|---|---|---|---|\n")
	for i, f := range byType[TypeNote] {
		if f.Section != SectionEngagement && f.Section != SectionAttachments {
			continue
		}
		fmt.Fprintf(&b, "| `%s` |", f.Path())
		conversion := "none: refused in a request, reported for a stored record"
		for _, typ := range mainTypes {
			g := byType[typ][i]
			if g.Path() != f.Path() {
				t.Fatalf("%s: field %d is %s, NOTE's is %s: the common fields must line up", typ, i, g.Path(), f.Path())
			}
			b.WriteString(" " + cell(g) + " |")
			if g.Property != "" || g.Format == AlwaysTrue || g.Format == TypeName {
				conversion = g.Format.String()
			}
		}
		fmt.Fprintf(&b, " %s |\n", conversion)
	}
	b.WriteString("\n| type | v1 metadata field | property | conversion | source |\n|---|---|---|---|---|\n")
	for _, typ := range mainTypes {
		for _, f := range byType[typ] {
			if f.Section == SectionMetadata {
				fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", typ, f.Name, cell(f), f.Format, f.Note)
			}
		}
	}
	b.WriteString("\n| from | to contacts | to companies | to deals | to tickets | to quotes |\n|---|---|---|---|---|---|\n")
	for _, from := range []string{Notes, Calls, Meetings, Emails, Tasks} {
		b.WriteString("| " + from + " |")
		for _, to := range []string{Contacts, Companies, Deals, Tickets, Quotes} {
			if a, ok := DefaultAssociation(from, to); ok {
				fmt.Fprintf(&b, " %d `%s` (back %d) |", a.TypeID, a.Name, a.ReverseTypeID)
			} else {
				b.WriteString(" — |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestREADMETable keeps testdata/mapping.md, the table the README shows, the
// same as the table in the code; go test ./internal/v1map -update rewrites it.
func TestREADMETable(t *testing.T) {
	got := markdownTable(t)
	path := filepath.Join("testdata", "mapping.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/v1map -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s is stale (-file +code); run go test ./internal/v1map -update:\n%s", path, d)
	}
}

// TestEveryDocumentedFieldIsInTheTable checks the table against the v1
// metadata fields api/engagements-v1.yaml and HubSpot's v1 pages name: each
// is in the table, with a property.
func TestEveryDocumentedFieldIsInTheTable(t *testing.T) {
	documented := map[string][]string{
		TypeNote:    {"body"},
		TypeCall:    {"toNumber", "fromNumber", "status", "externalId", "durationMilliseconds", "externalAccountId", "recordingUrl", "body", "disposition"},
		TypeMeeting: {"body", "startTime", "endTime", "title", "internalMeetingNotes"},
		TypeTask:    {"body", "subject", "status", "forObjectType", "taskType", "priority", "reminders"},
		TypeEmail:   {"from", "to", "cc", "bcc", "subject", "html", "text", "status"},
	}
	for typ, names := range documented {
		fields, _ := Fields(typ)
		for _, name := range names {
			found := false
			for _, f := range fields {
				if f.Section == SectionMetadata && f.Name == name {
					found = true
					if f.Property == "" || f.Access != Writable {
						t.Errorf("%s metadata.%s: property %q, %s; want a writable property", typ, name, f.Property, f.Access)
					}
				}
			}
			if !found {
				t.Errorf("%s metadata.%s is not in the table", typ, name)
			}
		}
	}
	for _, typ := range mainTypes {
		fields, _ := Fields(typ)
		for _, f := range fields {
			if f.Note == "" {
				t.Errorf("%s %s has no source", typ, f.Path())
			}
		}
	}
}
