package facade

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidationSendsNothing(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, `{}`) })
	c := newClient(t, s.URL+"/prefix")
	ctx := context.Background()
	emoji := strings.Repeat("😀", MaxNoteBody/2) + "x" // 65537 UTF-16 code units, 32769 runes
	pagerErr := func(p interface{ Err() error }) error { return p.Err() }
	tests := []struct {
		name   string
		call   func() error
		field  string
		limit  int
		actual any
	}{
		{"note body too long", func() error {
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: &NoteMetadata{Body: strings.Repeat("a", MaxNoteBody+1)}})
			return err
		}, "metadata.body", MaxNoteBody, MaxNoteBody + 1},
		{"note body counted in UTF-16 (emoji count 2)", func() error {
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: &NoteMetadata{Body: emoji}})
			return err
		}, "metadata.body", MaxNoteBody, MaxNoteBody + 1},
		{"note body too long on update", func() error {
			_, err := c.Engagements.Update(ctx, EngagementUpdateInput{ID: 1, Metadata: &NoteMetadata{Body: strings.Repeat("a", MaxNoteBody+1)}})
			return err
		}, "metadata.body", MaxNoteBody, MaxNoteBody + 1},
		{"raw note body too long", func() error {
			b, _ := json.Marshal(map[string]string{"body": strings.Repeat("é", MaxNoteBody+5)})
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: RawMetadata{Type: TypeNote, JSON: b}})
			return err
		}, "metadata.body", MaxNoteBody, MaxNoteBody + 5},
		{"missing type", func() error { _, err := c.Engagements.Create(ctx, EngagementInput{}); return err }, "metadata", 0, nil},
		{"empty raw type", func() error {
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: RawMetadata{JSON: []byte(`{}`)}})
			return err
		}, "engagement.type", 0, nil},
		{"unknown type", func() error {
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: RawMetadata{Type: "PUBLISHING_TASK"}})
			return err
		}, "engagement.type", 0, "PUBLISHING_TASK"},
		{"v1 id", func() error { _, err := c.Engagements.Get(ctx, 0); return err }, "engagementId", 0, int64(0)},
		{"v1 delete id", func() error { return c.Engagements.Archive(ctx, -3) }, "engagementId", 0, int64(-3)},
		{"empty update", func() error { _, err := c.Engagements.Update(ctx, EngagementUpdateInput{ID: 5}); return err }, "update", 0, nil},
		{"v1 paged limit", func() error { return pagerErr(c.Engagements.List(ctx, EngagementListParams{Limit: 251})) }, "Limit", 250, 251},
		{"recent count", func() error { return pagerErr(c.Engagements.RecentlyModified(ctx, RecentlyModifiedParams{Count: 101})) }, "Count", 100, 101},
		{"modified after since", func() error { return pagerErr(c.Engagements.ModifiedAfter(ctx, ModifiedAfterParams{})) }, "Since", 0, nil},
		{"associated type", func() error { return pagerErr(c.Engagements.Associated(ctx, "FAKE_TYPE", 1, EngagementListParams{})) }, "objectType", 0, "FAKE_TYPE"},
		{"v3 list limit", func() error { return pagerErr(c.Tasks.List(ctx, ListParams{Limit: 101})) }, "Limit", 100, 101},
		{"search limit", func() error { return pagerErr(c.Emails.Search(ctx, SearchParams{Limit: 201})) }, "Limit", 200, 201},
		{"search operator", func() error {
			return pagerErr(c.Tasks.Search(ctx, SearchParams{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: "LIKE"}}}}}))
		}, "FilterGroups[0].Filters[0].Operator", 0, "LIKE"},
		{"IN needs values", func() error {
			return pagerErr(c.Tasks.Search(ctx, SearchParams{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: OpIn}}}}}))
		}, "FilterGroups[0].Filters[0].Values", 0, nil},
		{"bad cursor", func() error { return pagerErr(c.Tasks.List(ctx, ListParams{Cursor: "nope"})) }, "Cursor", 0, "nope"},
		{"cursor of another listing", func() error {
			return pagerErr(c.Tasks.List(ctx, ListParams{Cursor: position{Kind: "v3.list.emails", Token: "5"}.encode()}))
		}, "Cursor", 0, position{Kind: "v3.list.emails", Token: "5"}.encode()},
		{"v3 id", func() error { _, err := c.Tasks.Get(ctx, "", GetParams{}); return err }, "id", 0, nil},
		{"v3 create empty", func() error { _, err := c.Emails.Create(ctx, CreateInput{Properties: nil}); return err }, "properties", 0, nil},
		{"batch empty", func() error { _, err := c.Tasks.BatchCreate(ctx, createInputs(nil), BatchCreateParams{}); return err }, "inputs", 0, nil},
		{"batch read empty id", func() error { _, err := c.Tasks.BatchRead(ctx, []string{"1", ""}, BatchReadParams{}); return err }, "inputs[1].id", 0, nil},
		{"batch archive empty", func() error { return c.Emails.BatchArchive(ctx, nil) }, "inputs", 0, nil},
		{"batch update no properties", func() error {
			_, err := c.Tasks.BatchUpdate(ctx, []UpdateInput{{ID: "1"}})
			return err
		}, "inputs[0].properties", 0, nil},
		{"association part", func() error { return c.Tasks.Associate(ctx, "1", AssociationTarget{ObjectType: Contacts}) }, "to.ID", 0, nil},
		{"association without a default type", func() error {
			return c.Tasks.Associate(ctx, "1", AssociationTarget{ObjectType: "quotes", ID: "9"})
		}, "to.Type", 0, nil},
		{"association category", func() error {
			return c.Tasks.Associate(ctx, "1", AssociationTarget{ObjectType: Contacts, ID: "9", Category: "MINE"})
		}, "to.Category", 0, "MINE"},
		{"too many filter groups", func() error {
			return pagerErr(c.Tasks.Search(ctx, SearchParams{FilterGroups: make([]FilterGroup, 6)}))
		}, "FilterGroups", MaxFilterGroups, 6},
		{"too many filters in a group", func() error {
			fs := make([]Filter, 11)
			for i := range fs {
				fs[i] = Filter{PropertyName: "a", Operator: OpEQ}
			}
			return pagerErr(c.Tasks.Search(ctx, SearchParams{FilterGroups: []FilterGroup{{Filters: fs}}}))
		}, "FilterGroups[0].Filters", MaxFiltersPerGroup, 11},
		{"too many filters in all", func() error {
			fs := make([]Filter, 9)
			for i := range fs {
				fs[i] = Filter{PropertyName: "a", Operator: OpHasProperty}
			}
			return pagerErr(c.Tasks.Search(ctx, SearchParams{FilterGroups: []FilterGroup{{Filters: fs}, {Filters: fs}, {Filters: fs}}}))
		}, "FilterGroups", MaxFilters, 27},
		{"sort direction", func() error {
			return pagerErr(c.Tasks.Search(ctx, SearchParams{Sorts: []Sort{{PropertyName: "a", Direction: "UP"}}}))
		}, "Sorts[0].Direction", 0, "UP"},
		{"task status", func() error {
			_, err := c.Tasks.Create(ctx, CreateInput{Properties: Properties{TaskStatusProperty: "BOGUS"}})
			return err
		}, "properties.hs_task_status", 0, "BOGUS"},
		{"email direction in a batch", func() error {
			_, err := c.Emails.BatchCreate(ctx, createInputs([]Properties{{EmailSubjectProperty: "a"}, {EmailDirectionProperty: "OUT"}}), BatchCreateParams{})
			return err
		}, "inputs[1].properties.hs_email_direction", 0, "OUT"},
		{"v1 task priority", func() error {
			_, err := c.Engagements.Create(ctx, EngagementInput{Metadata: &TaskMetadata{Priority: "URGENT"}})
			return err
		}, "metadata.priority", 0, "URGENT"},
		{"retry policy names the wrong field", func() error {
			_, err := New(WithToken("x"), WithRetryPolicy(RetryPolicy{MaxDelay: time.Millisecond, BaseDelay: time.Second}))
			return err
		}, "retryPolicy.MaxDelay", 0, time.Millisecond},
	}
	// The values an enumeration's error lists (HubSpot's, written out),
	// by the name of the case; the other cases list none.
	allowed := map[string][]string{
		"task status":                {"NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"},
		"email direction in a batch": {"EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"},
		"search operator":            {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"},
		"sort direction":             {"ASCENDING", "DESCENDING"},
		"v1 task priority":           {"NONE", "LOW", "MEDIUM", "HIGH"},
		"associated type":            {"COMPANY", "CONTACT", "DEAL", "QUOTE", "TICKET"},
		"association category":       {"HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want *ValidationError", err)
			}
			if ve.Field != tt.field || ve.Limit != tt.limit || ve.Actual != tt.actual {
				t.Errorf("got field %q limit %d actual %v, want %q %d %v", ve.Field, ve.Limit, ve.Actual, tt.field, tt.limit, tt.actual)
			}
			if ve.Error() == "" {
				t.Error("empty message")
			}
			want := allowed[tt.name]
			if !slices.Equal(ve.Allowed, want) {
				t.Errorf("Allowed = %q, want %q", ve.Allowed, want)
			}
			if len(want) > 0 && !strings.HasSuffix(ve.Error(), "; allowed: "+strings.Join(want, ", ")) {
				t.Errorf("the message does not list the allowed values: %s", ve.Error())
			}
		})
	}
	if s.count() != 0 {
		t.Errorf("the server saw %d requests, want 0", s.count())
	}
}

func TestNoteAtTheLimitIsSent(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeJSON(w, 200, `{"engagement":{"id":4294967297,"type":"NOTE"},"metadata":{}}`)
	})
	c := newClient(t, s.URL+"/prefix")
	body := strings.Repeat("😀", MaxNoteBody/2) // exactly 65536 UTF-16 code units
	e, err := c.Engagements.Create(context.Background(), EngagementInput{Metadata: &NoteMetadata{Body: body}})
	if err != nil || e.ID() != 4294967297 {
		t.Fatalf("Create = %v, %v", e.ID(), err)
	}
	if s.count() != 1 {
		t.Fatalf("%d requests", s.count())
	}
}

func TestNewNeedsCredentials(t *testing.T) {
	tests := []struct {
		name  string
		opts  []Option
		field string
	}{
		{"none", nil, "credentials"},
		{"empty token", []Option{WithToken(" ")}, "token"},
		{"bad base URL", []Option{WithToken("t"), WithBaseURL("ftp://x")}, "baseURL"},
		{"nil http client", []Option{WithToken("t"), WithHTTPClient(nil)}, "httpClient"},
		{"bad timeout", []Option{WithToken("t"), WithTimeout(0)}, "timeout"},
		{"both credentials", []Option{WithToken("t"), WithTokenSource(staticSource("x"))}, "credentials"},
		{"bad rate limit", []Option{WithToken("t"), WithRateLimit(0, 1)}, "rateLimit"},
		{"bad retry policy", []Option{WithToken("t"), WithRetryPolicy(RetryPolicy{MaxAttempts: -1})}, "retryPolicy.MaxAttempts"},
		{"bad concurrency", []Option{WithToken("t"), WithBatchConcurrency(0)}, "batchConcurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts...)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("New = %v, want a ValidationError on %q", err, tt.field)
			}
		})
	}
}

// TestRetryPolicyZeroFieldsTakeDefaults: RetryPolicy documents a default
// for each field; a zero field takes it, and an invalid field is named.
func TestRetryPolicyZeroFieldsTakeDefaults(t *testing.T) {
	d := DefaultRetryPolicy()
	tests := []struct {
		in, want RetryPolicy
	}{
		{RetryPolicy{}, d},
		{RetryPolicy{MaxAttempts: 1}, RetryPolicy{MaxAttempts: 1, MaxElapsed: d.MaxElapsed, BaseDelay: d.BaseDelay, MaxDelay: d.MaxDelay, MaxRateLimitWaits: d.MaxRateLimitWaits}},
		{RetryPolicy{BaseDelay: time.Minute}, RetryPolicy{MaxAttempts: d.MaxAttempts, MaxElapsed: d.MaxElapsed, BaseDelay: time.Minute, MaxDelay: time.Minute, MaxRateLimitWaits: d.MaxRateLimitWaits}},
	}
	for _, tt := range tests {
		var s settings
		if err := WithRetryPolicy(tt.in)(&s); err != nil {
			t.Fatalf("%+v: %v", tt.in, err)
		}
		if s.retry != tt.want {
			t.Errorf("%+v resolved to %+v, want %+v", tt.in, s.retry, tt.want)
		}
	}
	for field, p := range map[string]RetryPolicy{
		"retryPolicy.MaxAttempts": {MaxAttempts: -1},
		"retryPolicy.MaxElapsed":  {MaxElapsed: -time.Second},
		"retryPolicy.BaseDelay":   {BaseDelay: -time.Second},
		"retryPolicy.MaxDelay":    {BaseDelay: time.Second, MaxDelay: time.Millisecond},
	} {
		var ve *ValidationError
		if err := WithRetryPolicy(p)(&settings{}); !errors.As(err, &ve) || ve.Field != field {
			t.Errorf("%+v: err %v, want a ValidationError on %s", p, err, field)
		}
	}
}
