package gencheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// recorder is an httptest server that answers {} and remembers every path.
type recorder struct {
	mu    sync.Mutex
	paths []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.paths = append(r.paths, req.URL.Path)
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

func TestGeneratedClientsKeepBasePathPrefix(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	base := srv.URL + "/prefix"
	ctx := context.Background()

	v1, err := engagementsv1.NewClient(base)
	if err != nil {
		t.Fatal(err)
	}
	em, err := emails.NewClient(base)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := tasks.NewClient(base)
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		want string
		call func() (*http.Response, error)
	}{
		{"/prefix/engagements/v1/engagements/4294967297", func() (*http.Response, error) { return v1.GetEngagement(ctx, 4294967297) }},
		{"/prefix/engagements/v1/engagements/paged", func() (*http.Response, error) {
			return v1.ListEngagements(ctx, &engagementsv1.ListEngagementsParams{})
		}},
		{"/prefix/calling/v1/dispositions", func() (*http.Response, error) { return v1.ListCallDispositions(ctx) }},
		{"/prefix/crm/v3/objects/emails/42", func() (*http.Response, error) {
			return em.GetEmailEngagement(ctx, "42", &emails.GetEmailEngagementParams{})
		}},
		{"/prefix/crm/v3/objects/emails/batch/archive", func() (*http.Response, error) {
			return em.BatchArchiveEmailEngagements(ctx, emails.BatchArchiveInput{})
		}},
		{"/prefix/crm/v3/objects/tasks/search", func() (*http.Response, error) {
			return tk.SearchTasks(ctx, tasks.SearchRequest{})
		}},
		{"/prefix/crm/v3/objects/tasks", func() (*http.Response, error) { return tk.ListTasks(ctx, &tasks.ListTasksParams{}) }},
	}
	for _, c := range calls {
		resp, err := c.call()
		if err != nil {
			t.Fatalf("%s: %v", c.want, err)
		}
		resp.Body.Close()
	}
	if len(rec.paths) != len(calls) {
		t.Fatalf("server saw %d requests, want %d", len(rec.paths), len(calls))
	}
	for i, c := range calls {
		if rec.paths[i] != c.want {
			t.Errorf("request %d: path %q, want %q", i, rec.paths[i], c.want)
		}
		if !strings.HasPrefix(rec.paths[i], "/prefix/") {
			t.Errorf("request %d lost the base path prefix: %q", i, rec.paths[i])
		}
	}
}
