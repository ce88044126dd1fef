package facade

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// Fuzz targets for everything the facade reads from the network or from a
// caller's stored state. `go test` runs their seeds; `go test -fuzz` finds
// more.

// addRecorded adds the recorded HubSpot answers as seeds, when they are
// beside the repository.
func addRecorded(f *testing.F, prefix string) {
	dir := filepath.Join("..", "..", "shared", "fixtures", "recorded")
	files, _ := filepath.Glob(filepath.Join(dir, prefix+"*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	for _, p := range []position{{Kind: "v3.list.tasks", Token: "80000000001", Skip: 3}, {Kind: "v3.search.tasks", Base: "5", Read: 9800}, {Kind: "v1.modified", Base: "1700000000000", Done: true}} {
		f.Add(p.Kind, p.encode())
	}
	f.Add("v3.list.tasks", "")
	f.Add("v3.list.tasks", "not a cursor")
	f.Add("v1.paged", "eyJrIjoidjEucGFnZWQiLCJzIjotMX0") // {"k":"v1.paged","s":-1}
	f.Fuzz(func(t *testing.T, kind, cursor string) {
		if !utf8.ValidString(kind) {
			return // kinds are the package's own constants
		}
		p, err := decodeCursor(kind, cursor)
		if err != nil {
			return
		}
		if p.Kind != kind {
			t.Fatalf("decoded a cursor of %q for %q", p.Kind, kind)
		}
		if p.Skip < 0 || p.Read < 0 {
			t.Fatalf("accepted a negative position: %+v", p)
		}
		again, err := decodeCursor(kind, p.encode())
		if err != nil || again != p {
			t.Fatalf("re-encoding %+v gave %+v, %v", p, again, err)
		}
	})
}

func FuzzParseAPIError(f *testing.F) {
	const token = "pat-na1-11111111-2222-4333-8444-555555555555"
	f.Add(404, []byte(`{"status":"error","message":"Object not found.","correlationId":"c","category":"OBJECT_NOT_FOUND","context":{"id":["1"]}}`))
	f.Add(403, []byte(`{"status":"error","message":"This app hasn't been granted all required scopes","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.read"]}}]}`))
	f.Add(400, []byte(`{"message":"bad","validationResults":[{"isValid":false,"name":"ownerId","error":"INVALID_LONG"}],"subCategory":{"a":1}}`))
	f.Add(502, []byte("<html><body>Authorization: Bearer "+token+"</body></html>"))
	f.Add(401, []byte(`{"message":"token `+token+` is expired"}`))
	f.Add(500, []byte{0xff, 0xfe, '{'})
	dir := filepath.Join("..", "..", "shared", "fixtures", "recorded")
	files, _ := filepath.Glob(filepath.Join(dir, "error-*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(400, b)
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		h := http.Header{"X-Hubspot-Correlation-Id": {"id-" + token}, "Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}
		e := parseAPIError(status, h, body, token)
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		if e.RetryAfter < 0 || e.RetryAfter > 24*time.Hour {
			t.Fatalf("RetryAfter %v", e.RetryAfter)
		}
		text := e.Error() + string(e.Body) + e.CorrelationID + e.Message
		for _, d := range e.Errors {
			text += d.Message
		}
		if strings.Contains(text, token) {
			t.Fatalf("the token is in the error: %q", text)
		}
		if !isObject(body) && len([]rune(e.Message)) > 201 {
			t.Fatalf("snippet of %d runes", len([]rune(e.Message)))
		}
		_ = e.MissingScopes()
	})
}

func FuzzObjectRoundTrip(f *testing.F) {
	f.Add([]byte(`{"id":"512","properties":{"hs_task_subject":"a","hubspot_owner_id":null,"hs_timestamp":"1700000000000"},"createdAt":"2025-03-15T14:30:00Z","archived":false,"future":[null]}`))
	f.Add([]byte(`{"id":"1","properties":{"hs_call_duration":"x"},"associations":{"contacts":{"results":[{"id":"2","type":"call_to_contact"}]}}}`))
	f.Add([]byte(`{"properties":[]}`))
	addRecorded(f, "v3-")
	f.Fuzz(func(t *testing.T, b []byte) {
		var o Object
		if err := json.Unmarshal(b, &o); err != nil {
			return
		}
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var x, y any
		if json.Unmarshal(b, &x) == nil && json.Unmarshal(out, &y) == nil && !jsonEq(x, y) {
			t.Fatalf("round trip changed the record:\n%s\n%s", b, out)
		}
		// No accessor fails or panics on what HubSpot (or anyone) sent.
		_, _, _ = o.ID(), o.CreatedAt(), o.Properties()
		_, _ = Task{o}.Due()
		_ = Call{o}.Duration()
		_, _ = Meeting{o}.Start()
		_ = o.Associations(Contacts)
	})
}

func FuzzEngagementRoundTrip(f *testing.F) {
	f.Add([]byte(`{"engagement":{"id":4294967297,"type":"NOTE","timestamp":1},"associations":{"contactIds":[1],"marketingEventIds":[2]},"metadata":{"body":"x","extra":null}}`))
	f.Add([]byte(`{"engagement":{"type":"CALL"},"metadata":{"durationMilliseconds":"not a number","status":"COMPLETED"}}`))
	f.Add([]byte(`{"engagement":{"type":"EMAIL"},"metadata":{"from":{},"to":[{"email":"a"}],"cc":{}}}`))
	f.Add([]byte(`{"engagement":{"type":"PUBLISHING_TASK"},"metadata":[]}`))
	addRecorded(f, "v1-get-")
	addRecorded(f, "v1-create-")
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Engagement
		if err := json.Unmarshal(b, &e); err != nil {
			return
		}
		out, _ := json.Marshal(e)
		if !bytes.Equal(out, b) {
			var x, y any
			if json.Unmarshal(b, &x) == nil && json.Unmarshal(out, &y) == nil && !jsonEq(x, y) {
				t.Fatalf("round trip changed the record:\n%s\n%s", b, out)
			}
		}
		// The typed accessors never fail or panic.
		_ = e.NoteBody()
		_, _, _, _, _ = e.NoteMetadata(), e.EmailMetadata(), e.CallMetadata(), e.MeetingMetadata(), e.TaskMetadata()
		_, _ = e.Associations()
		if m, err := e.Metadata(); err == nil && m != nil {
			// What decodes encodes, and decodes to the same again.
			if _, ok := m.(RawMetadata); !ok {
				enc, err := json.Marshal(m)
				if err != nil {
					t.Fatalf("encoding %T: %v", m, err)
				}
				again, err := typedMetadata(e.Type(), enc)
				if err != nil {
					t.Fatalf("re-decoding %s: %v", enc, err)
				}
				enc2, _ := json.Marshal(again)
				if !bytes.Equal(enc, enc2) {
					t.Fatalf("metadata not stable:\n%s\n%s", enc, enc2)
				}
			}
		}
	})
}

func FuzzUTF16Len(f *testing.F) {
	for _, s := range []string{"", "a", "é", "日本", "😀", "a😀b", string([]byte{0xff, 0xfe}), "\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := len(utf16.Encode([]rune(s)))
		if got := props.UTF16Len(s); got != want {
			t.Fatalf("utf16Len(%q) = %d, want %d", s, got, want)
		}
		if utf8.ValidString(s) && props.UTF16Len(s) < utf8.RuneCountInString(s) {
			t.Fatalf("fewer code units than runes for %q", s)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"", "2025-03-15T14:30:00Z", "2025-03-15T14:30:00.123+02:00", "1700000000000", "-1", "9223372036854775807", "2025-13-40T99:99:99Z", "2025-03-15"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm := parseTime(s)
		if tm.IsZero() {
			return
		}
		if got := parseTime(FormatTime(tm)); !got.Equal(tm.Truncate(time.Millisecond)) && tm.Year() >= 0 && tm.Year() <= 9999 {
			t.Fatalf("FormatTime(%v) = %q parses as %v", tm, FormatTime(tm), got)
		}
	})
}

// jsonEq compares decoded JSON values.
func jsonEq(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return bytes.Equal(ab, bb)
}

// FuzzDecodeFeeds: a changes feed's checkpoint is a caller's stored
// state; decoding any one of either feed does not panic, and one decoded
// has its delivered changes within the page it names.
func FuzzDecodeFeeds(f *testing.F) {
	v1 := v1Feed{Floor: 5, From: 4, Start: 4, Mark: 9, Overlap: 60000, Limit: 1000, Cur: []string{"7@9"}, Page: []string{"8@9"}}
	f.Add(v1.position(v1FeedAt{After: "x", K: 1, Mark: 9}, false).X, `{"a":"x","k":1,"m":9}`)
	sh := feedShared{Types: []feedType{{Type: "tasks"}}, Overlap: 60000, Limit: 200, Page: []string{"1@2"}}
	x, _ := json.Marshal(sh)
	f.Add(string(x), `{"i":0,"k":1}`)
	f.Add(`{"n":1,"g":[]}`, `{"k":-1}`)
	f.Add(`{"y":[]}`, `{"i":3}`)
	f.Fuzz(func(t *testing.T, x, token string) {
		at := position{Kind: feedKind, X: x, Token: token}
		if st, err := decodeFeed(at); err == nil {
			if st.at.I < 0 || st.at.I > len(st.shared.Types) {
				t.Fatalf("type %d of %d", st.at.I, len(st.shared.Types))
			}
			st.prune()
		}
		at.Kind = v1FeedKind
		if f, fa, err := decodeV1Feed(at); err == nil {
			if fa.K != 0 || f.Page != nil || f.Limit < 1 || f.Overlap < 0 {
				t.Fatalf("decoded %+v %+v", f, fa)
			}
			f.prune()
			_ = f.nextPass()
		}
	})
}
