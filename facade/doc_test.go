package facade

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestPackageDocNamesEveryService keeps the overview of `go doc ./facade`
// (what pkg.go.dev shows first) true as services are added: every service
// the Client serves is named in its first section, and every listing of a
// service (a method that returns a *Pager) in the doc as Service.Method.
func TestPackageDocNamesEveryService(t *testing.T) {
	text := packageDoc(t)
	overview, _, _ := strings.Cut(text, "\n# ")
	ct := reflect.TypeFor[Client]()
	services := 0
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		services++
		// "postal mail" names PostalMail: the lower-case name is looked
		// for without spaces.
		if !strings.Contains(strings.ReplaceAll(overview, " ", ""), strings.ToLower(f.Name)) || !strings.Contains(overview, f.Name) {
			t.Errorf("the package doc's overview does not name Client.%s (%q and %q): write what the Client serves", f.Name, f.Name, strings.ToLower(f.Name))
		}
		for j := range f.Type.NumMethod() {
			m := f.Type.Method(j)
			if out := m.Type; out.NumOut() == 1 && out.Out(0).Kind() == reflect.Pointer && strings.HasPrefix(out.Out(0).Elem().Name(), "Pager[") {
				if name := f.Name + "." + m.Name; !strings.Contains(text, name) {
					t.Errorf("the package doc does not list the listing %s among those returning a Pager", name)
				}
			}
		}
	}
	if services < 6 {
		t.Fatalf("found %d services on Client, want the six it has today at least: the test no longer sees them", services)
	}
}

// packageDoc is the package comment, as go doc prints it.
func packageDoc(t *testing.T) string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/engagekit/hubspot-engagements/facade")
	if err != nil {
		t.Fatal(err)
	}
	return p.Doc
}
