package gencheck

import (
	"fmt"
	"go/ast"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// v3To202603 pairs the v3 model types the facade uses (gen/tasks, the v3
// canonical package) with their 2026-03 counterparts (gen/v202603).
var v3To202603 = []struct{ v3, dated string }{
	{"Task", "SimplePublicObjectWithAssociations"},
	{"Task", "SimplePublicObject"},
	{"CollectionResponseTask", "CollectionResponseSimplePublicObjectWithAssociationsForwardPaging"},
	{"CollectionResponseTask", "CollectionResponseWithTotalSimplePublicObject"},
	{"BatchResponseTask", "BatchResponseSimplePublicObjectWithErrors"},
	{"SimplePublicObjectInput", "SimplePublicObjectInput"},
	{"SimplePublicObjectInputForCreate", "SimplePublicObjectInputForCreate"},
	{"PublicAssociationsForObject", "PublicAssociationsForObject"},
	{"PublicObjectID", "PublicObjectID"},
	{"AssociationSpec", "AssociationSpec"},
	{"BatchCreateInput", "BatchInputSimplePublicObjectBatchInputForCreate"},
	{"SimplePublicObjectInputForCreate", "SimplePublicObjectBatchInputForCreate"},
	{"BatchReadInput", "BatchReadInputSimplePublicObjectID"},
	{"BatchUpdateInput", "BatchInputSimplePublicObjectBatchInput"},
	{"BatchArchiveInput", "BatchInputSimplePublicObjectID"},
	{"BatchInputSimplePublicObjectBatchInputUpsert", "BatchInputSimplePublicObjectBatchInputUpsert"},
	{"SimplePublicObjectBatchInputUpsert", "SimplePublicObjectBatchInputUpsert"},
	{"BatchResponseSimplePublicUpsertObject", "BatchResponseSimplePublicUpsertObjectWithErrors"},
	{"SimplePublicUpsertObject", "SimplePublicUpsertObject"},
	{"SearchRequest", "PublicObjectSearchRequest"},
	{"FilterGroup", "FilterGroup"},
	{"Filter", "Filter"},
	{"Association", "AssociatedID"},
	{"CollectionResponseAssociation", "CollectionResponseAssociatedID"},
	{"Paging", "Paging"},
	{"Error", "Error"},
	{"ErrorDetail", "ErrorDetail"},
	{"StandardError", "StandardError"},
	{"ValueWithTimestamp", "ValueWithTimestamp"},
	{"ListTasksParams", "ListParams"},
	{"GetTaskParams", "GetParams"},
	{"UpdateTaskParams", "UpdateParams"},
	{"BatchReadTasksParams", "BatchReadParams"},
}

// wantV3Vs202603 is where the two wires differ, field by field, on the wire
// (JSON names and value kinds; pointers and omitempty aside). It is pinned so
// that this list, the README and the report stay true: a spec change that
// adds or removes a difference fails here and is reviewed.
//
// Besides these, the 2026-03 documents mark fields required that the v3
// documents do not (id, properties, createdAt, … of a record; status,
// startedAt, completedAt, results of a batch answer; message of an error):
// their Go types are values without omitempty where v3's are pointers. The
// facade cannot convert one wire's structs into the other's; it maps each
// into its own types.
//
// What the list says, in short:
//   - records: 2026-03 adds objectWriteTraceId, url and warnings; its records
//     from create, update, search and batches (SimplePublicObject) have no
//     associations; only get and list return them.
//   - pages: a 2026-03 list page has no total (v3's document allows one);
//     search has a total (int32; v3 int64); 2026-03's search paging also
//     has prev.
//   - batch answers: status is an enumeration (CANCELED, COMPLETE, PENDING,
//     PROCESSING) in 2026-03, a free string in v3; numErrors is int32. The
//     2026-03 200 answers (BatchResponseSimplePublicObject) have no errors
//     or numErrors; the 207 ones (…WithErrors), compared here, have.
//   - inputs: 2026-03 batch update and batch create inputs carry
//     objectWriteTraceId, batch update also idProperty (v3's document has
//     neither).
//   - query parameters: both take properties, propertiesWithHistory and
//     associations as arrays (?properties=a&properties=b, or one
//     comma-separated value), idProperty on get and update, archived on
//     batch read; 2026-03's limit is int32.
//   - searches: limit is int32 in 2026-03.
var wantV3Vs202603 = []string{
	"BatchResponseSimplePublicUpsertObject ↔ BatchResponseSimplePublicUpsertObjectWithErrors: numErrors: integer ↔ int32",
	"BatchResponseSimplePublicUpsertObject ↔ BatchResponseSimplePublicUpsertObjectWithErrors: status: string ↔ enum CANCELED|COMPLETE|PENDING|PROCESSING",
	"BatchResponseTask ↔ BatchResponseSimplePublicObjectWithErrors: numErrors: integer ↔ int32",
	"BatchResponseTask ↔ BatchResponseSimplePublicObjectWithErrors: status: string ↔ enum CANCELED|COMPLETE|PENDING|PROCESSING",
	"BatchUpdateInput ↔ BatchInputSimplePublicObjectBatchInput: inputs[].idProperty: only in 2026-03",
	"BatchUpdateInput ↔ BatchInputSimplePublicObjectBatchInput: inputs[].objectWriteTraceId: only in 2026-03",
	"CollectionResponseTask ↔ CollectionResponseSimplePublicObjectWithAssociationsForwardPaging: total: only in v3",
	"CollectionResponseTask ↔ CollectionResponseWithTotalSimplePublicObject: total: int64 ↔ int32",
	"ListTasksParams ↔ ListParams: limit: integer ↔ int32",
	"Paging ↔ Paging: prev: only in 2026-03",
	"SearchRequest ↔ PublicObjectSearchRequest: limit: integer ↔ int32",
	"SimplePublicObjectInputForCreate ↔ SimplePublicObjectBatchInputForCreate: objectWriteTraceId: only in 2026-03",
	"SimplePublicUpsertObject ↔ SimplePublicUpsertObject: objectWriteTraceId: only in 2026-03",
	"SimplePublicUpsertObject ↔ SimplePublicUpsertObject: url: only in 2026-03",
	"SimplePublicUpsertObject ↔ SimplePublicUpsertObject: warnings: only in 2026-03",
	"Task ↔ SimplePublicObject: associations: only in v3",
	"Task ↔ SimplePublicObject: objectWriteTraceId: only in 2026-03",
	"Task ↔ SimplePublicObject: url: only in 2026-03",
	"Task ↔ SimplePublicObject: warnings: only in 2026-03",
	"Task ↔ SimplePublicObjectWithAssociations: objectWriteTraceId: only in 2026-03",
	"Task ↔ SimplePublicObjectWithAssociations: url: only in 2026-03",
	"Task ↔ SimplePublicObjectWithAssociations: warnings: only in 2026-03",
}

// TestV3And202603Compared compares the two families' model types on the
// wire and pins the differences (wantV3Vs202603 says what they mean).
func TestV3And202603Compared(t *testing.T) {
	v3 := parseGenerated(t, v3Canonical, "tasks.gen.go")
	dated := parseGenerated(t, "gen/v202603", "v202603.gen.go")
	names := map[string]string{} // 2026-03 name → v3 name, for references
	for _, p := range v3To202603 {
		if _, ok := names[p.dated]; !ok {
			names[p.dated] = p.v3
		}
	}
	var got []string
	for _, p := range v3To202603 {
		c, d := v3.types[p.v3], dated.types[p.dated]
		if c == nil || d == nil {
			t.Fatalf("no %s in %s or no %s in %s", p.v3, v3.path, p.dated, dated.path)
		}
		w := wire{v3: v3, dated: dated, names: names, at: p.v3 + " ↔ " + p.dated + ": "}
		got = append(got, w.diff("", c.Type, d.Type)...)
	}
	slices.Sort(got)
	got = slices.Compact(got)
	if !slices.Equal(got, wantV3Vs202603) {
		var b strings.Builder
		for _, g := range got {
			fmt.Fprintf(&b, "\t%q,\n", g)
		}
		t.Errorf("the v3 and 2026-03 model types differ otherwise than wantV3Vs202603 says; now:\n%s", b.String())
	}
}

// wire compares two type expressions by JSON name and value kind. Named
// types that are paired in v3To202603 are compared by name (each pair is
// compared on its own); others are looked into.
type wire struct {
	v3, dated *genPackage
	names     map[string]string // 2026-03 name → v3 name
	at        string
}

func (w wire) diff(field string, v3, dated ast.Expr) []string {
	c, d := w.resolve(unptr(v3), w.v3, false), w.resolve(unptr(dated), w.dated, true)
	// A paired type against a structure (v3's Paging against ForwardPaging):
	// look into it as well.
	if _, ok := d.(*ast.StructType); ok {
		c = structOf(c, w.v3)
	}
	if _, ok := c.(*ast.StructType); ok {
		d = structOf(d, w.dated)
	}
	join := func(n string) string {
		if field == "" {
			return n
		}
		return field + "." + n
	}
	mismatch := func() []string {
		return []string{fmt.Sprintf("%s%s: %s ↔ %s", w.at, field, w.kind(c, w.v3, false), w.kind(d, w.dated, true))}
	}
	elems := func(name string, ce, de ast.Expr) []string {
		_, cn := ce.(*ast.StarExpr)
		_, dn := de.(*ast.StarExpr)
		if cn != dn {
			return []string{fmt.Sprintf("%s%s: null allowed in %s only", w.at, name, map[bool]string{true: "v3", false: "2026-03"}[cn])}
		}
		return w.diff(name, ce, de)
	}
	switch c := c.(type) {
	case *ast.ArrayType:
		d, ok := d.(*ast.ArrayType)
		if !ok {
			return mismatch()
		}
		return elems(field+"[]", c.Elt, d.Elt)
	case *ast.MapType:
		d, ok := d.(*ast.MapType)
		if !ok {
			return mismatch()
		}
		return elems(field+"{}", c.Value, d.Value)
	case *ast.StructType:
		d, ok := d.(*ast.StructType)
		if !ok {
			return mismatch()
		}
		cf, df := jsonFields(c), jsonFields(d)
		var diffs []string
		for n, ct := range cf {
			dt, ok := df[n]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s%s: only in v3", w.at, join(n)))
				continue
			}
			diffs = append(diffs, w.diff(join(n), ct, dt)...)
		}
		for n := range df {
			if _, ok := cf[n]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s%s: only in 2026-03", w.at, join(n)))
			}
		}
		return diffs
	}
	if w.kind(c, w.v3, false) != w.kind(d, w.dated, true) {
		return mismatch()
	}
	return nil
}

// resolve follows aliases and looks into named structs that are not paired.
func (w wire) resolve(e ast.Expr, p *genPackage, dated bool) ast.Expr {
	for {
		id, ok := e.(*ast.Ident)
		if !ok || p.types[id.Name] == nil || w.paired(id.Name, dated) {
			return e
		}
		if _, enum := p.enums[id.Name]; enum {
			return e
		}
		e = p.types[id.Name].Type
	}
}

func structOf(e ast.Expr, p *genPackage) ast.Expr {
	if id, ok := e.(*ast.Ident); ok && p.types[id.Name] != nil {
		if st, ok := p.types[id.Name].Type.(*ast.StructType); ok {
			return st
		}
	}
	return e
}

func (w wire) paired(name string, dated bool) bool {
	if dated {
		_, ok := w.names[name]
		return ok
	}
	for _, v := range w.names {
		if v == name {
			return true
		}
	}
	return false
}

func jsonFields(s *ast.StructType) map[string]ast.Expr {
	m := map[string]ast.Expr{}
	for _, f := range fieldsOf(s) {
		name, _, _ := strings.Cut(reflect.StructTag(f.tag).Get("json"), ",")
		if name == "" || name == "-" {
			name, _, _ = strings.Cut(reflect.StructTag(f.tag).Get("form"), ",")
		}
		if name != "" && name != "-" {
			m[name] = f.typ
		}
	}
	return m
}

func unptr(e ast.Expr) ast.Expr {
	if s, ok := e.(*ast.StarExpr); ok {
		return s.X
	}
	return e
}

// kind is a JSON kind: integer widths kept, an enumeration by its values, a
// paired named type by its v3 name.
func (w wire) kind(e ast.Expr, p *genPackage, dated bool) string {
	switch e := e.(type) {
	case *ast.Ident:
		switch e.Name {
		case "string":
			return "string"
		case "bool":
			return "boolean"
		case "int":
			return "integer"
		}
		if v, ok := p.enums[e.Name]; ok {
			var vs []string
			for _, q := range v {
				u, _ := strconv.Unquote(q)
				vs = append(vs, u)
			}
			return "enum " + strings.Join(vs, "|")
		}
		if n, ok := w.names[e.Name]; ok && dated {
			return "object " + n
		}
		if p.types[e.Name] != nil {
			return "object " + e.Name
		}
		return e.Name
	case *ast.ArrayType:
		return "array of " + w.kind(unptr(e.Elt), p, dated)
	case *ast.MapType:
		return "map of " + w.kind(unptr(e.Value), p, dated)
	case *ast.StructType:
		return "object"
	default:
		return render(e)
	}
}
