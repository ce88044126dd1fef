package gencheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
	"github.com/engagekit/hubspot-engagements/gen/v202603/oauth/oauthspec"
)

// TestRecordedPayloadsMatchTheDatedSpecs validates HubSpot's recorded v3
// answers against the 2026-03 schemas of the same objects API (the records,
// pages and batch answers are the same objects on both wires), in each of
// the five object documents: a spec that refuses what HubSpot really sends
// would make the fake refuse it too. Without the overlays, the null property
// values of v3-task-list.json and v3-search-with-null-property.json fail.
func TestRecordedPayloadsMatchTheDatedSpecs(t *testing.T) {
	if _, err := os.Stat(recordedDir); err != nil {
		t.Skipf("no recorded payloads at %s: %v", recordedDir, err)
	}
	const (
		record     = "SimplePublicObject"
		withAssocs = "SimplePublicObjectWithAssociations"
		page       = "CollectionResponseSimplePublicObjectWithAssociationsForwardPaging"
		matches    = "CollectionResponseWithTotalSimplePublicObject"
		batch      = "BatchResponseSimplePublicObject"
	)
	tests := []struct{ file, schema string }{
		{"v3-email-get.json", withAssocs},
		{"v3-task-get.json", withAssocs},
		{"v3-email-create-response.json", record},
		{"v3-task-create-response.json", record},
		{"v3-email-update-response.json", record},
		{"v3-task-update-response.json", record},
		{"v3-email-list.json", page},
		{"v3-task-list.json", page},
		{"v3-email-search.json", matches},
		{"v3-task-search.json", matches},
		{"v3-search-with-null-property.json", matches},
		{"v3-email-batch-create.json", batch},
		{"v3-task-batch-create.json", batch},
		{"v3-email-batch-update.json", batch},
		{"v3-task-batch-update.json", batch},
		{"v3-email-batch-read-with-history.json", batch},
		{"v3-task-batch-read-with-history.json", batch},
		{"v3-batch-create-201-contacts.json", batch},
		{"v3-batch-update-200-custom-object.json", batch},
		{"v3-batch-archive-request.json", "BatchInputSimplePublicObjectId"},
		{"error-429-search-secondly.json", "Error"},
	}
	for _, o := range datedObjects {
		doc := loadSpec(t, o.load)
		for _, tt := range tests {
			t.Run(o.name+"/"+tt.file, func(t *testing.T) {
				validateFile(t, doc, filepath.Join(recordedDir, tt.file), tt.schema)
			})
		}
	}
}

func validateFile(t *testing.T, doc *openapi3.T, file, schema string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	validateJSON(t, doc, string(b), schema)
}

func validateJSON(t *testing.T, doc *openapi3.T, body, schema string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		t.Fatalf("no schema %s", schema)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s does not match %s:\n%v", body, schema, err)
	}
}

// TestDatedSpecsTakeHubSpotsErrorBodies validates the shapes of HubSpot's
// error answers (as its documentation and clients' reports show them; the
// values here are ours) against the widened 2026-03 Error, StandardError and
// upsert answer. The vendor Error requires category, which a rate-limit or
// OAuth error does not have, and types subCategory a string.
func TestDatedSpecsTakeHubSpotsErrorBodies(t *testing.T) {
	bodies := []struct{ name, schema, body string }{
		{"ten-secondly 429", "Error", `{"status":"error","message":"You have reached your ten_secondly_rolling limit.",
			"errorType":"RATE_LIMIT","correlationId":"7f0b4a4e-5e36-4c31-9c55-3b8f4f6b2c11","policyName":"TEN_SECONDLY_ROLLING",
			"groupName":"publicapi:private-app-api-calls-ten-secondly:123456"}`},
		{"daily 429 with requestId", "Error", `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT",
			"correlationId":"0d9f6f5c-3b3e-4a8e-9d0b-2a6c3f1e9b77","policyName":"DAILY","requestId":"a1b2c3"}`},
		{"validation error", "Error", `{"status":"error","message":"Property values were not valid","correlationId":"x-not-a-uuid",
			"category":"VALIDATION_ERROR","subCategory":{"kind":"nested"},"errors":[{"message":"bad","code":"INVALID_OPTION",
			"context":{"propertyName":["hs_task_status"]},"somethingNew":1}],"context":{"propertyName":["hs_task_status"]},
			"links":{"knowledge-base":"https://example.com"},"futureField":true}`},
		{"OAuth refresh refused", "Error", `{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token",
			"correlationId":"5c8c0f6e-2a4b-4f5e-8f3b-1d2e3f4a5b6c","requestId":"e2b1"}`},
		{"207 batch read", "BatchResponseSimplePublicObjectWithErrors", `{"status":"COMPLETE","results":[],"numErrors":1,
			"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some NOTE objects","context":{"ids":["1"]}}],
			"startedAt":"2026-03-02T10:00:00Z","completedAt":"2026-03-02T10:00:01Z","requestedAt":"2026-03-02T10:00:00Z"}`},
		{"upsert", "BatchResponseSimplePublicUpsertObject", `{"status":"COMPLETE","results":[{"id":"512","new":true,
			"properties":{"hs_note_body":"x","hubspot_owner_id":null},"createdAt":"2026-03-02T10:00:00Z",
			"updatedAt":"2026-03-02T10:00:00Z","archived":false}],"startedAt":"2026-03-02T10:00:00Z","completedAt":"2026-03-02T10:00:01Z"}`},
	}
	for _, o := range datedObjects {
		doc := loadSpec(t, o.load)
		for _, b := range bodies {
			t.Run(o.name+"/"+b.name, func(t *testing.T) { validateJSON(t, doc, b.body, b.schema) })
		}
	}
	doc := loadSpec(t, oauthspec.GetSpec)
	for _, b := range bodies[:4] {
		t.Run("oauth/"+b.name, func(t *testing.T) { validateJSON(t, doc, b.body, b.schema) })
	}
}

func TestDatedRecordKeepsNullApartFromEmpty(t *testing.T) {
	const in = `{"id":"512","properties":{"hs_note_body":"","hubspot_owner_id":null,"hs_timestamp":"2026-03-02T10:00:00Z"},
		"createdAt":"2026-03-02T10:00:00Z","updatedAt":"2026-03-02T10:00:00Z","archived":false,
		"url":"https://app.hubspot.com/x","futureField":[null,{"a":1}],
		"propertiesWithHistory":{"hs_note_body":[{"value":null,"timestamp":"2026-03-02T10:00:00Z","sourceType":"API","updatedByUserId":9007199254740993}]}}`
	note := roundTrip[v202603.SimplePublicObject](t, in)
	task := roundTrip[v202603.SimplePublicObjectWithAssociations](t, in)
	for name, p := range map[string]map[string]*string{"notes": note.Properties, "tasks": task.Properties} {
		if v, ok := p["hubspot_owner_id"]; !ok || v != nil {
			t.Errorf("%s: hubspot_owner_id = %v (present %v), want present and null", name, v, ok)
		}
		if v, ok := p["hs_note_body"]; !ok || v == nil || *v != "" {
			t.Errorf(`%s: hs_note_body = %v, want ""`, name, v)
		}
	}
	if h := (*note.PropertiesWithHistory)["hs_note_body"][0]; !h.Value.IsNull() || *h.UpdatedByUserID != 9007199254740993 {
		t.Errorf("history value %v, user %v: want null and the 64-bit id", h.Value, *h.UpdatedByUserID)
	}
	if _, ok := note.Get("futureField"); !ok {
		t.Error("an unknown field of a record was dropped")
	}
	e := roundTrip[v202603.Error](t, `{"status":"error","message":"m","subCategory":{"a":[1]},"policyName":"DAILY","newField":"x"}`)
	if e.PolicyName == nil || *e.PolicyName != "DAILY" {
		t.Errorf("policyName = %v", e.PolicyName)
	}
	roundTrip[v202603.BatchResponseSimplePublicObjectWithErrors](t, `{"status":"COMPLETE","results":[],"startedAt":"2026-03-02T10:00:00Z",
		"completedAt":"2026-03-02T10:00:01Z","numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"m",
		"subCategory":"x","context":{"ids":["1"]},"later":1}],"links":{"a":"b"},"extra":{}}`)
}
