package gencheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	emailsspec "github.com/engagekit/hubspot-engagements/gen/emails/emailsspec"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3/objectsv3spec"
	tasksspec "github.com/engagekit/hubspot-engagements/gen/tasks/tasksspec"
)

// TestV3BatchUpsertAndCreateWithAssociations checks, in the v3 specs the
// packages embed (tasks and emails with their overlays, the hand-written
// generic objects document), the two additions the facade needs on v3:
// batch upsert, and associations in the create bodies.
func TestV3BatchUpsertAndCreateWithAssociations(t *testing.T) {
	for _, s := range []struct {
		name, base string
		load       func() (*openapi3.T, error)
	}{
		{"tasks", "/crm/v3/objects/tasks", tasksspec.GetSpec},
		{"emails", "/crm/v3/objects/emails", emailsspec.GetSpec},
		{"objectsv3", "/crm/v3/objects/{objectType}", objectsv3spec.GetSpec},
	} {
		t.Run(s.name, func(t *testing.T) {
			doc := loadSpec(t, s.load)
			item := doc.Paths.Find(s.base + "/batch/upsert")
			if item == nil || item.Post == nil {
				t.Fatal("no POST batch/upsert")
			}
			op := item.Post
			if ref := op.RequestBody.Value.Content.Get("application/json").Schema.Ref; ref != "#/components/schemas/BatchInputSimplePublicObjectBatchInputUpsert" {
				t.Errorf("batch/upsert takes %q", ref)
			}
			for _, code := range []string{"200", "207", "429", "5XX"} {
				if op.Responses.Value(code) == nil {
					t.Errorf("batch/upsert: no %s answer", code)
				}
			}
			input := doc.Components.Schemas["SimplePublicObjectBatchInputUpsert"].Value
			if input.Properties["idProperty"] == nil || input.Properties["id"] == nil {
				t.Error("an upsert input has no id or idProperty")
			}
			if doc.Components.Schemas["SimplePublicUpsertObject"].Value.Properties["new"] == nil {
				t.Error("an upserted record does not say whether it is new")
			}
			create := doc.Paths.Find(s.base).Post.RequestBody.Value.Content.Get("application/json").Schema.Ref
			batch := doc.Components.Schemas["BatchCreateInput"].Value.Properties["inputs"].Value.Items.Ref
			for _, ref := range []string{create, batch} {
				if ref != "#/components/schemas/SimplePublicObjectInputForCreate" {
					t.Errorf("a create takes %q, not the input with associations", ref)
				}
			}
			assoc := doc.Components.Schemas["PublicAssociationsForObject"].Value
			if assoc.Properties["to"] == nil || assoc.Properties["types"] == nil {
				t.Error("an association in a create body has no to or types")
			}
			update := doc.Paths.Find(s.base + "/{" + map[string]string{"tasks": "taskId", "emails": "emailId", "objectsv3": "objectId"}[s.name] + "}").Patch
			if ref := update.RequestBody.Value.Content.Get("application/json").Schema.Ref; ref != "#/components/schemas/SimplePublicObjectInput" {
				t.Errorf("update takes %q: a PATCH cannot associate", ref)
			}
		})
	}
}

// TestRecordedPayloadsMatchObjectsV3 validates HubSpot's recorded v3 answers
// against the hand-written generic objects document, as
// TestRecordedPayloadsMatchTheSpecs does against the tasks document.
func TestRecordedPayloadsMatchObjectsV3(t *testing.T) {
	if _, err := os.Stat(recordedDir); err != nil {
		t.Skipf("no recorded payloads at %s: %v", recordedDir, err)
	}
	doc := loadSpec(t, objectsv3spec.GetSpec)
	for _, tt := range []struct{ file, schema string }{
		{"v3-email-get.json", "SimplePublicObject"},
		{"v3-task-get.json", "SimplePublicObject"},
		{"v3-email-create-response.json", "SimplePublicObject"},
		{"v3-task-update-response.json", "SimplePublicObject"},
		{"v3-email-list.json", "CollectionResponseSimplePublicObject"},
		{"v3-task-list.json", "CollectionResponseSimplePublicObject"},
		{"v3-email-search.json", "CollectionResponseSimplePublicObject"},
		{"v3-search-with-null-property.json", "CollectionResponseSimplePublicObject"},
		{"v3-email-batch-read-with-history.json", "BatchResponseSimplePublicObject"},
		{"v3-task-batch-create.json", "BatchResponseSimplePublicObject"},
		{"v3-batch-create-201-contacts.json", "BatchResponseSimplePublicObject"},
		{"v3-batch-update-200-custom-object.json", "BatchResponseSimplePublicObject"},
		{"v3-batch-archive-request.json", "BatchArchiveInput"},
		{"error-429-search-secondly.json", "Error"},
	} {
		t.Run(tt.file, func(t *testing.T) { validateFile(t, doc, filepath.Join(recordedDir, tt.file), tt.schema) })
	}
}
