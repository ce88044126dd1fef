package facade_test

// Tests of the contract harness itself: the checks TestContract relies on
// fail where they must, so their silence there means something.

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// TestContractWireCheck: on a dated wire a request to a numbered path, or
// to any path outside the object APIs but the case's legacy one, is a
// problem; on v3 nothing is.
func TestContractWireCheck(t *testing.T) {
	dated := contractCase{version: facade.API2026_03}
	legacy := contractCase{version: facade.API2026_03, legacy: "/calling/v1/"}
	tests := []struct {
		name string
		tc   contractCase
		path string
		ok   bool
	}{
		{"v3 may use v1", contractCase{version: facade.APIv3}, "/engagements/v1/engagements/1", true},
		{"dated object API", dated, "/crm/objects/2026-03/notes/1", true},
		{"dated search", dated, "/crm/objects/2026-03/tasks/search", true},
		{"v1 on the dated wire", dated, "/engagements/v1/engagements/1", false},
		{"v3 objects on the dated wire", dated, "/crm/v3/objects/notes/1", false},
		{"another dated version", dated, "/crm/objects/2026-09/notes/1", false},
		{"dispositions without leave", dated, "/calling/v1/dispositions", false},
		{"dispositions with leave", legacy, "/calling/v1/dispositions", true},
		{"leave is no licence for v1", legacy, "/engagements/v1/engagements/paged", false},
		{"leave is only its path", legacy, "/crm/objects/2026-03/notes/1", false},
	}
	for _, tt := range tests {
		if got := wireProblem(tt.tc, tt.path); (got == "") != tt.ok {
			t.Errorf("%s: wireProblem(%s) = %q, want ok %v", tt.name, tt.path, got, tt.ok)
		}
	}
}

// TestContractExchangeFiles: an operation's directory holds one exchange
// or a numbered sequence of at least two, each request answering a
// response, the last answer a 2xx (a 404 only before it), and nothing else.
func TestContractExchangeFiles(t *testing.T) {
	const (
		ok       = `{"status":200,"headers":{},"body":null}`
		notFound = `{"status":404,"headers":{},"body":null}`
		req      = `{}`
	)
	tests := []struct {
		name  string
		files map[string]string
		want  []string // the exchanges' names; nil: an error
	}{
		{"one", map[string]string{"response.json": ok, "request.json": req}, []string{""}},
		{"one, request still to write", map[string]string{"response.json": ok}, []string{""}},
		{"sequence", map[string]string{"1.response.json": notFound, "2.response.json": ok, "1.request.json": req, "2.request.json": req}, []string{"1.", "2."}},
		{"ten", tenExchanges(ok), []string{"1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10."}},
		{"none", map[string]string{}, nil},
		{"sequence of one", map[string]string{"1.response.json": ok}, nil},
		{"both styles", map[string]string{"response.json": ok, "1.response.json": ok, "2.response.json": ok}, nil},
		{"a gap", map[string]string{"1.response.json": ok, "3.response.json": ok}, nil},
		{"a stray request", map[string]string{"1.response.json": ok, "2.response.json": ok, "3.request.json": req}, nil},
		{"an unnumbered request in a sequence", map[string]string{"1.response.json": ok, "2.response.json": ok, "request.json": req}, nil},
		{"a numbered request of one exchange", map[string]string{"response.json": ok, "1.request.json": req}, nil},
		{"last answer a 404", map[string]string{"1.response.json": ok, "2.response.json": notFound}, nil},
		{"an error before the last", map[string]string{"1.response.json": `{"status":500,"headers":{},"body":null}`, "2.response.json": ok}, nil},
		{"a leading zero", map[string]string{"01.response.json": ok, "2.response.json": ok}, nil},
		{"another file", map[string]string{"response.json": ok, "notes.txt": "x"}, nil},
		{"an unknown field", map[string]string{"response.json": `{"status":200,"headers":{},"body":null,"delay":1}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := loadExchanges(dir)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("no error; exchanges %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range got {
				names = append(names, e.name)
			}
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Errorf("exchanges %q, want %q", names, tt.want)
			}
		})
	}
}

// tenExchanges is a sequence of ten answers, numbered past one digit.
func tenExchanges(answer string) map[string]string {
	files := map[string]string{}
	for n := 1; n <= 10; n++ {
		files[strconv.Itoa(n)+".response.json"] = answer
	}
	return files
}

// TestContractServerSequence: the fake answers the n-th request with the
// n-th answer, and records a request past the last one as such, answered
// with an error.
func TestContractServerSequence(t *testing.T) {
	srv, rec := newContractServer(t, []exchange{
		{"1.", wireResponse{Status: http.StatusNotFound}},
		{"2.", wireResponse{Status: http.StatusNoContent}},
	})
	var statuses []int
	for range 3 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+contractPrefix+"/crm/objects/2026-03/notes/1", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if want := []int{404, 204, 400}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) != 2 || len(rec.extra) != 1 {
		t.Errorf("%d requests recorded and %d past the sequence, want 2 and 1", len(rec.reqs), len(rec.extra))
	}
}

// createInputs are BatchCreate's inputs of props, without associations.
var createInputs = facade.CreateInputs
