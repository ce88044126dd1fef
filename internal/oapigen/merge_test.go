package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadDocs reads VERSION/NAME.json for each name from dir, skipping the
// test when dir is not there.
func loadDocs(t *testing.T, dir string, names []string) []map[string]any {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no %s: %v", dir, err)
	}
	docs := make([]map[string]any, len(names))
	for i, n := range names {
		doc, err := readDoc(filepath.Join(dir, n+".json"))
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = doc
	}
	return docs
}

var objects202603 = []string{"emails", "tasks", "notes", "calls", "meetings"}

// TestMergeVersions merges HubSpot's 2026-03 documents (api/) and its
// 2026-09 ones (../shared/specs, when there): one generic path family, the
// association paths once, every component once.
func TestMergeVersions(t *testing.T) {
	for _, tt := range []struct {
		version, dir string
		names        []string
		paths        int
	}{
		{"2026-03", filepath.Join("..", "..", "api", "2026-03"), objects202603, 10},
		{"2026-09", filepath.Join("..", "..", "..", "shared", "specs", "2026-09"),
			[]string{"emails", "tasks", "notes", "calls", "meetings", "communications", "postal_mail"}, 13},
	} {
		t.Run(tt.version, func(t *testing.T) {
			docs := loadDocs(t, tt.dir, tt.names)
			first, _ := json.Marshal(docs[0]["components"].(map[string]any)["schemas"])
			merged, err := merge(tt.version, tt.names, docs)
			if err != nil {
				t.Fatal(err)
			}
			paths := merged["paths"].(map[string]any)
			if len(paths) != tt.paths {
				t.Errorf("%d paths, want %d: %v", len(paths), tt.paths, sortedKeys(paths))
			}
			for p := range paths {
				if !strings.HasPrefix(p, "/crm/objects/"+tt.version+"/{") {
					t.Errorf("path %s is not generic", p)
				}
			}
			get := paths["/crm/objects/"+tt.version+"/{objectType}/{objectId}"].(map[string]any)
			var names []string
			for _, p := range get["parameters"].([]any) {
				names = append(names, p.(map[string]any)["name"].(string))
			}
			for _, p := range get["get"].(map[string]any)["parameters"].([]any) {
				if m := p.(map[string]any); m["in"] == "path" {
					names = append(names, m["name"].(string))
				}
			}
			if !slices.Equal(names, []string{"objectType", "objectId"}) {
				t.Errorf("path parameters of a get: %v", names)
			}
			if got, _ := json.Marshal(merged["components"].(map[string]any)["schemas"]); string(got) != string(first) {
				t.Error("the merged schemas are not the first document's")
			}
		})
	}
}

// TestMergeRefusesDifferences changes one document and expects the merge
// to fail, naming what differs; a text changed is merged.
func TestMergeRefusesDifferences(t *testing.T) {
	dir := filepath.Join("..", "..", "api", "2026-03")
	schema := func(doc map[string]any, name string) map[string]any {
		return doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	}
	for _, tt := range []struct {
		name    string
		change  func(notes map[string]any)
		wantErr string
	}{
		{"a description", func(d map[string]any) { schema(d, "SimplePublicObject")["description"] = "other words" }, ""},
		{"an example", func(d map[string]any) {
			schema(d, "SimplePublicObject")["properties"].(map[string]any)["id"].(map[string]any)["example"] = "9"
		}, ""},
		{"a type", func(d map[string]any) {
			schema(d, "SimplePublicObject")["properties"].(map[string]any)["id"].(map[string]any)["type"] = "integer"
		}, "schema SimplePublicObject of notes.json differs from emails.json's at properties.id.type"},
		{"a property renamed", func(d map[string]any) {
			ps := schema(d, "ForwardPaging")["properties"].(map[string]any)
			ps["nxt"] = ps["next"]
			delete(ps, "next")
		}, "schema ForwardPaging of notes.json differs from emails.json's at properties.next"},
		{"a property named description", func(d map[string]any) {
			schema(d, "ForwardPaging")["properties"].(map[string]any)["description"] = map[string]any{"type": "string"}
		}, "schema ForwardPaging of notes.json differs from emails.json's at properties.description"},
		{"a parameter of one object", func(d map[string]any) {
			get := d["paths"].(map[string]any)["/crm/objects/2026-03/notes"].(map[string]any)["get"].(map[string]any)
			get["parameters"] = get["parameters"].([]any)[1:]
		}, "path /crm/objects/2026-03/{objectType} of notes.json (/crm/objects/2026-03/notes) differs from emails.json's at get.parameters"},
		{"another version", func(d map[string]any) { d["info"].(map[string]any)["version"] = "2026-09" }, "notes.json has info.version \"2026-09\""},
		{"a path missing", func(d map[string]any) { delete(d["paths"].(map[string]any), "/crm/objects/2026-03/notes/batch/upsert") },
			"notes.json has no path /crm/objects/2026-03/{objectType}/batch/upsert (emails.json has)"},
		{"a schema missing", func(d map[string]any) {
			delete(d["components"].(map[string]any)["schemas"].(map[string]any), "ForwardPaging")
		}, "notes.json has no schema ForwardPaging (emails.json has)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			docs := loadDocs(t, dir, objects202603)
			tt.change(docs[2])
			_, err := merge("2026-03", objects202603, docs)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("merge: %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}
}
