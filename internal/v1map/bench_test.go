package v1map

import (
	"encoding/json"
	"testing"
)

// benchRecords are a NOTE and an EMAIL shaped like HubSpot's answers (the
// recorded v1-get-note.json and v1-get-email.json), written here so that
// the benchmarks run without the recordings.
var benchRecords = []struct {
	typ       string
	eng, meta string
}{
	{TypeNote,
		`{"id":51484873,"portalId":62515,"active":true,"createdAt":1450278022053,"lastUpdated":1450278022053,"ownerId":1,"type":"NOTE","timestamp":1409172644778}`,
		`{"body":"note body"}`},
	{TypeEmail,
		`{"id":58699206,"active":true,"createdAt":1459244935877,"lastUpdated":1459244935877,"ownerId":70,"type":"EMAIL","timestamp":1459244935871}`,
		`{"from":{"email":"testapi@hubspot.com","firstName":"Test API","lastName":"Anwar"},"to":[{"email":"Brian Halligan (Sample Contact) <bh@hubspot.com>"}],"cc":[],"bcc":[],"subject":"qghgh","html":"sqdgsfg","text":"sqdgsfg","status":"SENT"}`},
}

func benchRecord(b *testing.B, i int) Record {
	var rec Record
	if err := json.Unmarshal([]byte(benchRecords[i].eng), &rec.Engagement); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal([]byte(benchRecords[i].meta), &rec.Metadata); err != nil {
		b.Fatal(err)
	}
	return rec
}

func BenchmarkToProperties(b *testing.B) {
	for i, r := range benchRecords {
		rec := benchRecord(b, i)
		b.Run(r.typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ToProperties(r.typ, rec, ModeRecord); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFromProperties(b *testing.B) {
	for i, r := range benchRecords {
		props, _, err := ToProperties(r.typ, benchRecord(b, i), ModeRecord)
		if err != nil {
			b.Fatal(err)
		}
		p := pointers(props)
		b.Run(r.typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FromProperties(r.typ, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
