package facade

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The facade decodes HubSpot's answers into small views (it decodes only
// the fields it reads, keeping each record's raw JSON) instead of the
// generated types, which decode every field eagerly. These tests keep the
// views honest: every field a view reads must exist in the generated type
// of that answer, under the same JSON name and with a JSON type that
// decodes into the view's, so a field renamed or retyped in a spec or an
// overlay fails here, naming it.

// inner gives, for a record type with its own UnmarshalJSON, the view it
// decodes into.
var inner = map[reflect.Type]reflect.Type{
	reflect.TypeFor[Object]():     reflect.TypeFor[objectView](),
	reflect.TypeFor[Engagement](): reflect.TypeFor[engagementView](),
}

func TestViewsMatchTheGeneratedTypes(t *testing.T) {
	engagementVariants := []reflect.Type{
		reflect.TypeFor[v1.NoteEngagement](), reflect.TypeFor[v1.EmailEngagement](), reflect.TypeFor[v1.CallEngagement](),
		reflect.TypeFor[v1.MeetingEngagement](), reflect.TypeFor[v1.TaskEngagement](), reflect.TypeFor[v1.OtherEngagement](),
	}
	tests := []struct {
		view   reflect.Type
		fields []string // the view's fields this answer carries (nil: all)
		gen    []reflect.Type
	}{
		{reflect.TypeFor[objectView](), nil, []reflect.Type{reflect.TypeFor[tasks.Task](), reflect.TypeFor[emails.EmailEngagement]()}},
		{reflect.TypeFor[collection](), nil, []reflect.Type{reflect.TypeFor[tasks.CollectionResponseTask](), reflect.TypeFor[emails.CollectionResponseEmailEngagement]()}},
		{reflect.TypeFor[batchAnswer](), nil, []reflect.Type{reflect.TypeFor[tasks.BatchResponseTask](), reflect.TypeFor[emails.BatchResponseEmailEngagement]()}},
		{reflect.TypeFor[associationsList](), nil, []reflect.Type{reflect.TypeFor[tasks.CollectionResponseAssociation](), reflect.TypeFor[emails.CollectionResponseAssociation]()}},
		{reflect.TypeFor[engagementView](), nil, engagementVariants},
		{reflect.TypeFor[offsetPage](), []string{"results", "hasMore", "offset"}, []reflect.Type{reflect.TypeFor[v1.EngagementPage]()}},
		{reflect.TypeFor[offsetPage](), []string{"results", "hasMore", "offset", "total"}, []reflect.Type{reflect.TypeFor[v1.RecentEngagementPage]()}},
		{reflect.TypeFor[offsetPage](), []string{"results", "hasMore", "after"}, []reflect.Type{reflect.TypeFor[v1.ModifiedAfterPage]()}},
	}
	for _, tt := range tests {
		for _, g := range tt.gen {
			t.Run(tt.view.Name()+"~"+g.String(), func(t *testing.T) {
				for _, p := range viewMismatches(tt.view, g, tt.fields, tt.view.Name()) {
					t.Error(p)
				}
			})
		}
	}
}

// TestViewCheckCatchesDrift proves the check fails on a renamed and on a
// retyped field, so its silence above means something.
func TestViewCheckCatchesDrift(t *testing.T) {
	type view struct {
		ID    string `json:"id"`
		Count int64  `json:"count"`
	}
	type renamed struct {
		Ident *string `json:"ident"`
		Count *int64  `json:"count"`
	}
	type retyped struct {
		ID    *string `json:"id"`
		Count *string `json:"count"`
	}
	for _, g := range []reflect.Type{reflect.TypeFor[renamed](), reflect.TypeFor[retyped]()} {
		if len(viewMismatches(reflect.TypeFor[view](), g, nil, "view")) == 0 {
			t.Errorf("no mismatch found against %v", g)
		}
	}
}

// jsonKind is what JSON a Go type decodes from: "string", "number",
// "bool", "array", "object", or "any" for raw JSON and unions.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[json.RawMessage](), t == reflect.TypeFor[ownedJSON]():
		return "any"
	case t == reflect.TypeFor[json.Number]():
		return "number"
	case t == reflect.TypeFor[time.Time]():
		return "string"
	case t.Kind() == reflect.Interface:
		return "any"
	}
	// Generated oneOf unions hold raw JSON.
	if t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Name == "union" {
		return "any"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "any"
}

// jsonFields maps a struct's JSON field names to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func deptr(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// viewMismatches compares view with gen, recursively, and says where they
// disagree. only, when set, limits the top-level fields compared.
func viewMismatches(view, gen reflect.Type, only []string, path string) []string {
	view, gen = deptr(view), deptr(gen)
	if v, ok := inner[view]; ok {
		view = v
	}
	vk, gk := jsonKind(view), jsonKind(gen)
	if vk == "any" || gk == "any" {
		return nil
	}
	if vk != gk {
		return []string{fmt.Sprintf("%s: the facade reads JSON %s (%v), the spec gives %s (%v)", path, vk, view, gk, gen)}
	}
	switch view.Kind() {
	case reflect.Slice, reflect.Array:
		return viewMismatches(view.Elem(), deptr(gen).Elem(), nil, path+"[]")
	case reflect.Map:
		if gen.Kind() == reflect.Map {
			return viewMismatches(view.Elem(), gen.Elem(), nil, path+"{}")
		}
		return nil
	case reflect.Struct:
		if gen.Kind() != reflect.Struct {
			return nil
		}
		vf, gf := jsonFields(view), jsonFields(gen)
		var out []string
		for name, vt := range vf {
			if only != nil && !contains(only, name) {
				continue
			}
			gt, ok := gf[name]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: the facade reads it, the generated %v has no such field", path, name, gen))
				continue
			}
			out = append(out, viewMismatches(vt, gt, nil, path+"."+name)...)
		}
		return out
	}
	return nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
