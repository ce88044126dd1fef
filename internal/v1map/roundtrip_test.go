package v1map

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkRoundTrip checks that back, the record read from the properties that
// rec was converted to, has every mapped field of rec with the same value
// (ownerId 0 reads back as no ownerId), and that unmapped names exactly the
// fields of rec that have no property (ModeRecord).
func checkRoundTrip(t *testing.T, engType string, rec, back Record, unmapped []string) {
	t.Helper()
	fields, err := Fields(engType)
	if err != nil {
		t.Fatal(err)
	}
	var wantUnmapped []string
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Path()] = true
		var in, out json.RawMessage
		switch f.Section {
		case SectionEngagement:
			in, out = rec.Engagement[f.Name], back.Engagement[f.Name]
		case SectionMetadata:
			in, out = rec.Metadata[f.Name], back.Metadata[f.Name]
		default:
			in, out = rec.Attachments, back.Attachments
		}
		in = bytes.TrimSpace(in)
		if isNull(in) {
			continue
		}
		if f.Format == AttachmentIDs && f.Property != "" {
			// Only the ids are kept; the other fields are reported.
			var extra []string
			in, extra = attachmentIDsOnly(t, in)
			wantUnmapped = append(wantUnmapped, extra...)
		}
		switch {
		case f.Format == Owner && sameNumber(json.Number(in), "0"):
			if out != nil {
				t.Errorf("%s: ownerId 0 read back as %s, want none", engType, out)
			}
		case f.Property != "" || f.Format == TypeName || f.Format == AlwaysTrue && string(in) == "true":
			if out == nil {
				t.Errorf("%s %s = %s: lost (property %s)", engType, f.Path(), in, f.Property)
			} else if d := sameJSON(t, in, out); d != "" {
				t.Errorf("%s %s (property %s) changed (-v1 +back):\n%s", engType, f.Path(), f.Property, d)
			}
		case f.Format == AttachmentIDs && isEmptyList(in):
		default:
			wantUnmapped = append(wantUnmapped, f.Path())
		}
	}
	for _, part := range []struct {
		s      Section
		fields map[string]json.RawMessage
	}{{SectionEngagement, rec.Engagement}, {SectionMetadata, rec.Metadata}} {
		for name, raw := range part.fields {
			if path := part.s.String() + "." + name; !known[path] && !isNull(raw) {
				wantUnmapped = append(wantUnmapped, path)
			}
		}
	}
	slices.Sort(wantUnmapped)
	if d := cmp.Diff(wantUnmapped, unmapped); d != "" {
		t.Errorf("%s unmapped (-want +got):\n%s", engType, d)
	}
}

// attachmentIDsOnly keeps the ids of v1 attachments, and names the other
// fields they have.
func attachmentIDsOnly(t *testing.T, raw json.RawMessage) (json.RawMessage, []string) {
	t.Helper()
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	var extra []string
	ids := make([]map[string]json.RawMessage, len(list))
	for i, a := range list {
		ids[i] = map[string]json.RawMessage{"id": a["id"]}
		for k := range a {
			if k != "id" && !slices.Contains(extra, "attachments."+k) {
				extra = append(extra, "attachments."+k)
			}
		}
	}
	out, err := json.Marshal(ids)
	if err != nil {
		t.Fatal(err)
	}
	return out, extra
}

// TestRecordedRecordsRoundTrip converts every real v1 record HubSpot sent
// (single gets, creates and whole listings) to properties and back, and
// checks that every field with a property comes back unchanged and that the
// others are reported. It also sends the properties through JSON, as the
// fake's store and HubSpot's answers do.
func TestRecordedRecordsRoundTrip(t *testing.T) {
	records := recordedV1(t)
	perType := map[string]int{}
	for _, r := range records {
		if _, ok := ObjectType(r.typ); !ok {
			// HubSpot's internal types (PUBLISHING_TASK) have no object type.
			if _, _, err := ToProperties(r.typ, r.record(), ModeRecord); errorKind(err) != "type" {
				t.Errorf("%s: %s converted, want a *TypeError: %v", r.from, r.typ, err)
			}
			continue
		}
		perType[r.typ]++
		props, unmapped, err := ToProperties(r.typ, r.record(), ModeRecord)
		if err != nil {
			t.Errorf("%s: ToProperties: %v", r.from, err)
			continue
		}
		wire, err := json.Marshal(props)
		if err != nil {
			t.Fatal(err)
		}
		var stored map[string]*string
		if err := json.Unmarshal(wire, &stored); err != nil {
			t.Fatal(err)
		}
		back, err := FromProperties(r.typ, stored)
		if err != nil {
			t.Errorf("%s: FromProperties(%s): %v", r.from, wire, err)
			continue
		}
		checkRoundTrip(t, r.typ, r.record(), back, unmapped)

		assoc, dropped, err := ToAssociations(r.typ, r.associations, ModeRecord)
		if err != nil {
			t.Errorf("%s: ToAssociations: %v", r.from, err)
			continue
		}
		if len(dropped) > 0 {
			t.Errorf("%s: associations %v dropped; the recordings have none with ids", r.from, dropped)
		}
		ids := map[string][]string{Contacts: {}, Companies: {}, Deals: {}, Tickets: {}}
		for _, a := range assoc {
			ids[a.ToObjectType] = append(ids[a.ToObjectType], strconv.FormatInt(a.ToID, 10))
		}
		backAssoc, err := FromAssociations(r.typ, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"contactIds", "companyIds", "dealIds", "ticketIds"} {
			want := r.associations[kind]
			if want == nil {
				want = json.RawMessage("[]")
			}
			if d := sameJSON(t, want, backAssoc[kind]); d != "" {
				t.Errorf("%s: associations.%s (-v1 +back):\n%s", r.from, kind, d)
			}
		}
	}
	// The recordings hold notes, calls, tasks and emails (no meeting: the
	// table-driven tests cover MEETING); a test that read none proves nothing.
	for _, typ := range []string{TypeNote, TypeCall, TypeTask, TypeEmail} {
		if perType[typ] == 0 {
			t.Errorf("no recorded %s record was converted", typ)
		}
	}
	t.Logf("round trips per type: %v", perType)
}

// recordedProperties converts the recorded single record of a file.
func recordedProperties(t *testing.T, file string) (rec v1Record, props map[string]string, unmapped []string) {
	t.Helper()
	for _, r := range recordedV1(t) {
		if r.from == file {
			rec = r
		}
	}
	props, unmapped, err := ToProperties(rec.typ, rec.record(), ModeRecord)
	if err != nil {
		t.Fatal(err)
	}
	return rec, props, unmapped
}

// TestRecordedNoteProperties pins the properties of one real note, value by
// value: the times in HubSpot's ISO form, the ids as text.
func TestRecordedNoteProperties(t *testing.T) {
	_, props, unmapped := recordedProperties(t, "v1-get-note.json")
	want := map[string]string{
		"hs_object_id":        "51484873",
		"hs_timestamp":        "2014-08-27T20:50:44.778Z",
		"hubspot_owner_id":    "1",
		"hs_createdate":       "2015-12-16T15:00:22.053Z",
		"hs_lastmodifieddate": "2015-12-16T15:00:22.053Z",
		"hs_note_body":        "note body",
	}
	if d := cmp.Diff(want, props); d != "" {
		t.Errorf("properties (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"engagement.portalId"}, unmapped); d != "" {
		t.Errorf("unmapped (-want +got):\n%s", d)
	}
}

// TestRecordedEmailHeaders checks that the real email's sender and
// recipients, with v1's "Name <address>" form kept, go to hs_email_headers
// and that its uid, which no property holds, is reported; and that a
// request carrying the uid is refused.
func TestRecordedEmailHeaders(t *testing.T) {
	email, props, unmapped := recordedProperties(t, "v1-get-email.json")
	wantHeaders := `{"from":{"email":"testapi@hubspot.com","firstName":"Test API","lastName":"Anwar"},` +
		`"to":[{"email":"Brian Halligan (Sample Contact) <bh@hubspot.com>"}],"cc":[],"bcc":[]}`
	if d := sameJSON(t, json.RawMessage(wantHeaders), json.RawMessage(props["hs_email_headers"])); d != "" {
		t.Errorf("hs_email_headers (-want +got):\n%s", d)
	}
	if props["hs_email_direction"] != "EMAIL" || props["hs_email_status"] != "SENT" {
		t.Errorf("direction %q, status %q; want EMAIL, SENT", props["hs_email_direction"], props["hs_email_status"])
	}
	want := []string{"engagement.createdBy", "engagement.modifiedBy", "engagement.portalId", "engagement.uid"}
	if d := cmp.Diff(want, unmapped); d != "" {
		t.Errorf("unmapped (-want +got):\n%s", d)
	}
	_, _, err := ToProperties(email.typ, email.record(), ModeRequest)
	if errorKind(err) != "unmapped" {
		t.Fatalf("request with uid: %v, want *UnmappedError", err)
	}
}
