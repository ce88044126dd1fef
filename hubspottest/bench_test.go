package hubspottest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// BenchmarkServer measures what the server costs per request, checking
// the request against its document included, without the network: what a
// client's benchmark against it pays on top of its own work. The v1
// listing's first page holds seeded tasks, read through their v1 view.
// Each case has a server of its own, seeded alike, so that the records
// batchCreate100 makes do not weigh on the cases after it.
func BenchmarkServer(b *testing.B) {
	var inputs []string
	for i := range 100 {
		inputs = append(inputs, fmt.Sprintf(`{"properties":{"hs_task_subject":"lead %d","hs_task_status":"NOT_STARTED","hs_timestamp":"2025-03-15T14:30:00.000Z"}}`, i))
	}
	batch := `{"inputs":[` + strings.Join(inputs, ",") + `]}`
	for _, tc := range []struct{ name, method, path, body string }{
		{"list100", "GET", "/crm/v3/objects/tasks?limit=100&properties=hs_task_subject,hs_task_status,hs_timestamp", ""},
		{"search100", "POST", "/crm/v3/objects/tasks/search", `{"limit":100,"filterGroups":[{"filters":[{"propertyName":"hs_task_status","operator":"NEQ","value":"COMPLETED"}]}]}`},
		{"batchCreate100", "POST", "/crm/v3/objects/tasks/batch/create", batch},
		{"v1paged250", "GET", "/engagements/v1/engagements/paged?limit=250", ""},
		{"datedList100", "GET", "/crm/objects/2026-03/tasks?limit=100&properties=hs_task_subject&properties=hs_task_status&properties=hs_timestamp&associations=contacts", ""},
		{"datedSearch100", "POST", "/crm/objects/2026-03/tasks/search", `{"limit":100,"filterGroups":[{"filters":[{"propertyName":"hs_task_status","operator":"NEQ","value":"COMPLETED"}]}]}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv := hubspottest.NewServer()
			defer srv.Close()
			srv.SeedTasks(1000)
			srv.SeedEngagements("NOTE", 250)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
				req.Header.Set("Authorization", "Bearer "+srv.Token())
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				srv.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusOK && rec.Code != http.StatusCreated {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
