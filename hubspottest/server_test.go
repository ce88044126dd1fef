package hubspottest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

func TestWithAddrAndHandler(t *testing.T) {
	srv := hubspottest.NewServer(hubspottest.WithAddr("127.0.0.1:0"))
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q", srv.URL)
	}
	req := httptest.NewRequest("GET", "/calling/v1/dispositions", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("X-HubSpot-Correlation-Id") == "" {
		t.Errorf("Handler answered %d %v", rec.Code, rec.Header())
	}
}

func TestConcurrentUse(t *testing.T) {
	srv, c := start(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			c.call("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{"hs_task_subject": i}}, 201, nil)
			c.call("POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "CALL"}, "metadata": map[string]any{}}, 200, nil)
			c.call("POST", "/crm/v3/objects/tasks/search", map[string]any{}, 200, nil)
			srv.Requests()
			srv.Tasks()
		})
	}
	wg.Wait()
	// The tasks are engagements too, as in HubSpot.
	if srv.TaskCount() != 20 || srv.EngagementCount() != 40 || len(srv.Requests()) != 60 {
		t.Errorf("%d tasks, %d engagements, %d requests", srv.TaskCount(), srv.EngagementCount(), len(srv.Requests()))
	}
}
