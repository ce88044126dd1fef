package gencheck

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/engagekit/hubspot-engagements/gen/emails/emailsspec"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1/engagementsv1spec"
	"github.com/engagekit/hubspot-engagements/gen/tasks/tasksspec"
)

// TestVendorSpecsUnchanged proves api/emails.yaml and api/tasks.yaml are the
// vendor documents byte for byte. It needs ../shared (always there in CI).
func TestVendorSpecsUnchanged(t *testing.T) {
	seeds := filepath.Join("..", "..", "..", "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		t.Skipf("no %s beside the repository: %v", seeds, err)
	}
	for ours, theirs := range map[string]string{
		"emails.yaml": "hubspot-engagement-emails-api-openapi.yml",
		"tasks.yaml":  "hubspot-engagement-tasks-api-openapi.yml",
	} {
		a, err := os.ReadFile(filepath.Join("..", "..", "api", ours))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(seeds, theirs))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("api/%s differs from the vendor document %s", ours, theirs)
		}
	}
}

// TestOverlaysInStep proves the tasks overlay is the emails overlay with the
// names changed, less the two actions that fix the emails-only examples.
func TestOverlaysInStep(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "api", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	em, tk := read("emails.overlay.yaml"), read("tasks.overlay.yaml")
	start, end := strings.Index(em, "  # --- Broken examples"), strings.Index(em, "  # --- Property values can be null")
	if start < 0 || end < start {
		t.Fatal("emails overlay lost its section markers")
	}
	em = em[:start] + em[end:]
	tk = tk[:strings.Index(tk, "  # (The tasks document")] + tk[strings.Index(tk, "  # --- Property values can be null"):]
	for _, r := range []struct{ from, to string }{
		{"BatchResponseEmailEngagement", "BatchResponseTask"},
		{"CollectionResponseEmailEngagement", "CollectionResponseTask"},
		{"schemas.EmailEngagement", "schemas.Task"},
		{"/crm/v3/objects/emails", "/crm/v3/objects/tasks"},
		{"{emailId}", "{taskId}"},
		{"batchArchiveEmailEngagements", "batchArchiveTasks"},
		{"batchUpsertEmailEngagements", "batchUpsertTasks"},
		{"email engagements", "tasks"},
		{"emails", "tasks"},
	} {
		em = strings.ReplaceAll(em, r.from, r.to)
	}
	comments := regexp.MustCompile(`(?m)^#.*\n`)
	em, tk = comments.ReplaceAllString(em, ""), comments.ReplaceAllString(tk, "")
	if em != tk {
		t.Errorf("api/tasks.overlay.yaml is not api/emails.overlay.yaml with the names changed")
	}
}

// TestOverlayApplied checks, in the specs embedded in the generated
// packages, the corrections the overlays make.
func TestOverlayApplied(t *testing.T) {
	type v3 struct {
		name, base, idParam, object, batch string
		load                               func() (*openapi3.T, error)
	}
	for _, s := range []v3{
		{"emails", "/crm/v3/objects/emails", "emailId", "EmailEngagement", "BatchResponseEmailEngagement", emailsspec.GetSpec},
		{"tasks", "/crm/v3/objects/tasks", "taskId", "Task", "BatchResponseTask", tasksspec.GetSpec},
	} {
		t.Run(s.name, func(t *testing.T) {
			doc, err := s.load()
			if err != nil {
				t.Fatal(err)
			}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					for _, code := range []string{"429", "5XX"} {
						if op.Responses.Value(code) == nil {
							t.Errorf("%s %s: no %s answer", method, path, code)
						}
					}
					for _, p := range op.Parameters {
						if p.Value.Name == s.idParam {
							if ex, ok := p.Value.Example.(string); !ok || ex == "" {
								t.Errorf("%s %s: %s example %#v is not a string", method, path, s.idParam, p.Value.Example)
							}
						}
					}
				}
			}
			if doc.Paths.Find(s.base+"/batch/archive") == nil {
				t.Error("no batch/archive")
			}
			for _, p := range []string{s.base + "/batch/read", s.base + "/batch/create", s.base + "/batch/update"} {
				if doc.Paths.Find(p).Post.Responses.Value("207") == nil {
					t.Errorf("%s: no 207", p)
				}
			}
			filter := doc.Components.Schemas["Filter"].Value
			for _, f := range []string{"values", "highValue"} {
				if filter.Properties[f] == nil {
					t.Errorf("Filter has no %s", f)
				}
			}
			props := doc.Components.Schemas[s.object].Value.Properties["properties"].Value
			if !props.AdditionalProperties.Schema.Value.Type.Includes("null") {
				t.Error("property values cannot be null")
			}
			for _, op := range []*openapi3.Operation{doc.Paths.Find(s.base).Get, doc.Paths.Find(s.base + "/{" + s.idParam + "}").Get} {
				if op.Parameters.GetByInAndName("query", "associations") == nil {
					t.Errorf("%s: no associations parameter", op.OperationID)
				}
			}
			errSchema := doc.Components.Schemas["Error"].Value
			for _, f := range []string{"errors", "context", "links", "subCategory", "errorType", "policyName", "groupName", "requestId"} {
				if errSchema.Properties[f] == nil {
					t.Errorf("Error has no %s", f)
				}
			}
			batch := doc.Components.Schemas[s.batch].Value
			for _, f := range []string{"errors", "numErrors", "requestedAt", "startedAt"} {
				if batch.Properties[f] == nil {
					t.Errorf("%s has no %s", s.batch, f)
				}
			}
		})
	}
}

func TestV1SpecShape(t *testing.T) {
	doc, err := engagementsv1spec.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/engagements/v1/engagements", "/engagements/v1/engagements/{engagementId}",
		"/engagements/v1/engagements/paged", "/engagements/v1/engagements/recent/modified",
		"/engagements/v1/engagements/modified/after",
		"/engagements/v1/engagements/associated/{objectType}/{objectId}/paged", "/calling/v1/dispositions",
	} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("no %s", p)
		}
	}
	for _, name := range []string{"EmailMetadata", "CallMetadata", "MeetingMetadata", "TaskMetadata", "NoteMetadata"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no %s schema", name)
		}
	}
	// Every integer in the v1 document is int64.
	var walk func(string, *openapi3.Schema, map[*openapi3.Schema]bool)
	walk = func(at string, s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Type.Is("integer") && s.Format != "int64" && !strings.HasSuffix(at, ".limit") && !strings.HasSuffix(at, ".count") {
			t.Errorf("%s: integer without int64", at)
		}
		for n, p := range s.Properties {
			walk(at+"."+n, p.Value, seen)
		}
		if s.Items != nil {
			walk(at+"[]", s.Items.Value, seen)
		}
	}
	for n, s := range doc.Components.Schemas {
		walk(n, s.Value, map[*openapi3.Schema]bool{})
	}
}
