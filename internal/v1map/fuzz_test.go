package v1map

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"testing"
)

// fuzzTypes are the types the fuzzers pick from, an unknown one included.
var fuzzTypes = [...]string{TypeNote, TypeCall, TypeMeeting, TypeTask, TypeEmail, TypeIncomingEmail, "PUBLISHING_TASK"}

// maxFuzzInput bounds each fuzzed input: the conversions are linear, and
// bigger inputs only slow the fuzzer down.
const maxFuzzInput = 64 << 10

// addRecordedSeeds adds the recorded v1 records as seeds when they are
// present (a fuzzer must not skip without them).
func addRecordedSeeds(f *testing.F, add func(typ uint8, r v1Record)) {
	if _, err := os.Stat(recordedDir); err != nil {
		return
	}
	for _, r := range recordedV1(f) {
		if i := slices.Index(fuzzTypes[:], r.typ); i >= 0 {
			add(uint8(i), r)
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// typedOnly fails the test when err is not one of the package's typed
// errors: hostile input is refused with a *ValueError, *UnmappedError or
// *TypeError, never anything else (and never a panic).
func typedOnly(t *testing.T, err error) {
	t.Helper()
	if k := errorKind(err); len(k) > 5 && k[:5] == "other" {
		t.Fatalf("untyped error: %v", err)
	}
}

// FuzzToProperties converts hostile v1 records both ways. Whatever converts
// must read back, and, stored, give back every mapped value (checkRoundTrip).
func FuzzToProperties(f *testing.F) {
	f.Add(uint8(0), []byte(`{"type":"NOTE","timestamp":1409172644778,"ownerId":0,"active":true}`), []byte(`{"body":"x"}`), []byte(`[{"id":1}]`))
	f.Add(uint8(4), []byte(`{"type":"EMAIL","uid":"u"}`), []byte(`{"from":{"email":"a"},"to":[{}],"cc":[],"sender":{}}`), []byte(`null`))
	f.Add(uint8(3), []byte(`{"createdAt":-62135596800000}`), []byte(`{"reminders":[1,-0],"priority":"NONE"}`), []byte(`[]`))
	f.Add(uint8(2), []byte(`{"activityType":"x"}`), []byte(`{"startTime":253402300799999}`), []byte(`[{"id":9223372036854775807,"n":1}]`))
	addRecordedSeeds(f, func(typ uint8, r v1Record) {
		f.Add(typ, mustJSON(r.engagement), mustJSON(r.metadata), []byte(r.attachments))
	})
	f.Fuzz(func(t *testing.T, typ uint8, eng, meta, attachments []byte) {
		if len(eng)+len(meta)+len(attachments) > maxFuzzInput {
			return
		}
		engType := fuzzTypes[int(typ)%len(fuzzTypes)]
		var rec Record
		if json.Unmarshal(eng, &rec.Engagement) != nil || json.Unmarshal(meta, &rec.Metadata) != nil || !json.Valid(attachments) {
			return
		}
		rec.Attachments = attachments
		if _, _, err := ToProperties(engType, rec, ModeRequest); err != nil {
			typedOnly(t, err)
		}
		props, unmapped, err := ToProperties(engType, rec, ModeRecord)
		if err != nil {
			typedOnly(t, err)
			return
		}
		back, err := FromProperties(engType, pointers(props))
		if err != nil {
			t.Fatalf("properties %v do not read back: %v", props, err)
		}
		checkRoundTrip(t, engType, rec, back, unmapped)
	})
}

// FuzzFromProperties reads hostile properties. Whatever reads must convert
// back with nothing unmapped, and read again to the same record.
func FuzzFromProperties(f *testing.F) {
	f.Add(uint8(0), []byte(`{"hs_timestamp":"2021-11-12T15:48:22.1239+01:00","hs_note_body":null,"hubspot_owner_id":"0","hs_attachment_ids":""}`))
	f.Add(uint8(1), []byte(`{"hs_call_duration":"3800.0","hs_object_id":"9223372036854775807","hs_body_preview_is_truncated":"1"}`))
	f.Add(uint8(3), []byte(`{"hs_task_reminders":"1; 2","hs_timestamp":"-62135596800000"}`))
	f.Add(uint8(4), []byte(`{"hs_email_direction":"FORWARDED_EMAIL","hs_email_headers":"{\"from\":{},\"to\":[{\"a\":[1]}],\"x\":2}"}`))
	f.Add(uint8(5), []byte(`{"hs_email_from_email":"a@b.c","hs_email_from_firstname":"\u00e9"}`))
	f.Fuzz(func(t *testing.T, typ uint8, raw []byte) {
		if len(raw) > maxFuzzInput {
			return
		}
		engType := fuzzTypes[int(typ)%len(fuzzTypes)]
		var props map[string]*string
		if json.Unmarshal(raw, &props) != nil {
			return
		}
		rec, err := FromProperties(engType, props)
		if err != nil {
			typedOnly(t, err)
			return
		}
		var readType string
		if err := json.Unmarshal(rec.Engagement["type"], &readType); err != nil {
			t.Fatalf("engagement.type %s: %v", rec.Engagement["type"], err)
		}
		again, unmapped, err := ToProperties(readType, rec, ModeRecord)
		if err != nil || len(unmapped) > 0 {
			t.Fatalf("read %v from %s; it does not convert back: %v, unmapped %v", rec, raw, err, unmapped)
		}
		rec2, err := FromProperties(readType, pointers(again))
		if err != nil {
			t.Fatalf("%v does not read back: %v", again, err)
		}
		checkRoundTrip(t, readType, rec, rec2, nil)
	})
}

// FuzzAssociations converts hostile v1 associations and back: every id of a
// kind with an object association comes back once, in order.
func FuzzAssociations(f *testing.F) {
	f.Add(uint8(0), []byte(`{"contactIds":[1,null,1],"companyIds":[],"ownerIds":[null],"quoteIds":[3]}`))
	f.Add(uint8(3), []byte(`{"quoteIds":[9223372036854775807],"ticketIds":[2],"workflowIds":[4],"x":[]}`))
	addRecordedSeeds(f, func(typ uint8, r v1Record) { f.Add(typ, mustJSON(r.associations)) })
	f.Fuzz(func(t *testing.T, typ uint8, raw []byte) {
		if len(raw) > maxFuzzInput {
			return
		}
		engType := fuzzTypes[int(typ)%len(fuzzTypes)]
		var assoc map[string]json.RawMessage
		if json.Unmarshal(raw, &assoc) != nil {
			return
		}
		if _, _, err := ToAssociations(engType, assoc, ModeRequest); err != nil {
			typedOnly(t, err)
		}
		list, _, err := ToAssociations(engType, assoc, ModeRecord)
		if err != nil {
			typedOnly(t, err)
			return
		}
		object, _ := ObjectType(engType)
		ids := map[string][]string{}
		for _, k := range AssociationKinds {
			if a, ok := DefaultAssociation(object, k.Object); ok {
				ids[a.To] = []string{}
			}
		}
		for _, a := range list {
			ids[a.ToObjectType] = append(ids[a.ToObjectType], strconv.FormatInt(a.ToID, 10))
		}
		back, err := FromAssociations(engType, ids)
		if err != nil {
			t.Fatalf("FromAssociations(%v): %v", ids, err)
		}
		for kind, got := range back {
			want, err := idList(assoc[kind])
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			if d := sameJSON(t, mustJSON(append([]int64{}, want...)), got); d != "" {
				t.Errorf("%s (-v1 +back):\n%s", kind, d)
			}
		}
	})
}
