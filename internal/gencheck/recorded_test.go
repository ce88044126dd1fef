package gencheck

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/engagekit/hubspot-engagements/gen/emails/emailsspec"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1/engagementsv1spec"
	"github.com/engagekit/hubspot-engagements/gen/tasks/tasksspec"
)

// recordedDir holds HubSpot's real answers as public projects recorded them
// (../shared/fixtures/recorded, beside the repository; never copied in).
var recordedDir = filepath.Join("..", "..", "..", "shared", "fixtures", "recorded")

// TestRecordedPayloadsMatchTheSpecs validates every recorded HubSpot answer
// (and request) against the schema our specs give it: a spec that refuses
// what HubSpot really sends would make the fake refuse it too.
func TestRecordedPayloadsMatchTheSpecs(t *testing.T) {
	if _, err := os.Stat(recordedDir); err != nil {
		t.Skipf("no recorded payloads at %s: %v", recordedDir, err)
	}
	load := func(get func() (*openapi3.T, error)) *openapi3.T {
		doc, err := get()
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	v1, em, tk := load(engagementsv1spec.GetSpec), load(emailsspec.GetSpec), load(tasksspec.GetSpec)
	tests := []struct {
		file   string
		doc    *openapi3.T
		schema string
	}{
		{"v1-get-note.json", v1, "Engagement"},
		{"v1-get-email.json", v1, "Engagement"},
		{"v1-get-call.json", v1, "Engagement"},
		{"v1-create-note-request.json", v1, "EngagementInput"},
		{"v1-create-call-request.json", v1, "EngagementInput"},
		{"v1-create-note-response.json", v1, "Engagement"},
		{"v1-create-note-response-2018.json", v1, "Engagement"},
		{"v1-create-call-response.json", v1, "Engagement"},
		{"v1-paged.json", v1, "EngagementPage"},
		{"v1-paged-limit5.json", v1, "EngagementPage"},
		{"v1-paged-page2.json", v1, "EngagementPage"},
		{"v1-associated-paged.json", v1, "EngagementPage"},
		{"v1-associated-paged-2018.json", v1, "EngagementPage"},
		{"v1-recent-modified-reconstructed.json", v1, "RecentEngagementPage"},
		{"v1-error-400-invalid-enum.json", v1, "Error"},
		{"error-400-v1-validation-results.json", v1, "Error"},
		{"error-404-v1-object-not-found.json", v1, "Error"},
		{"error-429-search-secondly.json", tk, "Error"},
		{"v3-email-get.json", em, "EmailEngagement"},
		{"v3-email-create-response.json", em, "EmailEngagement"},
		{"v3-email-update-response.json", em, "EmailEngagement"},
		{"v3-email-list.json", em, "CollectionResponseEmailEngagement"},
		{"v3-email-search.json", em, "CollectionResponseEmailEngagement"},
		{"v3-email-batch-create.json", em, "BatchResponseEmailEngagement"},
		{"v3-email-batch-update.json", em, "BatchResponseEmailEngagement"},
		{"v3-email-batch-read-with-history.json", em, "BatchResponseEmailEngagement"},
		{"v3-task-get.json", tk, "Task"},
		{"v3-task-create-response.json", tk, "Task"},
		{"v3-task-update-response.json", tk, "Task"},
		{"v3-task-list.json", tk, "CollectionResponseTask"},
		{"v3-task-search.json", tk, "CollectionResponseTask"},
		{"v3-task-batch-create.json", tk, "BatchResponseTask"},
		{"v3-task-batch-update.json", tk, "BatchResponseTask"},
		{"v3-task-batch-read-with-history.json", tk, "BatchResponseTask"},
		{"v3-search-with-null-property.json", tk, "CollectionResponseTask"},
		{"v3-batch-create-201-contacts.json", tk, "BatchResponseTask"},
		{"v3-batch-update-200-custom-object.json", tk, "BatchResponseTask"},
		{"v3-batch-archive-request.json", tk, "BatchArchiveInput"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(recordedDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			ref := tt.doc.Components.Schemas[tt.schema]
			if ref == nil || ref.Value == nil {
				t.Fatalf("no schema %s", tt.schema)
			}
			if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
				t.Errorf("HubSpot's recorded %s does not match %s:\n%v", tt.file, tt.schema, err)
			}
		})
	}
	_ = context.Background
}
