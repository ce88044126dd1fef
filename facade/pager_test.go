package facade

import (
	"github.com/engagekit/hubspot-engagements/gen/tasks"
	"io"
	"reflect"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// v1Pages serves /engagements/v1/engagements/paged over n engagements with
// ids base+1…base+n, offset = last id returned, like HubSpot.
func v1Pages(n int, base int64) func(w http.ResponseWriter, r *http.Request, _ int64) {
	return func(w http.ResponseWriter, r *http.Request, _ int64) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 100
		}
		off, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
		start := int64(0)
		if off > 0 {
			start = off - base
		}
		var res []string
		last := off
		for i := start; i < int64(n) && len(res) < limit; i++ {
			last = base + i + 1
			res = append(res, fmt.Sprintf(`{"engagement":{"id":%d,"type":"NOTE"},"metadata":{"body":"n%d"}}`, last, i))
		}
		writeJSON(w, 200, fmt.Sprintf(`{"results":[%s],"hasMore":%v,"offset":%d}`, strings.Join(res, ","), last < base+int64(n), last))
	}
}

func ids(t *testing.T, p *Pager[Engagement], stopAfter int) []int64 {
	t.Helper()
	var got []int64
	for e, err := range p.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.ID())
		if len(got) == stopAfter {
			break
		}
	}
	return got
}

func TestPagerWalksToTheEndAndResumesExactly(t *testing.T) {
	defer goleak.VerifyNone(t)
	const base = 1 << 33
	for _, prefetch := range []bool{true, false} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			s := newStub(t, v1Pages(23, base))
			defer s.Close()
			opts := []Option{}
			if !prefetch {
				opts = append(opts, WithoutPrefetch())
			}
			c := newClient(t, s.URL+"/prefix", opts...)
			ctx := context.Background()
			p := c.Engagements.List(ctx, EngagementListParams{Limit: 5})
			if s.count() != 0 {
				t.Fatal("a request was sent before iteration")
			}
			first := ids(t, p, 7) // stop in the middle of page 2
			if p.Cursor() == "" {
				t.Fatal("no cursor after 7 records")
			}
			rest := ids(t, c.Engagements.List(ctx, EngagementListParams{Limit: 5, Cursor: p.Cursor()}), 0)
			all := append(first, rest...)
			if len(all) != 23 {
				t.Fatalf("got %d records, want 23: %v", len(all), all)
			}
			for i, id := range all {
				if id != base+int64(i)+1 {
					t.Fatalf("record %d has id %d, want %d", i, id, base+int64(i)+1)
				}
			}
			// The same pager continues where it stopped, too.
			again := ids(t, p, 0)
			if len(again) != 16 || again[0] != base+8 {
				t.Fatalf("continuing the pager gave %v", again)
			}
		})
	}
}

func TestNextPageAndCursor(t *testing.T) {
	s := newStub(t, v1Pages(7, 100))
	c := newClient(t, s.URL+"/prefix")
	p := c.Engagements.List(context.Background(), EngagementListParams{Limit: 3})
	var sizes []int
	for p.More() {
		pg, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(pg.Records))
		if pg.Cursor != p.Cursor() {
			t.Error("page cursor differs from pager cursor")
		}
	}
	if fmt.Sprint(sizes) != "[3 3 1]" {
		t.Fatalf("page sizes %v", sizes)
	}
	if _, err := p.NextPage(context.Background()); !errors.Is(err, ErrNoMorePages) {
		t.Fatalf("after the end: %v", err)
	}
	if got := s.requests()[1].Query; got != "limit=3&offset=103" {
		t.Errorf("second page query %q (offset must be the last id)", got)
	}
}

func TestPagerGuardsAgainstLoops(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"same offset twice", `{"results":[{"engagement":{"id":1}}],"hasMore":true,"offset":1}`},
		{"hasMore with an empty page", `{"results":[],"hasMore":true,"offset":9}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, tt.body) })
			c := newClient(t, s.URL+"/prefix")
			errs := 0
			for _, err := range c.Engagements.List(context.Background(), EngagementListParams{}).All() {
				if err != nil {
					errs++
					if !errors.Is(err, ErrPaginationLoop) {
						t.Fatalf("err = %v", err)
					}
				}
			}
			if errs != 1 {
				t.Fatalf("%d errors yielded, want exactly 1", errs)
			}
			if s.count() > 3 {
				t.Fatalf("%d requests: the loop was followed", s.count())
			}
		})
	}
}

func TestPagerYieldsAnErrorOnceAndStops(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			writeJSON(w, 200, `{"results":[{"id":"1","properties":{}}],"paging":{"next":{"after":"2"}}}`)
			return
		}
		writeJSON(w, 404, `{"status":"error","message":"gone","category":"OBJECT_NOT_FOUND"}`)
	})
	c := newClient(t, s.URL+"/prefix")
	p := c.Tasks.List(context.Background(), ListParams{})
	var recs, errs int
	for _, err := range p.All() {
		if err != nil {
			errs++
			continue
		}
		recs++
	}
	if recs != 1 || errs != 1 || !errors.Is(p.Err(), ErrNotFound) {
		t.Fatalf("records %d errors %d err %v", recs, errs, p.Err())
	}
	for range p.All() {
		errs++
	}
	if errs != 2 {
		t.Fatal("a failed pager must yield its error again, once")
	}
}

func TestPrefetchLeavesNoGoroutineBehind(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := newStub(t, v1Pages(1000, 1))
	defer s.Close()
	c := newClient(t, s.URL+"/prefix", WithRateLimit(10000, 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range c.Engagements.List(ctx, EngagementListParams{Limit: 10}).All() {
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			break
		}
		n++
		if n == 15 {
			cancel()
		}
	}
	if n != 20 {
		t.Fatalf("read %d records after cancelling at 15, want the rest of that page (20)", n)
	}
	// Break early with a live context.
	ids(t, c.Engagements.List(context.Background(), EngagementListParams{Limit: 10}), 3)
}

// searchStub answers v3 search over ids 1…n like HubSpot: sorted by
// hs_object_id, optional "hs_object_id GT x" filter, numeric after, and a
// 400 past the 10,000th result.
func searchStub(n int) func(w http.ResponseWriter, r *http.Request, _ int64) {
	return func(w http.ResponseWriter, r *http.Request, _ int64) {
		var req tasks.SearchRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		total := 0
		for _, g := range deref(req.FilterGroups) {
			total += len(deref(g.Filters))
			if len(deref(g.Filters)) > MaxFiltersPerGroup {
				writeJSON(w, 400, `{"status":"error","message":"too many filters in a group","category":"VALIDATION_ERROR"}`)
				return
			}
		}
		if total > MaxFilters || len(deref(req.FilterGroups)) > MaxFilterGroups {
			writeJSON(w, 400, `{"status":"error","message":"too many filters","category":"VALIDATION_ERROR"}`)
			return
		}
		gt := 0
		for _, g := range deref(req.FilterGroups) {
			for _, f := range deref(g.Filters) {
				if deref(f.PropertyName) == ObjectIDProperty && deref(f.Operator) == tasks.GT {
					gt, _ = strconv.Atoi(deref(f.Value))
				}
			}
		}
		after, _ := strconv.Atoi(deref(req.After))
		limit := deref(req.Limit)
		if limit == 0 {
			limit = 10
		}
		if after+limit > searchCap {
			writeJSON(w, 400, `{"status":"error","message":"paging past 10000","category":"VALIDATION_ERROR"}`)
			return
		}
		total = n - gt
		var res []string
		for i := gt + after + 1; i <= n && len(res) < limit; i++ {
			res = append(res, fmt.Sprintf(`{"id":"%d","properties":{"hs_object_id":"%d"}}`, i, i))
		}
		paging := ""
		if after+len(res) < total {
			paging = fmt.Sprintf(`,"paging":{"next":{"after":"%d"}}`, after+len(res))
		}
		writeJSON(w, 200, fmt.Sprintf(`{"total":%d,"results":[%s]%s}`, total, strings.Join(res, ","), paging))
	}
}

func TestSearchReadsPastTheCap(t *testing.T) {
	const n = 23456
	s := newStub(t, searchStub(n))
	c := newClient(t, s.URL+"/prefix", WithSearchRateLimit(10000, 1))
	seen := make(map[string]bool, n)
	prev := 0
	for task, err := range c.Tasks.Search(context.Background(), SearchParams{Limit: 200}).All() {
		if err != nil {
			t.Fatal(err)
		}
		id, _ := strconv.Atoi(task.ID())
		if seen[task.ID()] || id != prev+1 {
			t.Fatalf("record %d after %d (repeated or skipped)", id, prev)
		}
		seen[task.ID()], prev = true, id
	}
	if len(seen) != n {
		t.Fatalf("read %d records, want %d", len(seen), n)
	}
	var restarts int
	for _, r := range s.requests() {
		if strings.Contains(r.Body, `"operator":"GT"`) && !strings.Contains(r.Body, `"after"`) {
			restarts++
		}
	}
	if restarts != 2 {
		t.Errorf("%d restarts, want 2 for %d records", restarts, n)
	}
}

// TestSearchPastTheCapKeepsTheFilterLimits: reading past 10,000 results
// adds a filter to every group; a group already at HubSpot's limit cannot
// take it, so the search stops at the cap with an error that says why,
// having sent no request HubSpot would refuse.
func TestSearchPastTheCapKeepsTheFilterLimits(t *testing.T) {
	full := make([]Filter, MaxFiltersPerGroup)
	for i := range full {
		full[i] = Filter{PropertyName: fmt.Sprintf("p%d", i), Operator: OpHasProperty}
	}
	half := full[:5]
	tests := []struct {
		name   string
		groups []FilterGroup
		want   string // in the error; "" reads everything
	}{
		{"a full group", []FilterGroup{{Filters: full}}, "filter group 0 already has HubSpot's 10 filters"},
		{"25 filters in all", []FilterGroup{{Filters: half}, {Filters: half}, {Filters: half}, {Filters: half}, {Filters: half}}, "30 in all, over HubSpot's 25"},
		{"room for the restart filter", []FilterGroup{{Filters: half}, {Filters: half}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, searchStub(10500))
			c := newClient(t, s.URL+"/prefix", WithSearchRateLimit(10000, 1))
			n := 0
			var last error
			for _, err := range c.Tasks.Search(context.Background(), SearchParams{FilterGroups: tt.groups}).All() {
				if err != nil {
					last = err
					break
				}
				n++
			}
			if tt.want == "" {
				if last != nil || n != 10500 {
					t.Fatalf("read %d: %v", n, last)
				}
				return
			}
			if !errors.Is(last, ErrSearchCap) || !strings.Contains(last.Error(), tt.want) || n != searchCap {
				t.Fatalf("read %d, err %v; want %d and ErrSearchCap saying %q", n, last, searchCap, tt.want)
			}
			for _, r := range s.requests() {
				if strings.Contains(r.Body, `"operator":"GT"`) {
					t.Fatalf("sent a restart HubSpot would refuse: %s", r.Body)
				}
			}
		})
	}
}

func TestSearchWithCustomSortStopsAtTheCap(t *testing.T) {
	s := newStub(t, searchStub(10500))
	c := newClient(t, s.URL+"/prefix", WithSearchRateLimit(10000, 1))
	var n int
	var last error
	for _, err := range c.Tasks.Search(context.Background(), SearchParams{Limit: 200, Sorts: []Sort{{PropertyName: ObjectIDProperty, Direction: "ASCENDING"}}}).All() {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if !errors.Is(last, ErrSearchCap) || n != 10000 {
		t.Fatalf("read %d then %v", n, last)
	}
}

func TestRecentModifiedCapIsATypedError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var res []string
		for i := off; i < off+100; i++ {
			res = append(res, fmt.Sprintf(`{"engagement":{"id":%d}}`, i+1))
		}
		writeJSON(w, 200, fmt.Sprintf(`{"results":[%s],"hasMore":%v,"offset":%d,"total":12000}`, strings.Join(res, ","), off+100 < 10000, off+100))
	})
	c := newClient(t, s.URL+"/prefix", WithRateLimit(10000, 1))
	var n int
	var last error
	for _, err := range c.Engagements.RecentlyModified(context.Background(), RecentlyModifiedParams{Count: 100}).All() {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if n != 10000 || !errors.Is(last, ErrRecentModifiedCap) || !strings.Contains(last.Error(), "ModifiedAfter") {
		t.Fatalf("read %d then %v", n, last)
	}
}

// TestListingsCopyTheCallersParams: a listing reads its params when it is
// made, not when each page is fetched, so changing the caller's slices
// afterwards changes no request (List and Search alike).
func TestListingsCopyTheCallersParams(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Query().Get("after") == "" && !strings.Contains(string(body), `"after"`) {
			writeJSON(w, 200, `{"results":[{"id":"1"}],"paging":{"next":{"after":"2"}}}`)
			return
		}
		writeJSON(w, 200, `{"results":[{"id":"2"}]}`)
	})
	c := newClient(t, s.URL+"/prefix", WithoutPrefetch())
	groups := []FilterGroup{{Filters: []Filter{{PropertyName: "hs_task_status", Operator: OpEQ, Value: "NOT_STARTED"}}}}
	props := []string{"a", "b"}
	assoc := []ObjectType{Contacts}
	search := c.Tasks.Search(context.Background(), SearchParams{FilterGroups: groups, Properties: props})
	list := c.Tasks.List(context.Background(), ListParams{Properties: props, Associations: assoc})
	groups[0].Filters[0].Value = "CHANGED"
	props[0] = "changed"
	assoc[0] = Deals
	for _, p := range []*Pager[Task]{search, list} {
		for _, err := range p.All() {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	reqs := s.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for _, r := range reqs {
		if strings.Contains(r.Body+r.Query, "CHANGED") || strings.Contains(r.Body+r.Query, "changed") || strings.Contains(r.Query, "deals") {
			t.Errorf("the caller's later change reached the request: %s %s", r.Query, r.Body)
		}
	}
	if !strings.Contains(reqs[3].Query, "properties=a%2Cb") || !strings.Contains(reqs[3].Query, "associations=contacts") {
		t.Errorf("second list page %q lost the params", reqs[3].Query)
	}
}

func TestAssociationsFollowEveryPage(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch r.URL.Query().Get("after") {
		case "":
			writeJSON(w, 200, `{"results":[{"id":"1","type":"task_to_contact"},{"id":"2","type":"task_to_contact"}],"paging":{"next":{"after":"MjA="}}}`)
		case "MjA=":
			writeJSON(w, 200, `{"results":[{"id":"3","type":"task_to_contact"}]}`)
		default:
			writeJSON(w, 400, `{"status":"error","message":"bad after"}`)
		}
	})
	c := newClient(t, s.URL+"/prefix")
	got, err := drain(c.Tasks.Associations(context.Background(), "9", AssociationsParams{ToObjectType: "contacts"}))
	if err != nil || len(got) != 3 || got[2].ID != "3" {
		t.Fatalf("associations %v %v", got, err)
	}
	if q := s.requests()[1].Query; q != "limit=500&after=MjA%3D" {
		t.Errorf("second page query %q", q)
	}
}

func TestFilterSendsAnEmptyValueWhenTheOperatorTakesOne(t *testing.T) {
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{PropertyName: "a", Operator: OpEQ}, `{"propertyName":"a","operator":"EQ","value":""}`},
		{Filter{PropertyName: "a", Operator: OpHasProperty}, `{"propertyName":"a","operator":"HAS_PROPERTY"}`},
		{Filter{PropertyName: "a", Operator: OpIn, Values: []string{"x"}}, `{"propertyName":"a","operator":"IN","values":["x"]}`},
		{Filter{PropertyName: "a", Operator: OpBetween, Value: "1", HighValue: "2"}, `{"propertyName":"a","operator":"BETWEEN","value":"1","highValue":"2"}`},
	}
	for _, tt := range tests {
		for _, w := range []bodies{v3Bodies, datedBodies} {
			b, err := json.Marshal(w.search(SearchParams{FilterGroups: []FilterGroup{{Filters: []Filter{tt.f}}}}, position{}))
			var req struct {
				FilterGroups []struct {
					Filters []any `json:"filters"`
				} `json:"filterGroups"`
			}
			_ = json.Unmarshal(b, &req)
			var got, want any = req.FilterGroups[0].Filters[0], nil
			_ = json.Unmarshal([]byte(tt.want), &want)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%+v → %s %v, want %s", tt.f, b, err, tt.want)
			}
		}
	}
}

// TestDatedRecentModifiedCapIsATypedError: on the 2026-03 wire
// RecentlyModified is a search per type sorted on hs_lastmodifieddate,
// which cannot read past HubSpot's 10,000-result cap; reaching it ends the
// listing with ErrRecentModifiedCap (pointing to ModifiedAfter), as v1's
// recent/modified does, having sent no request HubSpot would refuse.
func TestDatedRecentModifiedCapIsATypedError(t *testing.T) {
	s := newStub(t, searchStub(10500))
	c := newClient(t, s.URL+"/prefix", WithAPIVersion(API2026_03), WithSearchRateLimit(10000, 1))
	var n int
	var last error
	for _, err := range c.Engagements.RecentlyModified(context.Background(), RecentlyModifiedParams{}).All() {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if n != searchCap || !errors.Is(last, ErrRecentModifiedCap) || !errors.Is(last, ErrSearchCap) || !strings.Contains(last.Error(), "ModifiedAfter") {
		t.Fatalf("read %d then %v; want %d and ErrRecentModifiedCap naming ModifiedAfter", n, last, searchCap)
	}
	for _, r := range s.requests() {
		if r.Path != "/crm/objects/2026-03/notes/search" || !strings.Contains(r.Body, `"sorts":[{"direction":"DESCENDING","propertyName":"hs_lastmodifieddate"}]`) {
			t.Fatalf("sent %s %s %s; want only the notes' search, newest first", r.Method, r.Path, r.Body)
		}
	}
}
