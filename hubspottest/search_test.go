package hubspottest_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

func TestSearchOperators(t *testing.T) {
	_, c := start(t, append(custom("tasks", "n", "email"),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "amount", Type: hubspottest.Number}),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "when", Type: hubspottest.DateTime}))...)
	rows := []map[string]any{
		{"n": "a", "amount": "5", "when": "2025-01-01T00:00:00.000Z", "email": "ann@hubspot.com", "hs_task_subject": "Call Ann back"},
		{"n": "b", "amount": "20", "when": "2025-02-01T00:00:00.000Z", "email": "bob@example.com", "hs_task_subject": "Send contract"},
		{"n": "c", "amount": "100", "when": "2025-03-01T00:00:00.000Z", "hs_task_subject": "call carl"},
		{"n": "d", "amount": "", "email": "dee@HubSpot.com"},
	}
	for _, r := range rows {
		c.call("POST", "/crm/v3/objects/tasks", map[string]any{"properties": r}, 201, nil)
	}
	f := func(prop, op string, v any) map[string]any {
		return map[string]any{"propertyName": prop, "operator": op, "value": v}
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"EQ text any case", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("n", "EQ", "B")}}}}, "b"},
		{"EQ number", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "EQ", 20)}}}}, "b"},
		{"NEQ includes unset", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "NEQ", "20")}}}}, "acd"},
		{"LT numeric not text", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "LT", "30")}}}}, "ab"},
		{"LTE", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "LTE", "20")}}}}, "ab"},
		{"GT", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "GT", "5")}}}}, "bc"},
		{"GTE", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "GTE", "5")}}}}, "abc"},
		{"GT date as ms", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("when", "GT", "1735776000000")}}}}, "bc"},
		{"BETWEEN dates", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "when", "operator": "BETWEEN", "value": "2025-01-15", "highValue": "2025-03-01T00:00:00Z"}}}}}, "bc"},
		{"IN", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "n", "operator": "IN", "values": []string{"a", "c", "z"}}}}}}, "ac"},
		{"NOT_IN", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "n", "operator": "NOT_IN", "values": []string{"a", "c"}}}}}}, "bd"},
		{"HAS_PROPERTY", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "HAS_PROPERTY", nil)}}}}, "abc"},
		{"NOT_HAS_PROPERTY", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("email", "NOT_HAS_PROPERTY", nil)}}}}, "c"},
		{"CONTAINS_TOKEN wildcard", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("email", "CONTAINS_TOKEN", "*@hubspot.com")}}}}, "ad"},
		{"CONTAINS_TOKEN word", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("hs_task_subject", "CONTAINS_TOKEN", "CALL")}}}}, "ac"},
		{"NOT_CONTAINS_TOKEN", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("hs_task_subject", "NOT_CONTAINS_TOKEN", "call")}}}}, "bd"},
		{"AND in a group", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("amount", "GT", "1"), f("amount", "LT", "50")}}}}, "ab"},
		{"OR of groups", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f("n", "EQ", "a")}}, map[string]any{"filters": []any{f("n", "EQ", "d")}}}}, "ad"},
		{"query", map[string]any{"query": "CALL"}, "ac"},
		{"sort descending", map[string]any{"sorts": []any{map[string]any{"propertyName": "amount", "direction": "DESCENDING"}}}, "cbad"},
		{"sort ascending unset last", map[string]any{"sorts": []any{map[string]any{"propertyName": "email", "direction": "ASCENDING"}}}, "abdc"},
		{"default order", map[string]any{}, "abcd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.body["properties"] = []string{"n", "missing"}
			var p v3Page
			c.call("POST", "/crm/v3/objects/tasks/search", tc.body, 200, &p)
			got := ""
			for _, r := range p.Results {
				if v, ok := r.Properties["missing"]; !ok || v != nil || len(r.Properties) != 5 {
					t.Errorf("properties %v: want n, missing (null) and the three system ones", r.Properties)
				}
				got += *r.Properties["n"]
			}
			if got != tc.want || *p.Total != len(tc.want) {
				t.Errorf("got %q (total %d), want %q", got, *p.Total, tc.want)
			}
		})
	}
	for _, body := range []map[string]any{
		{"limit": 201}, {"after": "x"}, {"filterGroups": []any{map[string]any{"filters": []any{f("n", "LIKE", "a")}}}},
		{"filterGroups": make([]any, 6)}, {"sorts": []any{map[string]any{"propertyName": "n", "direction": "UP"}}},
	} {
		if e := c.fail("POST", "/crm/v3/objects/tasks/search", body, 400); e.Category != "VALIDATION_ERROR" {
			t.Errorf("%v: %+v", body, e)
		}
	}
}

func TestSearchPagesToTheCap(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	seeded := srv.SeedEmails(10050)
	var got []string
	after := ""
	middle := c.unchecked()
	for {
		var p v3Page
		on := middle
		if after == "" || len(got) >= 9800 {
			on = c // the first and the last page checked against the spec
		}
		on.call("POST", "/crm/v3/objects/emails/search", map[string]any{"limit": 200, "after": after}, 200, &p)
		if *p.Total != 10050 {
			t.Fatalf("total %d", *p.Total)
		}
		for _, r := range p.Results {
			got = append(got, r.ID)
		}
		if p.Paging == nil {
			t.Fatal("the search ended before the cap")
		}
		if want := strconv.Itoa(len(got)); p.Paging.Next.After != want {
			t.Fatalf("next after %q, want the offset %s", p.Paging.Next.After, want)
		}
		after = p.Paging.Next.After
		if after == "10000" {
			break
		}
	}
	if !slices.Equal(got, seeded[:10000]) {
		t.Errorf("searched %d ids, want the first 10,000 seeded", len(got))
	}
	e := c.fail("POST", "/crm/v3/objects/emails/search", map[string]any{"limit": 200, "after": after}, 400)
	if e.Category != "VALIDATION_ERROR" {
		t.Errorf("past the cap: %+v", e)
	}
	c.fail("POST", "/crm/v3/objects/emails/search", map[string]any{"limit": 2, "after": "9999"}, 400)
	var p v3Page
	c.call("POST", "/crm/v3/objects/emails/search", map[string]any{"limit": 1, "after": "9999"}, 200, &p)
	if len(p.Results) != 1 || p.Results[0].ID != seeded[9999] {
		t.Errorf("the 10,000th result: %+v", p.Results)
	}
}
