package gencheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The facade builds request bodies from one canonical package's types and
// sends them with every package's …WithBody request builders; it decodes every
// package's answers into the canonical types too. That is only right while
// the generated model types of a family have the same shape. This file proves
// it from the generated source: every type of each package (models, response
// aliases, parameters, request bodies; not the client and server interfaces,
// nor the …Response wrappers of ClientWithResponses, which the facade does
// not use) must have its counterpart in the canonical package, with the same
// fields in the same order, the same struct tags (JSON name, omitempty) and
// the same Go types, recursively; enumerations must have the same values.
// Names may differ only as each member's mapping says.

// genPackage is one generated package, parsed.
type genPackage struct {
	path  string                   // "gen/tasks"
	types map[string]*ast.TypeSpec // every type declared in the generated file
	enums map[string][]string      // enumeration type → its values, sorted
}

func parseGenerated(t *testing.T, path, file string) *genPackage {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "..", path, file), nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	return genPackageOf(path, f)
}

func genPackageOf(path string, f *ast.File) *genPackage {
	p := &genPackage{path: path, types: map[string]*ast.TypeSpec{}, enums: map[string][]string{}}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range g.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				p.types[s.Name.Name] = s
			case *ast.ValueSpec:
				id, ok := s.Type.(*ast.Ident)
				if g.Tok != token.CONST || !ok || len(s.Values) != 1 {
					continue
				}
				if lit, ok := s.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					p.enums[id.Name] = append(p.enums[id.Name], lit.Value)
				}
			}
		}
	}
	for _, v := range p.enums {
		slices.Sort(v)
	}
	return p
}

// naming maps a member package's type names to the canonical package's: the
// schemas whose names differ, and the operations (whose names prefix the
// generated Params, JSONRequestBody, JSONBody and Response types).
type naming struct {
	schemas map[string]string
	ops     map[string]string
}

var opSuffixes = []string{"Params", "JSONRequestBody", "JSONBody", "Response"}

func (n naming) canonical(name string) string {
	if s, ok := n.schemas[name]; ok {
		return s
	}
	best := ""
	for op := range n.ops {
		if strings.HasPrefix(name, op) && len(op) > len(best) && slices.Contains(opSuffixes, name[len(op):]) {
			best = op
		}
	}
	if best != "" {
		return n.ops[best] + name[len(best):]
	}
	return name
}

// compared reports whether a type takes part in the comparison: not the
// client and server interfaces or function types, and not the …Response
// wrappers of ClientWithResponses (told by their HTTPResponse field).
func compared(p *genPackage, name string) bool {
	switch t := p.types[name].Type.(type) {
	case *ast.InterfaceType, *ast.FuncType:
		return false
	case *ast.StructType:
		for _, f := range t.Fields.List {
			for _, n := range f.Names {
				if n.Name == "HTTPResponse" {
					return false
				}
			}
		}
	}
	return true
}

// shapeDiff lists how member differs from canon; every line names the
// member's package and type, the canonical type and the field.
func shapeDiff(canon, member *genPackage, n naming) []string {
	var diffs []string
	seen := map[string]bool{}
	names := make([]string, 0, len(member.types))
	for name := range member.types {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !compared(member, name) {
			continue
		}
		cname := n.canonical(name)
		seen[cname] = true
		at := fmt.Sprintf("%s: type %s", member.path, name)
		if cname != name {
			at += fmt.Sprintf(" (%s: %s)", canon.path, cname)
		}
		c, ok := canon.types[cname]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s has no such type", at, canon.path))
			continue
		}
		m := member.types[name]
		if (c.Assign != 0) != (m.Assign != 0) {
			diffs = append(diffs, fmt.Sprintf("%s: alias in one package, defined type in the other", at))
		}
		diffs = append(diffs, exprDiff(at, "", c.Type, m.Type, canon, n)...)
		if !slices.Equal(canon.enums[cname], member.enums[name]) {
			diffs = append(diffs, fmt.Sprintf("%s: values %v, want %v", at, member.enums[name], canon.enums[cname]))
		}
	}
	cnames := make([]string, 0, len(canon.types))
	for name := range canon.types {
		cnames = append(cnames, name)
	}
	sort.Strings(cnames)
	for _, name := range cnames {
		if !seen[name] && compared(canon, name) {
			diffs = append(diffs, fmt.Sprintf("%s: no counterpart of %s: type %s", member.path, canon.path, name))
		}
	}
	return diffs
}

// exprDiff compares two type expressions; field is the path inside the type
// ("Inputs[].ID"), empty at the top.
func exprDiff(at, field string, c, m ast.Expr, canon *genPackage, n naming) []string {
	where := at
	if field != "" {
		where += ", field " + field
	}
	mismatch := func() []string {
		return []string{fmt.Sprintf("%s: Go type %s, want %s", where, render(m), render(c))}
	}
	switch c := c.(type) {
	case *ast.Ident:
		m, ok := m.(*ast.Ident)
		if !ok {
			return mismatch()
		}
		if _, declared := canon.types[c.Name]; declared {
			if n.canonical(m.Name) != c.Name {
				return mismatch()
			}
		} else if m.Name != c.Name {
			return mismatch()
		}
	case *ast.StarExpr:
		m, ok := m.(*ast.StarExpr)
		if !ok {
			return mismatch()
		}
		return exprDiff(at, field, c.X, m.X, canon, n)
	case *ast.ArrayType:
		m, ok := m.(*ast.ArrayType)
		if !ok || (c.Len == nil) != (m.Len == nil) {
			return mismatch()
		}
		return exprDiff(at, field+"[]", c.Elt, m.Elt, canon, n)
	case *ast.MapType:
		m, ok := m.(*ast.MapType)
		if !ok {
			return mismatch()
		}
		return append(exprDiff(at, field+"[key]", c.Key, m.Key, canon, n), exprDiff(at, field+"[]", c.Value, m.Value, canon, n)...)
	case *ast.SelectorExpr, *ast.InterfaceType, *ast.IndexExpr, *ast.FuncType:
		// time.Time, json.RawMessage, interface{}, nullable.Nullable[string]:
		// nothing of the package inside, so the text is the type.
		if render(c) != render(m) {
			return mismatch()
		}
	case *ast.StructType:
		m, ok := m.(*ast.StructType)
		if !ok {
			return mismatch()
		}
		return fieldsDiff(at, field, c, m, canon, n)
	default:
		return []string{fmt.Sprintf("%s: cannot compare %T", where, c)}
	}
	return nil
}

type structField struct {
	name, tag string
	typ       ast.Expr
}

func fieldsOf(s *ast.StructType) []structField {
	var fs []structField
	for _, f := range s.Fields.List {
		tag := ""
		if f.Tag != nil {
			tag, _ = strconv.Unquote(f.Tag.Value)
		}
		names := []string{render(f.Type)} // an embedded field is named by its type
		if len(f.Names) > 0 {
			names = names[:0]
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
		}
		for _, n := range names {
			fs = append(fs, structField{n, tag, f.Type})
		}
	}
	return fs
}

func fieldsDiff(at, field string, c, m *ast.StructType, canon *genPackage, n naming) []string {
	var diffs []string
	cf, mf := fieldsOf(c), fieldsOf(m)
	index := func(fs []structField, name string) int {
		return slices.IndexFunc(fs, func(f structField) bool { return f.name == name })
	}
	join := func(name string) string {
		if field == "" {
			return name
		}
		return field + "." + name
	}
	for i, f := range mf {
		j := index(cf, f.name)
		if j < 0 {
			diffs = append(diffs, fmt.Sprintf("%s, field %s: not in the canonical type (json %q)", at, join(f.name), reflect.StructTag(f.tag).Get("json")))
			continue
		}
		if j != i {
			diffs = append(diffs, fmt.Sprintf("%s, field %s: at position %d, want %d (a struct conversion needs the same order)", at, join(f.name), i, j))
		}
		if f.tag != cf[j].tag {
			diffs = append(diffs, fmt.Sprintf("%s, field %s: tag `%s`, want `%s`", at, join(f.name), f.tag, cf[j].tag))
		}
		diffs = append(diffs, exprDiff(at, join(f.name), cf[j].typ, f.typ, canon, n)...)
	}
	for _, f := range cf {
		if index(mf, f.name) < 0 {
			diffs = append(diffs, fmt.Sprintf("%s, field %s: missing (json %q)", at, join(f.name), reflect.StructTag(f.tag).Get("json")))
		}
	}
	return diffs
}

// render prints a type expression compactly (struct bodies elided).
func render(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + render(e.X)
	case *ast.ArrayType:
		return "[]" + render(e.Elt)
	case *ast.MapType:
		return "map[" + render(e.Key) + "]" + render(e.Value)
	case *ast.SelectorExpr:
		return render(e.X) + "." + e.Sel.Name
	case *ast.IndexExpr:
		return render(e.X) + "[" + render(e.Index) + "]"
	case *ast.InterfaceType:
		return "interface{}"
	case *ast.StructType:
		return "struct{…}"
	case *ast.FuncType:
		return "func(…)"
	default:
		return fmt.Sprintf("%T", e)
	}
}

// The families: each member's names mapped to its canonical package's.
// The v3 operationIds are the vendor documents' (listTasks,
// listEmailEngagements) and ours for the generic objects document (list);
// the 2026-03 overlays give all five packages the same names.
var (
	v3Canonical = "gen/tasks"
	v3Members   = []struct {
		path, file string
		naming     naming
	}{
		{"gen/emails", "emails.gen.go", naming{
			schemas: map[string]string{
				"EmailEngagement":                   "Task",
				"CollectionResponseEmailEngagement": "CollectionResponseTask",
				"BatchResponseEmailEngagement":      "BatchResponseTask",
			},
			ops: map[string]string{
				"ListEmailEngagements": "ListTasks", "CreateEmailEngagement": "CreateTask", "GetEmailEngagement": "GetTask",
				"UpdateEmailEngagement": "UpdateTask", "DeleteEmailEngagement": "DeleteTask",
				"BatchReadEmailEngagements": "BatchReadTasks", "BatchCreateEmailEngagements": "BatchCreateTasks",
				"BatchUpdateEmailEngagements": "BatchUpdateTasks", "BatchUpsertEmailEngagements": "BatchUpsertTasks",
				"BatchArchiveEmailEngagements": "BatchArchiveTasks", "SearchEmailEngagements": "SearchTasks",
				"ListEmailEngagementAssociations":  "ListTaskAssociations",
				"CreateEmailEngagementAssociation": "CreateTaskAssociation",
				"DeleteEmailEngagementAssociation": "DeleteTaskAssociation",
			},
		}},
		{"gen/objectsv3", "objectsv3.gen.go", naming{
			schemas: map[string]string{
				"SimplePublicObject":                   "Task",
				"CollectionResponseSimplePublicObject": "CollectionResponseTask",
				"BatchResponseSimplePublicObject":      "BatchResponseTask",
			},
			ops: map[string]string{
				"List": "ListTasks", "Create": "CreateTask", "Get": "GetTask", "Update": "UpdateTask", "Archive": "DeleteTask",
				"BatchRead": "BatchReadTasks", "BatchCreate": "BatchCreateTasks", "BatchUpdate": "BatchUpdateTasks",
				"BatchUpsert": "BatchUpsertTasks", "BatchArchive": "BatchArchiveTasks", "Search": "SearchTasks",
				"ListAssociations": "ListTaskAssociations", "Associate": "CreateTaskAssociation", "Dissociate": "DeleteTaskAssociation",
			},
		}},
	}
)

// TestGeneratedShapesIdentical fails, naming the package, the type and the
// field, when a generated model type of one package differs from its
// counterpart in the canonical package of its family: gen/tasks for v3
// (gen/emails, gen/objectsv3). A field renamed in one document, a property
// typed differently, a required flag that drops omitempty: all fail make
// test. (A dated version is one package: its generation compares its
// documents.)
func TestGeneratedShapesIdentical(t *testing.T) {
	t.Run("v3", func(t *testing.T) {
		canon := parseGenerated(t, v3Canonical, "tasks.gen.go")
		for _, m := range v3Members {
			t.Run(m.path, func(t *testing.T) {
				for _, d := range shapeDiff(canon, parseGenerated(t, m.path, m.file), m.naming) {
					t.Error(d)
				}
			})
		}
	})
	// A dated version's objects are one package, generated from their
	// documents merged: internal/oapigen refuses documents whose shapes
	// differ (TestMergeRefusesDifferences). A later version's package has
	// 2026-03's shapes (it may add types): the facade builds its bodies and
	// decodes its answers with gen/v202603's types and converts its
	// parameters, so a difference must fail here, naming the field.
	t.Run("2026-09", func(t *testing.T) {
		canon := parseGenerated(t, "gen/v202603", "v202603.gen.go")
		for _, d := range shapeDiff(canon, parseGenerated(t, "gen/v202609", "v202609.gen.go"), naming{}) {
			if !strings.HasSuffix(d, "gen/v202603 has no such type") { // a type 2026-09 adds
				t.Error(d)
			}
		}
	})
}

// TestShapeDiffNamesTheField proves the check above can fail, and says where:
// two packages that differ in one JSON name, one Go type, one omitempty, one
// field order, one enumeration value and one missing type.
func TestShapeDiffNamesTheField(t *testing.T) {
	parse := func(path, src string) *genPackage {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\n"+src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		return genPackageOf(path, f)
	}
	canon := parse("gen/a", `
type Task struct {
	ID *string `+"`json:\"id,omitempty\"`"+`
	Inputs []struct {
		Name string `+"`json:\"name\"`"+`
	} `+"`json:\"inputs\"`"+`
	Count *int `+"`json:\"count,omitempty\"`"+`
	Status Status `+"`json:\"status\"`"+`
}
type Status string
const (A Status = "A"; B Status = "B")
type ListTasksParams struct{ Limit *int `+"`json:\"limit\"`"+` }
type Gone struct{}
`)
	member := parse("gen/b", `
type Email struct {
	ID *string `+"`json:\"id\"`"+`
	Inputs []struct {
		Name string `+"`json:\"nom\"`"+`
	} `+"`json:\"inputs\"`"+`
	Status Status `+"`json:\"status\"`"+`
	Count *int64 `+"`json:\"count,omitempty\"`"+`
}
type Status string
const (A Status = "A"; C Status = "C")
type ListEmailsParams struct{ Limit *int `+"`json:\"limit\"`"+` }
`)
	got := shapeDiff(canon, member, naming{schemas: map[string]string{"Email": "Task"}, ops: map[string]string{"ListEmails": "ListTasks"}})
	want := []string{
		"gen/b: type Email (gen/a: Task), field ID: tag `json:\"id\"`, want `json:\"id,omitempty\"`",
		"gen/b: type Email (gen/a: Task), field Inputs[].Name: tag `json:\"nom\"`, want `json:\"name\"`",
		"gen/b: type Email (gen/a: Task), field Status: at position 2, want 3 (a struct conversion needs the same order)",
		"gen/b: type Email (gen/a: Task), field Count: at position 3, want 2 (a struct conversion needs the same order)",
		"gen/b: type Email (gen/a: Task), field Count: Go type int64, want int",
		`gen/b: type Status: values ["A" "C"], want ["A" "B"]`,
		"gen/b: no counterpart of gen/a: type Gone",
	}
	if !slices.Equal(got, want) {
		t.Errorf("shapeDiff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
