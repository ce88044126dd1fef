package facade_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/internal/props"
)

// records are the facade's record types, by the name internal/props gives
// them.
var records = map[string]reflect.Type{
	"Task": reflect.TypeFor[facade.Task](), "Email": reflect.TypeFor[facade.Email](), "Note": reflect.TypeFor[facade.Note](),
	"Call": reflect.TypeFor[facade.Call](), "Meeting": reflect.TypeFor[facade.Meeting](),
	"Communication": reflect.TypeFor[facade.Communication](), "PostalMail": reflect.TypeFor[facade.PostalMail](),
}

// TestPropertyConstantsInTheTable: every exported …Property constant of
// object.go names a property of internal/props's table, of the object type
// its prefix says (Task… a task's, none: every type's).
func TestPropertyConstantsInTheTable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "object.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !name.IsExported() || !strings.HasSuffix(name.Name, "Property") {
					continue
				}
				value, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				n++
				types := []string{}
				for _, o := range props.Objects {
					if strings.HasPrefix(name.Name, o.Record) {
						types = []string{o.Type}
					}
				}
				if len(types) == 0 { // common: every type has it
					for _, o := range props.Objects {
						types = append(types, o.Type)
					}
				}
				for _, typ := range types {
					if _, ok := props.Find(typ, value); !ok {
						t.Errorf("%s = %q is not a property of %s in internal/props", name.Name, value, typ)
					}
				}
			}
		}
	}
	if n < 30 {
		t.Errorf("read %d property constants, want the 30 and more of object.go", n)
	}
	if p, _ := props.Find("notes", facade.NoteBodyProperty); facade.MaxNoteBody != props.MaxNoteBody || p.MaxLength != facade.MaxNoteBody {
		t.Errorf("MaxNoteBody %d, the table's %d (hs_note_body's %d)", facade.MaxNoteBody, props.MaxNoteBody, p.MaxLength)
	}
}

// sample is a value of p that its accessor reads as non-zero.
func sample(p props.Property) string {
	switch p.Type {
	case props.DateTime:
		return "2026-03-02T10:00:00.000Z"
	case props.Number:
		return "90000"
	case props.Enumeration:
		return p.Options[0]
	}
	return "text of " + p.Name
}

// TestAccessorsReadTheTablesProperties: each accessor internal/props names
// as a property's reader reads that property (zero without it, set with
// it alone); every accessor of a record type is named in the table (so
// that a listing asks for what it reads).
func TestAccessorsReadTheTablesProperties(t *testing.T) {
	objectMethods := map[string]bool{}
	for m := range reflect.TypeFor[facade.Object]().Methods() {
		objectMethods[m.Name] = true
	}
	for _, o := range props.Objects {
		rt, ok := records[o.Record]
		if !ok {
			t.Fatalf("no record type %s for %s", o.Record, o.Type)
		}
		read := map[string]string{} // method → property
		for _, p := range props.All(o.Type) {
			for _, r := range p.Readers {
				if rec, m, _ := strings.Cut(r, "."); rec == o.Record {
					read[m] = p.Name
					if !slices.Contains(props.Read(o.Type), p.Name) {
						t.Errorf("props.Read(%s) leaves out %s, which %s reads", o.Type, p.Name, r)
					}
				}
			}
		}
		for m := range rt.Methods() {
			if !objectMethods[m.Name] && read[m.Name] == "" {
				t.Errorf("%s.%s is an accessor internal/props names as no property's reader", o.Record, m.Name)
			}
		}
		for m, name := range read {
			p, _ := props.Find(o.Type, name)
			for _, set := range []bool{true, false} {
				body := map[string]any{"id": "1", "properties": map[string]string{}}
				if set {
					body["properties"] = map[string]string{name: sample(p)}
				}
				b, _ := json.Marshal(body)
				rec := reflect.New(rt)
				if err := json.Unmarshal(b, rec.Interface()); err != nil {
					t.Fatal(err)
				}
				method := rec.Elem().MethodByName(m)
				if !method.IsValid() {
					t.Fatalf("%s has no method %s (internal/props names it for %s)", o.Record, m, name)
				}
				if got := method.Call(nil)[0]; got.IsZero() == set {
					t.Errorf("%s.%s with %s set %v: %v", o.Record, m, name, set, got)
				}
			}
		}
	}
}

// TestEnumConstantsInTheTable: every constant of a typed enumeration
// (TaskStatus, EmailDirection, …) is one of the options internal/props
// gives the property whose accessor returns that type.
func TestEnumConstantsInTheTable(t *testing.T) {
	// The property behind each enumeration type, found through the
	// accessor that returns it.
	behind := map[string]props.Property{}
	for _, o := range props.Objects {
		for _, p := range props.All(o.Type) {
			for _, r := range p.Readers {
				rec, m, _ := strings.Cut(r, ".")
				if method, ok := records[rec].MethodByName(m); ok && rec == o.Record && p.Type == props.Enumeration {
					behind[method.Type.Out(0).Name()] = p
				}
			}
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "enums.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			typ, ok := vs.Type.(*ast.Ident)
			if !ok {
				continue
			}
			p, ok := behind[typ.Name]
			if !ok {
				t.Errorf("%s: no accessor returns it, so the table gives it no property", typ.Name)
				continue
			}
			for i, name := range vs.Names {
				value, _ := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
				n++
				if !slices.Contains(p.Options, value) {
					t.Errorf("%s = %q is not an option of %s in internal/props (%q)", name.Name, value, p.Name, p.Options)
				}
			}
		}
	}
	if n < 30 {
		t.Errorf("read %d enumeration constants, want the 30 and more of enums.go", n)
	}
}
