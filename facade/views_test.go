package facade

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The facade decodes HubSpot's answers through the generated types
// (answers.go, engagement.go, v1list.go), reading their fields by Go name,
// so a field renamed in a spec or an overlay stops the build there. The
// members kept raw are fields that shadow a generated one; these tests
// hold each shadow to the field it replaces, so that a rename of one
// (results, properties, associations, metadata) fails here, naming it,
// instead of leaving the shadow to decode nothing.

// shapes are every type an answer decodes into.
var shapes = []reflect.Type{
	reflect.TypeFor[v3Record](), reflect.TypeFor[v3UpsertRecord](), reflect.TypeFor[v3Page](), reflect.TypeFor[v3Batch](), reflect.TypeFor[v3Upsert](),
	reflect.TypeFor[datedRecord](), reflect.TypeFor[datedPlainRecord](), reflect.TypeFor[datedUpsertRecord](),
	reflect.TypeFor[datedPage](), reflect.TypeFor[datedSearchPage](), reflect.TypeFor[datedBatch](), reflect.TypeFor[datedUpsert](),
	reflect.TypeFor[engagementView](), reflect.TypeFor[v1Page](), reflect.TypeFor[v1RecentPage](), reflect.TypeFor[v1ModifiedPage](),
}

func TestShadowsMatchTheGeneratedTypes(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.Name(), func(t *testing.T) {
			for _, p := range shadowMismatches(s) {
				t.Error(p)
			}
		})
	}
}

// TestShadowCheckCatchesDrift proves the check fails when the generated
// field a shadow replaces is renamed (in Go, as a renamed JSON member
// generates, or in JSON alone), and when a shape embeds nothing generated.
func TestShadowCheckCatchesDrift(t *testing.T) {
	type generated struct {
		Items *[]string `json:"items"`
		Total *int64    `json:"total"`
	}
	type retagged struct {
		Results *[]string `json:"items"`
	}
	type renamed struct {
		generated
		Results []Object `json:"results"`
	}
	type jsonRenamed struct {
		retagged
		Results []Object `json:"results"`
	}
	type bare struct {
		Results []Object `json:"results"`
	}
	for _, s := range []reflect.Type{reflect.TypeFor[renamed](), reflect.TypeFor[jsonRenamed](), reflect.TypeFor[bare]()} {
		if len(shadowMismatches(s)) == 0 {
			t.Errorf("%v: no mismatch found", s)
		}
	}
}

// shadowMismatches checks a shape: one embedded (generated) struct, and
// fields that each shadow one of its fields, under the same Go and JSON
// names.
func shadowMismatches(s reflect.Type) []string {
	var gen reflect.Type
	var shadows []reflect.StructField
	for i := range s.NumField() {
		if f := s.Field(i); f.Anonymous {
			gen = f.Type
		} else {
			shadows = append(shadows, f)
		}
	}
	if gen == nil {
		return []string{fmt.Sprintf("%v embeds no generated type", s)}
	}
	var out []string
	for _, sh := range shadows {
		g, ok := gen.FieldByName(sh.Name)
		if !ok {
			out = append(out, fmt.Sprintf("%v.%s shadows nothing: the generated %v has no field %s (renamed in the spec?)", s, sh.Name, gen, sh.Name))
			continue
		}
		if jn, gn := jsonName(sh), jsonName(g); jn != gn {
			out = append(out, fmt.Sprintf("%v.%s reads JSON %q, the generated %v.%s is %q", s, sh.Name, jn, gen, g.Name, gn))
		}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}
