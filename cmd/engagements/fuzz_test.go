package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/engagekit/hubspot-engagements/facade"
)

// Fuzz tests for everything the tool reads from a file or the command line.
// `go test` runs each seed corpus; `go test -fuzz FuzzX` explores further.

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`{"properties":{"hs_task_subject":"one","hs_object_id":"123"}}`,
		`{"properties":{"a":null,"b":"","c":"\u00e9"}}`,
		`{"properties":{}}`, `{"properties":`, `not json`, `[]`, `null`, `{"properties":[1]}`,
		`{"engagement":{"type":"NOTE","ownerId":7001,"timestamp":1700000000000},"associations":{"contactIds":[5001,null]},"metadata":{"body":"ok"}}`,
		`{"engagement":{"type":"FAX"},"metadata":{}}`,
		`{"engagement":{"type":"CALL","timestamp":-9223372036854775808},"metadata":{"durationMilliseconds":1e400}}`,
		`{"engagement":{"type":"EMAIL"},"attachments":[{"id":1},{"id":"x"}],"metadata":{"to":[{"email":"a@b"}]}}`,
	} {
		f.Add("tasks", []byte(s))
		f.Add("engagements", []byte(s))
	}
	f.Fuzz(func(t *testing.T, object string, text []byte) {
		if object != "engagements" {
			object = "tasks"
		}
		p, err := parseLine(object, 7, text)
		if p.line != 7 {
			t.Fatalf("line %d", p.line)
		}
		if err != nil {
			return
		}
		if object == "tasks" {
			if len(p.props) == 0 {
				t.Fatal("accepted a line with no properties")
			}
			for k := range p.props {
				if readOnly[k] {
					t.Fatalf("kept read-only %s", k)
				}
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-01-31T12:00:00Z", "2025-01-31T13:00:00+01:00", "2025-01-31", "1738324800000",
		"0", "-1", "253402300799999", "253402300800000", "9223372036854775807", "yesterday", "", "2025-13-01", "2025-01-31T25:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseTime(s)
		if err != nil {
			var ue usageError
			if !errors.As(err, &ue) || (len(s) > maxTimeArg && strings.Contains(err.Error(), s)) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if got.Year() < 0 || got.Year() > 9999 || len(s) > maxTimeArg {
			t.Fatalf("%q → %v", s, got)
		}
	})
}

func FuzzDecodeResult(f *testing.F) {
	for _, s := range []string{`{"line":1,"id":"123"}`, `{"line":2,"error":"x","uncertain":true}`, `{"line":0,"id":"1"}`,
		`{"line":1,"id":"1","error":"x"}`, `{"line":1}`, `{"line":1,"id":"a b"}`, `{"line":1e3,"id":"1"}`, `{"line":1,"id":"1"} x`, `{}`, ``,
		`{"line":5,"error":"x","refused":true,"digest":"0123abcd"}`, `{"line":5,"id":"1","refused":true}`, `{"line":5,"error":"x","digest":"XYZ"}`,
		`{"line":5,"error":"x","refused":true,"uncertain":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResult(b)
		if err != nil {
			return
		}
		if r.Line < 1 || (r.ID == "") == (r.Error == "") || (r.ID != "" && !validID(r.ID)) || len(r.Error) > maxResultError ||
			r.Refused && (r.ID != "" || r.Uncertain) || strings.Trim(r.Digest, "0123456789abcdef") != "" {
			t.Fatalf("accepted %+v", r)
		}
		// What was accepted survives being written and read again.
		back, err := decodeResult(bytes.TrimSuffix(encodeResult(r), []byte("\n")))
		if err != nil || back != r {
			t.Fatalf("round trip %+v → %+v, %v", r, back, err)
		}
	})
}

func FuzzDecodeInflight(f *testing.F) {
	for _, s := range []string{`{"lines":[1,2,3],"resultsBytes":10}`, `{"resultsBytes":-5}`, `{"lines":[0]}`, `{"lines":null,"resultsBytes":0}`,
		`{"lines":[1],"resultsBytes":1e30}`, `{"lines":[9223372036854775807]}`, `[]`, `{"x":1}`} {
		f.Add([]byte(s), int64(100))
	}
	f.Fuzz(func(t *testing.T, b []byte, size int64) {
		fl, err := decodeInflight(b, size)
		if err != nil {
			return
		}
		if fl.ResultsBytes < 0 || fl.ResultsBytes > size {
			t.Fatalf("resultsBytes %d outside [0, %d]", fl.ResultsBytes, size)
		}
		for _, l := range fl.Lines {
			if l < 1 {
				t.Fatalf("line %d", l)
			}
		}
	})
}

func FuzzDecodeExportState(f *testing.F) {
	for _, s := range []string{`{"object":"tasks","cursor":"abc","bytes":10,"records":3}`, `{"object":"engagements","since":"2025-01-01","cursor":"","bytes":0,"records":0}`,
		`{"object":"notes","apiVersion":"2026-03","cursor":"abc","bytes":10,"records":3}`, `{"object":"calls","apiVersion":"v4"}`, `{"object":"meetings","apiVersion":""}`,
		`{"object":"deals"}`, `{"object":"tasks","bytes":-1}`, `{"object":"tasks","since":"soon"}`, `{"object":"tasks","records":-9}`, `null`, `{"object":"tasks"}{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeExportState(b)
		if err != nil {
			return
		}
		if checkObject(s.Object) != nil || s.Bytes < 0 || s.Records < 0 || len(s.Cursor) > maxCursorLen ||
			s.APIVersion != "" && !slices.Contains(facade.APIVersions, facade.APIVersion(s.APIVersion)) ||
			s.Format != "" && s.Format != formatCSV {
			t.Fatalf("accepted %+v", s)
		}
		b2, _ := json.Marshal(s)
		s2, err := decodeExportState(b2)
		if b3, _ := json.Marshal(s2); err != nil || !bytes.Equal(b3, b2) {
			t.Fatalf("round trip %+v → %+v, %v", s, s2, err)
		}
	})
}

// FuzzLineReader checks the line reader against a plain split: the same
// lines, numbered alike, long ones flagged and never held.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nbb\r\n\nccc"), 2)
	f.Add([]byte("\n\n\n"), 1)
	f.Add([]byte(strings.Repeat("x", 70000)+"\ny"), 100)
	f.Add([]byte("no newline"), 64)
	f.Fuzz(func(t *testing.T, in []byte, max int) {
		if max < 1 || max > 1<<20 {
			return
		}
		want := strings.Split(string(in), "\n")
		if len(in) == 0 || in[len(in)-1] == '\n' {
			want = want[:len(want)-1]
		}
		lr := newLineReader(bytes.NewReader(in), max)
		for i := 0; ; i++ {
			l, err := lr.next()
			if err == io.EOF {
				if i != len(want) {
					t.Fatalf("%d lines, want %d", i, len(want))
				}
				return
			}
			if err != nil || i >= len(want) || l.n != i+1 {
				t.Fatalf("line %d: %+v, %v", i+1, l, err)
			}
			w := strings.TrimSuffix(want[i], "\r")
			if long := len(w) > max; long != l.tooLong || (!long && string(l.text) != w) {
				t.Fatalf("line %d: %q (long %v), want %q", i+1, l.text, l.tooLong, w)
			}
		}
	})
}

func TestEncodeResultBoundsTheError(t *testing.T) {
	r := result{Line: 3, Error: strings.Repeat("é", maxResultError)}
	b := encodeResult(r)
	back, err := decodeResult(bytes.TrimSuffix(b, []byte("\n")))
	if err != nil || !utf8.ValidString(back.Error) || len(back.Error) > maxResultError || !strings.HasSuffix(back.Error, "…") {
		t.Fatalf("%d bytes, %v", len(back.Error), err)
	}
}

// FuzzCSVValues checks that any values written by encoding/csv, as export
// writes them, are read back exactly through quotedCR, as import reads
// them: CRLF inside values included, whatever the reads' sizes.
func FuzzCSVValues(f *testing.F) {
	f.Add("a", "b,c", 1)
	f.Add("x\r\ny", "\"q\"\r\n", 3)
	f.Add("\r", "\r\r\n\n", 1)
	f.Add(" lead", "trail\r", 7)
	f.Fuzz(func(t *testing.T, v1, v2 string, chunk int) {
		if !utf8.ValidString(v1) || !utf8.ValidString(v2) || chunk < 1 || chunk > 64 {
			return
		}
		want := [][]string{{"h1", "h2"}, {v1, v2}, {v2, v1}}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(want); err != nil {
			return // a value csv.Writer cannot write (none so far)
		}
		in := iotest.HalfReader(bytes.NewReader(buf.Bytes()))
		r := csv.NewReader(&quotedCR{r: bufio.NewReaderSize(in, 16+chunk), max: maxLineBytes})
		got, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", buf.Bytes(), err)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("wrote %q\nread  %q\nfrom %q", want, got, buf.Bytes())
		}
	})
}
