package v1map

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recordedDir holds HubSpot's real answers as public projects recorded them
// (../shared/fixtures/recorded, beside the repository; never copied in).
var recordedDir = filepath.Join("..", "..", "..", "shared", "fixtures", "recorded")

// v1Record is one v1 engagement as HubSpot sent it, split in its parts.
type v1Record struct {
	// from names the recorded file and the position in it.
	from         string
	typ          string
	engagement   map[string]json.RawMessage
	metadata     map[string]json.RawMessage
	associations map[string]json.RawMessage
	attachments  json.RawMessage
}

func (r v1Record) record() Record {
	return Record{Engagement: r.engagement, Metadata: r.metadata, Attachments: r.attachments}
}

// recordedV1 reads the v1 records of the recorded answers: the single gets
// and every record of the paged listings. It skips the test when the
// recordings are absent.
func recordedV1(t testing.TB) []v1Record {
	t.Helper()
	if _, err := os.Stat(recordedDir); err != nil {
		t.Skipf("recorded HubSpot answers not found at %s (they live beside the repository): %v", recordedDir, err)
	}
	var out []v1Record
	add := func(from string, raw json.RawMessage) {
		var parts struct {
			Engagement   map[string]json.RawMessage `json:"engagement"`
			Metadata     map[string]json.RawMessage `json:"metadata"`
			Associations map[string]json.RawMessage `json:"associations"`
			Attachments  json.RawMessage            `json:"attachments"`
		}
		if err := json.Unmarshal(raw, &parts); err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		var typ string
		if err := json.Unmarshal(parts.Engagement["type"], &typ); err != nil {
			t.Fatalf("%s: engagement.type: %v", from, err)
		}
		out = append(out, v1Record{from, typ, parts.Engagement, parts.Metadata, parts.Associations, parts.Attachments})
	}
	for _, name := range []string{"v1-get-note.json", "v1-get-call.json", "v1-get-email.json",
		"v1-create-call-response.json", "v1-create-note-response.json", "v1-create-note-response-2018.json"} {
		add(name, readRecorded(t, name))
	}
	for _, name := range []string{"v1-paged.json", "v1-paged-limit5.json", "v1-paged-page2.json",
		"v1-associated-paged.json", "v1-associated-paged-2018.json", "v1-recent-modified-reconstructed.json"} {
		var page struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(readRecorded(t, name), &page); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, r := range page.Results {
			add(name+"#"+strconv.Itoa(i), r)
		}
	}
	return out
}

func readRecorded(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON reports the difference between two JSON values, compared as
// values (numbers exactly, by value: -0 is 0), or "" when they are equal.
func sameJSON(t testing.TB, want, got json.RawMessage) string {
	t.Helper()
	return cmp.Diff(decodeJSON(t, want), decodeJSON(t, got), cmp.Comparer(sameNumber))
}

// sameNumber compares JSON numbers by value; numbers with an exponent (which
// the conversions never write) only by text, as big.Rat would expand 1e999999999.
func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	if strings.ContainsAny(string(a)+string(b), "eE") {
		return false
	}
	x, okx := new(big.Rat).SetString(string(a))
	y, oky := new(big.Rat).SetString(string(b))
	return okx && oky && x.Cmp(y) == 0
}

func decodeJSON(t testing.TB, raw json.RawMessage) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("not JSON: %s: %v", raw, err)
	}
	return v
}

// pointers turns property values into the map FromProperties takes.
func pointers(props map[string]string) map[string]*string {
	out := make(map[string]*string, len(props))
	for k, v := range props {
		out[k] = &v
	}
	return out
}

// raws turns JSON texts into a field map.
func raws(fields map[string]string) map[string]json.RawMessage {
	if fields == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		out[k] = json.RawMessage(v)
	}
	return out
}

// errorKind names the typed error err is, for table-driven checks.
func errorKind(err error) string {
	var (
		te *TypeError
		ve *ValueError
		ue *UnmappedError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &te):
		return "type"
	case errors.As(err, &ve):
		return "value"
	case errors.As(err, &ue):
		return "unmapped"
	}
	return "other: " + err.Error()
}
