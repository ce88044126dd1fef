package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// readCSV parses a CSV export: its header and rows.
func readCSV(t *testing.T, s string) (header []string, rows [][]string) {
	t.Helper()
	// Through quotedCR: encoding/csv alone drops the CR of a CRLF in a
	// quoted value, which RFC 4180 keeps.
	all, err := csv.NewReader(&quotedCR{r: bufio.NewReader(strings.NewReader(s)), max: maxLineBytes}).ReadAll()
	if err != nil || len(all) == 0 {
		t.Fatalf("not CSV with a header: %v\n%s", err, s)
	}
	return all[0], all[1:]
}

// hard are property values a CSV must carry exactly.
var hard = []string{
	"plain",
	"a, comma",
	`"quoted" and "" doubled`,
	"two\nlines",
	"windows\r\nline\r\nends",
	"a lone \r carriage return",
	"ends with CRLF\r\n",
	"trailing space ",
	" leading space",
	"émoji 😀👍🏽 and 中文, Ünïcödé",
	"<p>HTML &amp; <b>bold</b></p>",
	`\.`,
	"tab\there",
	"#",
	"=1+2",
}

// issue 22, point 2: export --format csv, import --format csv, export
// again: every property value comes back exactly, and the two exports are
// byte-equal but for the ids.
func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		object string
		props  []string
		line   func(i int, v string) map[string]string
	}{
		{"notes", []string{"hs_note_body", "hs_timestamp", "import_key"}, func(i int, v string) map[string]string {
			return map[string]string{"hs_note_body": v, "hs_timestamp": "2025-03-15T14:30:00Z", "import_key": fmt.Sprintf("k%d", i)}
		}},
		{"tasks", []string{"hs_task_subject", "hs_task_body", "hs_task_status"}, func(i int, v string) map[string]string {
			return map[string]string{"hs_task_subject": "subject " + v, "hs_task_body": v, "hs_task_status": "WAITING"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.object, func(t *testing.T) {
			t.Parallel()
			src, dst := testServer(), testServer()
			defer src.Close()
			defer dst.Close()
			var ls []string
			want := map[string]bool{}
			for i, v := range hard {
				b, _ := json.Marshal(map[string]any{"properties": tt.line(i, v)})
				ls = append(ls, string(b))
				want[v] = true
			}
			// One value of a property left unset: an empty cell.
			ls = append(ls, fmt.Sprintf(`{"properties":{"%s":"only one"}}`, tt.props[0]))
			dir := t.TempDir()
			if code, _, errs := newCLI(t, src).run("import", "--object", tt.object, "--in", writeLines(t, ls...)); code != 0 {
				t.Fatalf("seeding: exit %d: %s", code, errs)
			}
			props := strings.Join(tt.props, ",")
			first := filepath.Join(dir, "first.csv")
			if code, _, errs := newCLI(t, src).run("export", "--object", tt.object, "--properties", props, "--out", first); code != 0 {
				t.Fatalf("export: exit %d: %s", code, errs)
			}
			b1, _ := os.ReadFile(first)
			h1, rows1 := readCSV(t, string(b1))
			if !slices.Equal(h1, append([]string{"id"}, tt.props...)) || len(rows1) != len(ls) {
				t.Fatalf("header %q, %d rows, want id and %s, %d rows", h1, len(rows1), props, len(ls))
			}
			// Every value as HubSpot (the fake) holds it.
			got := map[string]bool{}
			for _, r := range rows1 {
				for _, cell := range r[1:] {
					got[cell] = true
				}
			}
			for v := range want {
				if !got[v] {
					t.Errorf("value %q is not a cell of the export", v)
				}
			}
			code, _, errs := newCLI(t, dst).run("import", "--object", tt.object, "--in", first)
			if code != 0 {
				t.Fatalf("import of the CSV: exit %d: %s", code, errs)
			}
			second := filepath.Join(dir, "second.csv")
			if code, _, errs := newCLI(t, dst).run("export", "--object", tt.object, "--properties", props, "--format", "csv", "--out", second); code != 0 {
				t.Fatalf("second export: exit %d: %s", code, errs)
			}
			b2, _ := os.ReadFile(second)
			h2, rows2 := readCSV(t, string(b2))
			if !slices.Equal(h1, h2) || len(rows1) != len(rows2) {
				t.Fatalf("second export: header %q, %d rows", h2, len(rows2))
			}
			for i := range rows1 {
				if !slices.Equal(rows1[i][1:], rows2[i][1:]) {
					t.Errorf("row %d: %q, then %q", i+1, rows1[i][1:], rows2[i][1:])
				}
			}
			// Byte-equal but for the ids, which are HubSpot's.
			strip := func(b []byte, rows [][]string) string {
				s := string(b)
				for _, r := range rows {
					s = strings.Replace(s, "\n"+r[0]+",", "\n,", 1)
				}
				return s
			}
			if strip(b1, rows1) != strip(b2, rows2) {
				t.Errorf("the exports differ beyond their ids:\n%q\n%q", b1, b2)
			}
		})
	}
}

// The demo, as the issue checks it: a header and 500 rows.
func TestCSVDemo(t *testing.T) {
	t.Parallel()
	code, out, errs := newCLI(t, nil).run("--demo", "export", "--object", "tasks", "--format", "csv", "--properties", "hs_task_subject,hs_task_status")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	header, rows := readCSV(t, out)
	if strings.Join(header, ",") != "id,hs_task_subject,hs_task_status" || len(rows) != 500 {
		t.Fatalf("header %q, %d rows", header, len(rows))
	}
	for _, r := range rows {
		if r[0] == "" || r[1] == "" || r[2] == "" || strings.ContainsAny(r[0], "eE.+") {
			t.Fatalf("row %q", r)
		}
	}
}

// Without --properties, the columns are the id and the properties the
// listing asks for (the accessors'); a CSV export resumes after a crash
// into the same bytes.
func TestCSVExportColumnsAndResume(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(2345)
	c := newCLI(t, srv)
	code, out, errs := c.run("export", "--object", "tasks", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	header, rows := readCSV(t, out)
	if !slices.Equal(header, append([]string{"id"}, props.Read("tasks")...)) || len(rows) != 2345 {
		t.Fatalf("header %q, %d rows, want id and %q", header, len(rows), props.Read("tasks"))
	}
	if i := slices.Index(header, "hs_task_subject"); i < 0 || rows[0][i] == "" {
		t.Errorf("first row %q: no subject", rows[0])
	}
	for _, at := range []int{500, 1500} {
		t.Run(fmt.Sprintf("crash after %d", at), func(t *testing.T) {
			c.t = t
			dir := t.TempDir()
			for _, props := range []string{"", "hs_task_subject,hs_task_body"} {
				args := []string{"export", "--object", "tasks", "--format", "csv"}
				if props != "" {
					args = append(args, "--properties", props)
				}
				_, full, _ := c.run(args...)
				file := filepath.Join(dir, "out"+fmt.Sprint(len(props))+".csv")
				c.runUntilCrash(func(n int) bool { return n == at }, append(args, "--out", file)...)
				if code, _, errs := c.run(append(args, "--out", file, "--resume")...); code != 0 {
					t.Fatalf("resume: exit %d: %s", code, errs)
				}
				if b, _ := os.ReadFile(file); string(b) != full {
					t.Fatalf("properties %q: after the crash and --resume %d bytes, want %d", props, len(b), len(full))
				}
				// The cursor belongs to a CSV export.
				c.runUntilCrash(func(n int) bool { return n == at }, append(args, "--out", file)...)
				if code, _, errs := c.run("export", "--object", "tasks", "--format", "jsonl", "--out", file, "--resume", "--properties", props); code != exitUsage || !strings.Contains(errs, "format csv") {
					t.Errorf("resume as JSON Lines: exit %d: %s", code, errs)
				}
			}
		})
	}
}

// Import --format csv reports each bad row alone by the line it starts on
// (multi-line cells counted), and refuses what it cannot read as CSV.
func TestCSVImportLines(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in := write("tasks.csv", "\uFEFFid,hs_task_subject,hs_task_body,hs_task_status,hs_object_id\r\n"+
		"1,one,\"a body\r\non two lines\",WAITING,1\r\n"+ // line 2
		"2,two,plain,DONE,2\r\n"+ // line 4: not a status
		"3,three,\"x\",,\r\n"+ // line 5
		"4,four,too,many,cells,here\r\n"+ // line 6
		",,,,\r\n"+ // line 7: nothing to set
		"5,five,\"\",NOT_STARTED,\r\n"+ // line 8
		"6,six,ok,WAITING,\r\n") // line 9
	code, _, errs := c.run("import", "--object", "tasks", "--in", in)
	if code != exitUsage || srv.TaskCount() != 4 {
		t.Fatalf("exit %d, %d stored: %s", code, srv.TaskCount(), errs)
	}
	for _, w := range []string{"line 4: hubspot: invalid properties.hs_task_status", "line 6: 6 cells, the header has 5", "line 7: no properties to set", "3 bad lines,", "created 4 tasks"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	res := readResultLines(t, in+".results.jsonl")
	for _, line := range []int{2, 5, 8, 9} {
		if res[line].ID == "" {
			t.Errorf("line %d: %+v", line, res[line])
		}
	}
	var bodies []string
	for _, task := range srv.Tasks() {
		bodies = append(bodies, task.Prop("hs_task_body"))
		if task.Prop("hs_task_subject") == "five" && task.Has("hs_task_body") && task.Prop("hs_task_body") != "" {
			t.Errorf("an empty cell set hs_task_body to %q", task.Prop("hs_task_body"))
		}
	}
	if !slices.Contains(bodies, "a body\r\non two lines") {
		t.Errorf("bodies %q lack the two-line one, CRLF kept", bodies)
	}
	tests := []struct {
		name, content string
		args          []string
		want          string
	}{
		{"empty", "", nil, "the CSV file is empty"},
		{"twice", "hs_task_subject,hs_task_subject\nx,y\n", nil, "names hs_task_subject twice (columns 1 and 2)"},
		{"empty name", "hs_task_subject,\nx,y\n", nil, "column 2 is empty"},
		{"bare quote", "hs_task_subject\nab\"c\n", nil, `bare " in non-quoted-field`},
		{"engagements", "x\n1\n", []string{"--object", "engagements"}, "--format csv holds object properties"},
		{"unknown format", "x\n1\n", []string{"--format", "xml"}, `--format "xml": use jsonl or csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			args := append([]string{"import", "--in", write(tt.name+".csv", tt.content), "--results", filepath.Join(dir, tt.name+".results")}, tt.args...)
			if !slices.Contains(args, "--object") {
				args = append(args, "--object", "tasks")
			}
			code, _, errs := c.run(args...)
			if code != exitUsage || !strings.Contains(errs, tt.want) || len(srv.Requests()) != 0 {
				t.Errorf("exit %d, %d requests: %s", code, len(srv.Requests()), errs)
			}
		})
	}
}

// quotedCR doubles a carriage return before a line feed inside quotes
// only, whatever the reads' sizes, so encoding/csv gives every CRLF of a
// value back; a row over the bound is an error.
func TestQuotedCR(t *testing.T) {
	t.Parallel()
	in := "a,\"b\r\nc\"\r\n\"\"\"q\"\"\r\n\",x\r\n"
	want := [][]string{{"a", "b\r\nc"}, {"\"q\"\r\n", "x"}}
	for _, wrap := range []func(*strings.Reader) *csv.Reader{
		func(r *strings.Reader) *csv.Reader { return csv.NewReader(&quotedCR{r: newBuf(r), max: 100}) },
		func(r *strings.Reader) *csv.Reader {
			return csv.NewReader(iotest.OneByteReader(&quotedCR{r: newBuf(iotest.HalfReader(r)), max: 100}))
		},
	} {
		got, err := wrap(strings.NewReader(in)).ReadAll()
		if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	}
	_, err := csv.NewReader(&quotedCR{r: newBuf(strings.NewReader("\"" + strings.Repeat("x", 200) + "\"\n")), max: 100}).ReadAll()
	if err == nil || !strings.Contains(err.Error(), "longer than 100 bytes") {
		t.Errorf("a long row: %v", err)
	}
}

// newBuf is a small buffer over r, so that rows cross its refills.
func newBuf(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 16) }
