package gencheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/engagekit/hubspot-engagements/gen/v202603/oauth/oauthspec"
	"github.com/engagekit/hubspot-engagements/gen/v202603/v202603spec"
	"github.com/engagekit/hubspot-engagements/gen/v202609/v202609spec"
)

// datedDocs are HubSpot's date-versioned documents in api/, with the sha256
// that ../shared/specs/<version>/README.md gives for each. Adding a version
// or an API adds its lines here.
var datedDocs = []struct {
	version, api, sha256 string
}{
	{"2026-03", "emails", "c1af5f9985d936017afea4e118989421d5846dca9ce76ef6905d7c2721c4bc32"},
	{"2026-03", "tasks", "8af4814b53ed6b432cb901e1cea28af30c8d2a94e3d6b133723a2b66c0405f0a"},
	{"2026-03", "notes", "8a09ec987a7f86001b8bf5ed9226d9bc53a7ccef76037831c7b0d7437f038d2e"},
	{"2026-03", "calls", "4475ed7be77a73cc0aa0377fe73753867f5f06018720969fbb3b6828c97484d6"},
	{"2026-03", "meetings", "5db8516a008fe6f41cb7c90b289d30e85d7962ba05b2d4b7011d882507da2f40"},
	{"2026-03", "communications", "69b41e2497e337cc4b44f8537c4ad04da9023a85c6b6758f6c32790350142481"},
	{"2026-03", "postal_mail", "b8d9446f969140b31575be934f4a4b16806ebf3757fde17037b0452b4efcc4c9"},
	{"2026-03", "oauth", "8eb04f565f4304c4135256587396f1b6a80761e2aa2d278a94f4543f9e14c82f"},
	{"2026-09", "tasks", "7b648f52602210be183a73db01f6eba8d12e8acb8c063a5432c469acb0573ab1"},
	{"2026-09", "emails", "5746dd4d0c070df43e1b46c1e95dd36d0ff3d7865e618820af3c948f9459d923"},
	{"2026-09", "notes", "2839b29d95705c823a69edd7903aeabe9ae5f6f3d7d9bf0cca2476132c46e0fa"},
	{"2026-09", "calls", "699b50baf062443075c30c3a6aa945a5c320c937ef8dc1436bab7bd9019e30d1"},
	{"2026-09", "meetings", "4ebba97b6a72a3c8161ffa081a7bbe34ec10369b7a32a410d253d1a9a82602ab"},
	{"2026-09", "communications", "08ab681f57ddf47def491752867f3be4a8d642cd0c60c463f5ad844fbedc2679"},
	{"2026-09", "postal_mail", "cebaaa50f2b85971a62c21287dd77371417d37eeef4424471e400a2c5cedcf3c"},
}

// datedObjects are the dated versions' object APIs, one merged document
// per version (its object documents merged by internal/oapigen, overlay
// applied), as the generated spec packages embed them.
var datedObjects = []struct {
	name string
	load func() (*openapi3.T, error)
}{
	{"2026-03", v202603spec.GetSpec},
	{"2026-09", v202609spec.GetSpec},
}

func loadSpec(t *testing.T, load func() (*openapi3.T, error)) *openapi3.T {
	t.Helper()
	doc, err := load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func readAPI(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "api", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDatedVendorSpecsUnchanged proves the documents in api/<version>/ are
// HubSpot's byte for byte: by the sha256 their provenance README gives
// (always), and by comparison with ../shared/specs (when it is there).
func TestDatedVendorSpecsUnchanged(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "specs")
	_, sharedErr := os.Stat(shared)
	for _, d := range datedDocs {
		name := filepath.Join(d.version, d.api+".json")
		t.Run(name, func(t *testing.T) {
			ours := readAPI(t, name)
			sum := sha256.Sum256(ours)
			if got := hex.EncodeToString(sum[:]); got != d.sha256 {
				t.Errorf("api/%s has sha256 %s, HubSpot's document has %s", name, got, d.sha256)
			}
			if sharedErr != nil {
				t.Skipf("no %s beside the repository (%v): checked the sha256 only", shared, sharedErr)
			}
			theirs, err := os.ReadFile(filepath.Join(shared, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ours, theirs) {
				t.Errorf("api/%s differs from %s", name, filepath.Join(shared, name))
			}
		})
	}
	// Every document in api/<version>/ is in the table (so none escapes the
	// check), and each is an object document the version's package merges
	// (gen/vYYYYMM/generate.go's -objects, with objects.overlay.yaml) or has
	// an overlay and a package of its own (OAuth).
	dirs, err := filepath.Glob(filepath.Join("..", "..", "api", "20[0-9][0-9]-[0-9][0-9]"))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, dir := range dirs {
		docs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		version := filepath.Base(dir)
		pkgDir := filepath.Join("..", "..", "gen", "v"+strings.ReplaceAll(version, "-", ""))
		merged := mergedObjects(t, filepath.Join(pkgDir, "generate.go"))
		if len(merged) > 0 {
			if _, err := os.Stat(filepath.Join(dir, "objects.overlay.yaml")); err != nil {
				t.Errorf("api/%s has no objects.overlay.yaml for its merged object documents: %v", version, err)
			}
		}
		for _, doc := range docs {
			api := strings.TrimSuffix(filepath.Base(doc), ".json")
			found = append(found, version+"/"+api)
			if slices.Contains(merged, api) {
				continue
			}
			if _, err := os.Stat(strings.TrimSuffix(doc, ".json") + ".overlay.yaml"); err != nil {
				t.Errorf("api/%s/%s.json has no overlay: %v", version, api, err)
			}
			if _, err := os.Stat(filepath.Join(pkgDir, api, "generate.go")); err != nil {
				t.Errorf("api/%s/%s.json is neither merged (%s) nor has a generated package: %v", version, api, filepath.Join(pkgDir, "generate.go"), err)
			}
		}
	}
	var want []string
	for _, d := range datedDocs {
		want = append(want, d.version+"/"+d.api)
	}
	slices.Sort(found)
	slices.Sort(want)
	if !slices.Equal(found, want) {
		t.Errorf("documents in api/: %v; in the table: %v", found, want)
	}
}

// mergedObjects returns the object documents a version's generate.go merges
// (its -objects list), or nil when it has none.
func mergedObjects(t *testing.T, generate string) []string {
	t.Helper()
	b, err := os.ReadFile(generate)
	if err != nil {
		return nil
	}
	m := regexp.MustCompile(`-objects ([a-z0-9_,]+)`).FindSubmatch(b)
	if m == nil {
		return nil
	}
	return strings.Split(string(m[1]), ",")
}

// TestDatedOverlaysInStep proves the OAuth overlay's error sections are the
// object overlay's word for word: an error body is the same whichever API
// of a version answers it.
func TestDatedOverlaysInStep(t *testing.T) {
	versions, err := filepath.Glob(filepath.Join("..", "..", "api", "20[0-9][0-9]-[0-9][0-9]"))
	if err != nil || len(versions) == 0 {
		t.Fatalf("no dated documents in api/: %v", err)
	}
	for _, dir := range versions {
		version := filepath.Base(dir)
		objects, err := os.ReadFile(filepath.Join(dir, "objects.overlay.yaml"))
		if err != nil {
			t.Fatalf("api/%s: %v", version, err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "oauth.overlay.yaml"))
		if err != nil {
			continue // a version without an OAuth document
		}
		const marker = "  # --- Error answers"
		i, j := bytes.Index(got, []byte(marker)), bytes.Index(objects, []byte(marker))
		if i < 0 || j < 0 || !bytes.Equal(got[i:], objects[j:]) {
			t.Errorf("api/%s/oauth.overlay.yaml's error sections differ from objects.overlay.yaml's", version)
		}
	}
}

// datedOperations maps the operationIds the overlay gives (list, create, …,
// as the generator writes them into the embedded spec: List, Create, …) to
// the paths and methods of HubSpot's 2026-03 object documents, merged (the
// object's segment is {objectType}, its record id {objectId}).
// Paths are written with 2026-03; a later version's have its own.
var datedOperations = map[string]struct{ method, path, since string }{
	"List":             {"GET", "/crm/objects/2026-03/{objectType}", ""},
	"Create":           {"POST", "/crm/objects/2026-03/{objectType}", ""},
	"Get":              {"GET", "/crm/objects/2026-03/{objectType}/{objectId}", ""},
	"Update":           {"PATCH", "/crm/objects/2026-03/{objectType}/{objectId}", ""},
	"Archive":          {"DELETE", "/crm/objects/2026-03/{objectType}/{objectId}", ""},
	"BatchRead":        {"POST", "/crm/objects/2026-03/{objectType}/batch/read", ""},
	"BatchCreate":      {"POST", "/crm/objects/2026-03/{objectType}/batch/create", ""},
	"BatchUpdate":      {"POST", "/crm/objects/2026-03/{objectType}/batch/update", ""},
	"BatchUpsert":      {"POST", "/crm/objects/2026-03/{objectType}/batch/upsert", ""},
	"BatchArchive":     {"POST", "/crm/objects/2026-03/{objectType}/batch/archive", ""},
	"Search":           {"POST", "/crm/objects/2026-03/{objectType}/search", ""},
	"AssociateDefault": {"PUT", "/crm/objects/2026-03/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}", ""},
	"Associate":        {"PUT", "/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}", ""},
	"Dissociate":       {"DELETE", "/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}", ""},
	// 2026-09 adds three operations (since: the first version that has it).
	"Merge":                  {"POST", "/crm/objects/2026-03/{objectType}/merge", "2026-09"},
	"GdprDelete":             {"POST", "/crm/objects/2026-03/{objectType}/gdpr-delete", "2026-09"},
	"AssociationsWithLabels": {"GET", "/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}", "2026-09"},
}

// TestDatedOverlayApplied checks, in the specs embedded in the generated
// packages, the corrections the 2026-03 overlays make.
func TestDatedOverlayApplied(t *testing.T) {
	for _, o := range datedObjects {
		t.Run(o.name, func(t *testing.T) {
			doc := loadSpec(t, o.load)
			ops := map[string]bool{}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					ops[op.OperationID] = true
					want, ok := datedOperations[op.OperationID]
					if !ok || want.since > o.name || want.method != method || strings.Replace(want.path, "2026-03", o.name, 1) != path {
						t.Errorf("%s %s: operationId %q", method, path, op.OperationID)
					}
					for _, code := range []string{"429", "5XX"} {
						if op.Responses.Value(code) == nil {
							t.Errorf("%s %s: no %s answer", method, path, code)
						}
					}
					if html := op.Responses.Value("5XX").Value.Content.Get("text/html"); html == nil {
						t.Errorf("%s %s: a 5xx cannot be an HTML page", method, path)
					}
				}
			}
			for id, want := range datedOperations {
				if want.since <= o.name && !ops[id] {
					t.Errorf("no operation %s (%s %s)", id, want.method, want.path)
				}
			}
			schemas := doc.Components.Schemas
			for _, name := range []string{"SimplePublicObject", "SimplePublicObjectWithAssociations", "SimplePublicUpsertObject"} {
				s := schemas[name].Value
				if !s.Properties["properties"].Value.AdditionalProperties.Schema.Value.Nullable {
					t.Errorf("%s: property values cannot be null", name)
				}
				if s.AdditionalProperties.Schema == nil {
					t.Errorf("%s drops the fields it does not name", name)
				}
			}
			for _, name := range []string{"SimplePublicObjectInput", "SimplePublicObjectInputForCreate", "SimplePublicObjectBatchInput", "SimplePublicObjectBatchInputUpsert"} {
				if schemas[name].Value.Properties["properties"].Value.AdditionalProperties.Schema.Value.Nullable {
					t.Errorf("%s: an input's property values must not be null", name)
				}
			}
			vwt := schemas["ValueWithTimestamp"].Value
			if !vwt.Properties["value"].Value.Nullable || vwt.Properties["updatedByUserId"].Value.Format != "int64" {
				t.Error("ValueWithTimestamp: value not nullable or updatedByUserId not int64")
			}
			for name, want := range map[string][]string{
				"SimplePublicObjectInputForCreate":      {"properties"},
				"SimplePublicObjectBatchInputForCreate": {"properties"},
				"BatchReadInputSimplePublicObjectId":    {"inputs"},
				"PublicObjectSearchRequest":             nil,
				"Error":                                 {"message"},
				"StandardError":                         {"status", "category", "message"},
			} {
				if got := schemas[name].Value.Required; !slices.Equal(got, want) {
					t.Errorf("%s requires %v, want %v", name, got, want)
				}
			}
			sort := schemas["PublicObjectSearchRequest"].Value.Properties["sorts"].Value.Items.Value
			if sort.Properties["propertyName"] == nil || sort.Properties["direction"] == nil {
				t.Error("a search sort is not {propertyName, direction}")
			}
			checkWidenedError(t, doc)
			se := schemas["StandardError"].Value
			if se.Properties["subCategory"].Value.Type != nil || se.AdditionalProperties.Schema == nil {
				t.Error("StandardError: subCategory is typed, or unknown fields are dropped")
			}
		})
	}
	t.Run("oauth", func(t *testing.T) {
		doc := loadSpec(t, oauthspec.GetSpec)
		for path, want := range map[string]string{
			"/oauth/2026-03/token":            "Token",
			"/oauth/2026-03/token/introspect": "IntrospectToken",
			"/oauth/2026-03/token/revoke":     "RevokeToken",
		} {
			op := doc.Paths.Find(path).Post
			if op.OperationID != want {
				t.Errorf("POST %s: operationId %q, want %q", path, op.OperationID, want)
			}
			if op.Responses.Value("429") == nil || op.Responses.Value("5XX") == nil {
				t.Errorf("POST %s: no 429 or 5XX answer", path)
			}
		}
		form := doc.Paths.Find("/oauth/2026-03/token").Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
		for _, f := range []string{"grant_type", "refresh_token", "client_id", "client_secret", "code", "redirect_uri"} {
			if form == nil || form.Schema.Value.Properties[f] == nil {
				t.Errorf("the token form has no %s", f)
			}
		}
		checkWidenedError(t, doc)
	})
}

// checkWidenedError checks the Error schema carries the fields of HubSpot's
// real error bodies and decodes any correlation id.
func checkWidenedError(t *testing.T, doc *openapi3.T) {
	t.Helper()
	e := doc.Components.Schemas["Error"].Value
	for _, f := range []string{"status", "category", "subCategory", "errors", "context", "links", "errorType", "policyName", "groupName", "requestId", "correlationId"} {
		if e.Properties[f] == nil {
			t.Errorf("Error has no %s", f)
		}
	}
	if e.Properties["subCategory"].Value.Type != nil || e.Properties["correlationId"].Value.Format != "" || e.AdditionalProperties.Schema == nil {
		t.Error("Error: subCategory typed, correlationId with a format, or unknown fields dropped")
	}
}
