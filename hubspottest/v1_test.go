package hubspottest_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

type v1Record struct {
	Engagement struct {
		ID          int64  `json:"id"`
		PortalID    int64  `json:"portalId"`
		Active      bool   `json:"active"`
		CreatedAt   int64  `json:"createdAt"`
		LastUpdated int64  `json:"lastUpdated"`
		Type        string `json:"type"`
		Timestamp   int64  `json:"timestamp"`
		OwnerID     int64  `json:"ownerId"`
		Custom      string `json:"customField"`
	} `json:"engagement"`
	Associations map[string][]int64 `json:"associations"`
	Attachments  []json.RawMessage  `json:"attachments"`
	Metadata     map[string]any     `json:"metadata"`
	Extra        json.RawMessage    `json:"extraTopLevel"`
}

type v1Page struct {
	Results []v1Record      `json:"results"`
	HasMore bool            `json:"hasMore"`
	Offset  int64           `json:"offset"`
	Total   int             `json:"total"`
	After   json.RawMessage `json:"after"`
}

func TestAuth(t *testing.T) {
	srv, c := start(t)
	srv.AddToken("second-token")
	paths := []struct{ method, path string }{
		{"GET", "/engagements/v1/engagements/paged"},
		{"GET", "/calling/v1/dispositions"},
		{"GET", "/crm/v3/objects/tasks"},
		{"POST", "/crm/v3/objects/emails/search"},
	}
	for _, tc := range []struct {
		name, token string
		want        int
	}{{"missing", "", 401}, {"unknown", "nope", 401}, {"default", srv.Token(), 200}, {"added", "second-token", 200}} {
		for _, p := range paths {
			c.token = tc.token
			var body any
			if p.method == "POST" {
				body = map[string]any{}
			}
			if tc.want != 200 {
				e := c.fail(p.method, p.path, body, tc.want)
				if e.Category != "INVALID_AUTHENTICATION" || !strings.HasPrefix(e.Message, "Authentication credentials not found") {
					t.Errorf("%s %s: %+v", tc.name, p.path, e)
				}
				continue
			}
			c.call(p.method, p.path, body, tc.want, nil)
		}
	}
	if n := len(srv.Requests()); n != 16 {
		t.Errorf("logged %d requests, want 16", n)
	}
	if r := srv.Requests()[0]; r.Status != 401 || r.Method != "GET" || r.Path != paths[0].path || r.CorrelationID == "" {
		t.Errorf("first logged request %+v", r)
	}
	srv.ResetRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("after reset, %d requests", n)
	}
}

func TestV1CreateGetUpdateDelete(t *testing.T) {
	srv, c := start(t, hubspottest.WithClock(newClock().Now))
	in := map[string]any{
		"engagement":    map[string]any{"type": "NOTE", "ownerId": 7001, "customField": "kept"},
		"associations":  map[string]any{"contactIds": []any{nil, 5001}, "somethingNew": []int{1}},
		"metadata":      map[string]any{"body": "first", "extra": 1},
		"extraTopLevel": map[string]any{"a": nil},
	}
	var rec v1Record
	c.call("POST", "/engagements/v1/engagements", in, 200, &rec)
	e := rec.Engagement
	if e.ID <= 1<<32 || e.Type != "NOTE" || !e.Active || e.PortalID == 0 || e.CreatedAt != newClock().Now().UnixMilli() || e.Timestamp != e.CreatedAt || e.Custom != "kept" {
		t.Errorf("created engagement %+v", e)
	}
	if got := rec.Associations["contactIds"]; !slices.Equal(got, []int64{5001}) {
		t.Errorf("contactIds %v, want the null dropped", got)
	}
	for _, k := range []string{"companyIds", "dealIds", "ownerIds", "workflowIds", "ticketIds", "contentIds", "quoteIds", "somethingNew"} {
		if _, ok := rec.Associations[k]; !ok {
			t.Errorf("associations lack %s", k)
		}
	}
	if rec.Attachments == nil || string(rec.Extra) != `{"a":null}` {
		t.Errorf("attachments %v, extraTopLevel %s", rec.Attachments, rec.Extra)
	}
	path := "/engagements/v1/engagements/" + itoa64(e.ID)
	var got v1Record
	c.call("GET", path, nil, 200, &got)
	if got.Engagement != e || got.Metadata["body"] != "first" {
		t.Errorf("get %+v, want %+v", got, rec)
	}
	c.call("PATCH", path, map[string]any{"engagement": map[string]any{"ownerId": 7002}, "metadata": map[string]any{"body": "second"}}, 200, &got)
	if got.Metadata["body"] != "second" || got.Metadata["extra"] != 1.0 || got.Engagement.OwnerID != 7002 || got.Engagement.Custom != "kept" || got.Engagement.Type != "NOTE" {
		t.Errorf("patched %+v", got)
	}
	stored, ok := srv.Engagement(e.ID)
	if !ok || stored.Meta("body") != "second" || stored.Meta("extra") != "1" || stored.OwnerID != 7002 || stored.Type != "NOTE" ||
		!slices.Equal(stored.Associations["contactIds"], []int64{5001}) || !strings.Contains(string(stored.JSON), `"second"`) ||
		srv.EngagementCount() != 1 || len(srv.Engagements()) != 1 {
		t.Errorf("stored %+v %v", stored, ok)
	}
	c.call("DELETE", path, nil, 204, nil)
	for _, m := range []string{"GET", "DELETE", "PATCH"} {
		var body any
		if m == "PATCH" {
			body = map[string]any{"metadata": map[string]any{}}
		}
		if e := c.fail(m, path, body, 404); e.Category != "OBJECT_NOT_FOUND" || !strings.HasPrefix(e.Message, "Object not found") {
			t.Errorf("%s after delete: %+v", m, e)
		}
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestV1Errors(t *testing.T) {
	_, c := start(t)
	emoji := strings.Repeat("😀", noteHalf) // 65536 UTF-16 code units, 32768 runes
	var ok v1Record
	c.call("POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "NOTE"}, "metadata": map[string]any{"body": emoji}}, 200, &ok)
	path := "/engagements/v1/engagements/" + itoa64(ok.Engagement.ID)
	for _, tc := range []struct {
		name, method, path string
		body               any
		want               int
		message            string
	}{
		{"unknown type", "POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "LUNCH"}, "metadata": map[string]any{}}, 400, "Invalid enum constant 'LUNCH'"},
		{"no metadata", "POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "CALL"}}, 400, "metadata"},
		{"note too long", "POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "NOTE"}, "metadata": map[string]any{"body": emoji + "a"}}, 400, "65536"},
		{"update note too long", "PATCH", path, map[string]any{"metadata": map[string]any{"body": emoji + "a"}}, 400, "65536"},
		{"bad json", "POST", "/engagements/v1/engagements", "not an object", 400, "Invalid input JSON"},
		{"unknown id", "GET", "/engagements/v1/engagements/99", nil, 404, "Object not found"},
		{"paged limit", "GET", "/engagements/v1/engagements/paged?limit=251", nil, 400, "limit"},
		{"paged offset", "GET", "/engagements/v1/engagements/paged?offset=x", nil, 400, "offset"},
		{"recent count", "GET", "/engagements/v1/engagements/recent/modified?count=101", nil, 400, "count"},
		{"recent since", "GET", "/engagements/v1/engagements/recent/modified?since=yesterday", nil, 400, "since"},
		{"after limit", "GET", "/engagements/v1/engagements/modified/after?limit=1001", nil, 400, "limit"},
		{"after cursor", "GET", "/engagements/v1/engagements/modified/after?after=%21%21", nil, 400, "after"},
		{"associated type", "GET", "/engagements/v1/engagements/associated/FAKE_TYPE/1/paged", nil, 400, "Invalid enum constant 'FAKE_TYPE' for class ObjectType"},
		{"associated id", "GET", "/engagements/v1/engagements/associated/CONTACT/abc/paged", nil, 400, "objectId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := c.fail(tc.method, tc.path, tc.body, tc.want)
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q, want it to contain %q", e.Message, tc.message)
			}
		})
	}
}

const noteHalf = 65536 / 2

func TestV1InvalidEnumLooksRecorded(t *testing.T) {
	var want map[string]json.RawMessage
	if err := json.Unmarshal(recorded(t, "v1-error-400-invalid-enum.json"), &want); err != nil {
		t.Fatal(err)
	}
	_, c := start(t)
	var got map[string]json.RawMessage
	c.call("GET", "/engagements/v1/engagements/associated/FAKE_TYPE/1/paged", nil, 400, &got)
	if k1, k2 := keys(got), keys(want); !sameSet(k1, k2) {
		t.Errorf("keys %v, recorded %v", k1, k2)
	}
}

func TestV1CreateLooksRecorded(t *testing.T) {
	req := recorded(t, "v1-create-note-request.json")
	var want map[string]any
	if err := json.Unmarshal(recorded(t, "v1-create-note-response-2018.json"), &want); err != nil {
		t.Fatal(err)
	}
	_, c := start(t)
	var in any
	if err := json.Unmarshal(req, &in); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	c.call("POST", "/engagements/v1/engagements", in, 200, &got)
	for _, part := range []string{"engagement", "associations"} {
		for k := range want[part].(map[string]any) {
			if _, ok := got[part].(map[string]any)[k]; !ok {
				t.Errorf("%s lacks %q, which HubSpot sends", part, k)
			}
		}
	}
}

func sameSet(a, b []string) bool {
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestV1PagedToTheEnd(t *testing.T) {
	srv, c := start(t)
	seeded := append(srv.SeedEngagements("NOTE", 300), srv.SeedEngagements("PUBLISHING_TASK", 223)...)
	for _, tc := range []struct {
		query string
		pages int
	}{{"", 6}, {"limit=250&", 3}, {"limit=7&", 75}} {
		var got []int64
		var p v1Page
		offset, pages := "", 0
		for first := true; first || p.HasMore; first = false {
			p = v1Page{}
			c.call("GET", "/engagements/v1/engagements/paged?"+tc.query+offset, nil, 200, &p)
			for _, r := range p.Results {
				got = append(got, r.Engagement.ID)
			}
			if len(p.Results) > 0 && p.Offset != got[len(got)-1] {
				t.Fatalf("offset %d, want the last id %d", p.Offset, got[len(got)-1])
			}
			offset, pages = "offset="+itoa64(p.Offset), pages+1
		}
		if !slices.Equal(got, seeded) || pages != tc.pages {
			t.Errorf("%q: %d ids in %d pages, want %d in %d", tc.query, len(got), pages, len(seeded), tc.pages)
		}
	}
}

func TestV1RecentModifiedCap(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv, c := start(t, hubspottest.WithClock(clock.Now))
	seeded := srv.SeedEngagements("NOTE", 10050)
	var got []int64
	var p v1Page
	middle := c.unchecked()
	for first := true; first || p.HasMore; first = false {
		p = v1Page{}
		on := middle
		if first || len(got) >= 9900 {
			on = c // the first and the last page checked against the spec
		}
		on.call("GET", "/engagements/v1/engagements/recent/modified?count=100&offset="+itoa64(int64(len(got))), nil, 200, &p)
		if p.Total != 10050 {
			t.Fatalf("total %d, want 10050", p.Total)
		}
		for _, r := range p.Results {
			got = append(got, r.Engagement.ID)
		}
	}
	if len(got) != 10000 || got[0] != seeded[10049] || got[9999] != seeded[50] {
		t.Errorf("got %d records from %d to %d; want the 10,000 newest first", len(got), got[0], got[len(got)-1])
	}
	c.call("GET", "/engagements/v1/engagements/recent/modified", nil, 200, &p)
	if len(p.Results) != 20 || !p.HasMore {
		t.Errorf("default count gave %d records", len(p.Results))
	}
	since := clock.Now().Add(-10 * time.Second).UnixMilli()
	c.call("GET", "/engagements/v1/engagements/recent/modified?since="+itoa64(since), nil, 200, &p)
	if p.Total != 9 || len(p.Results) != 9 || p.HasMore {
		t.Errorf("since the last 10s: total %d, %d results", p.Total, len(p.Results))
	}
	clock.Add(31 * 24 * time.Hour)
	c.call("GET", "/engagements/v1/engagements/recent/modified", nil, 200, &p)
	if p.Total != 0 || len(p.Results) != 0 {
		t.Errorf("after 31 days: total %d", p.Total)
	}
}

func TestV1ModifiedAfter(t *testing.T) {
	clock := newClock()
	srv, c := start(t, hubspottest.WithClock(clock.Now))
	seeded := srv.SeedEngagements("CALL", 250)
	clock.Add(time.Minute)
	c.call("PATCH", "/engagements/v1/engagements/"+itoa64(seeded[0]), map[string]any{"metadata": map[string]any{"body": "changed"}}, 200, nil)
	want := append(slices.Clone(seeded[1:]), seeded[0])
	var got []int64
	after := "0"
	var p v1Page
	for first := true; first || p.HasMore; first = false {
		p = v1Page{}
		c.call("GET", "/engagements/v1/engagements/modified/after?limit=100&after="+after, nil, 200, &p)
		for _, r := range p.Results {
			got = append(got, r.Engagement.ID)
		}
		if err := json.Unmarshal(p.After, &after); err != nil {
			t.Fatalf("after %s is not a string: %v", p.After, err)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %d ids, want the 250 in modification order", len(got))
	}
	c.call("GET", "/engagements/v1/engagements/modified/after?after="+after, nil, 200, &p)
	if len(p.Results) != 0 || p.HasMore {
		t.Errorf("nothing changed since the cursor, got %d", len(p.Results))
	}
	clock.Add(time.Minute)
	c.call("PATCH", "/engagements/v1/engagements/"+itoa64(seeded[5]), map[string]any{"engagement": map[string]any{"ownerId": 1}}, 200, nil)
	c.call("GET", "/engagements/v1/engagements/modified/after?after="+after, nil, 200, &p)
	if len(p.Results) != 1 || p.Results[0].Engagement.ID != seeded[5] {
		t.Errorf("after the cursor: %d results", len(p.Results))
	}
	ms := clock.Now().Add(-90 * time.Second).UnixMilli()
	c.call("GET", "/engagements/v1/engagements/modified/after?after="+itoa64(ms), nil, 200, &p)
	if len(p.Results) != 2 {
		t.Errorf("after a time: %d results, want 2", len(p.Results))
	}
}

func TestV1Associated(t *testing.T) {
	srv, c := start(t)
	srv.SeedEngagements("EMAIL", 120)
	var want []int64
	for _, e := range srv.Engagements() {
		if slices.Contains(e.Associations["contactIds"], 5003) {
			want = append(want, e.ID)
		}
	}
	if len(want) < 8 {
		t.Fatalf("only %d seeded records with contact 5003", len(want))
	}
	var got []int64
	var p v1Page
	for first := true; first || p.HasMore; first = false {
		q := "?limit=7"
		if !first {
			q += "&offset=" + itoa64(p.Offset)
		}
		p = v1Page{}
		c.call("GET", "/engagements/v1/engagements/associated/CONTACT/5003/paged"+q, nil, 200, &p)
		for _, r := range p.Results {
			got = append(got, r.Engagement.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("associated %v, want %v", got, want)
	}
	c.call("GET", "/engagements/v1/engagements/associated/DEAL/5003/paged", nil, 200, &p)
	if len(p.Results) != 0 || p.HasMore {
		t.Errorf("deal 5003 has %d engagements", len(p.Results))
	}
}

func TestDispositions(t *testing.T) {
	_, c := start(t)
	var got []struct{ ID, Label string }
	c.call("GET", "/calling/v1/dispositions", nil, 200, &got)
	if len(got) != 6 || got[0].Label != "Busy" || got[0].ID != "9d9162e7-6cf3-4944-bf63-4dff82258764" || got[5].ID != "17b47fee-58de-441e-a44c-c6300d46f273" {
		t.Errorf("dispositions %+v", got)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := hubspottest.NewServer(hubspottest.WithSeed(3)), hubspottest.NewServer(hubspottest.WithSeed(3))
	defer a.Close()
	defer b.Close()
	ta, tb := a.SeedTasks(5), b.SeedTasks(5)
	for i := range ta {
		x, _ := a.Task(ta[i])
		y, _ := b.Task(tb[i])
		if x.Prop("hs_task_subject") != y.Prop("hs_task_subject") || ta[i] != tb[i] {
			t.Errorf("seeded task %d differs", i)
		}
	}
	if a.Token() != b.Token() || a.Token() == "" {
		t.Errorf("tokens %q %q", a.Token(), b.Token())
	}
}
