package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/engagekit/hubspot-engagements/facade"
)

// The formats export writes and import reads (--format).
const (
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

// recordFormat reads the --format of export and import: jsonl or csv; ""
// is csv when file (--out or --in) ends in .csv, else jsonl.
func recordFormat(format, file string) (string, error) {
	switch format {
	case formatJSONL, formatCSV:
		return format, nil
	case "":
		if strings.HasSuffix(strings.ToLower(file), ".csv") {
			return formatCSV, nil
		}
		return formatJSONL, nil
	}
	return "", usagef("--format %q: use jsonl or csv", format)
}

// idColumn is the first column of an exported CSV: the record's id, as
// HubSpot's text.
const idColumn = "id"

// csvColumns are the columns of an export's CSV: the id, then props in
// the order given.
func csvColumns(props []string) []string { return append([]string{idColumn}, props...) }

// csvRecord is what a CSV row is made of: a CRM record's id and properties.
type csvRecord struct {
	ID         string                     `json:"id"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// csvCells is one CSV row of rec, in columns: a property HubSpot sent as
// null, or did not send, is an empty cell; any other value is its text
// exactly.
func csvCells(rec json.RawMessage, columns []string) ([]string, error) {
	var v csvRecord
	if err := json.Unmarshal(rec, &v); err != nil {
		return nil, err
	}
	cells := make([]string, len(columns))
	cells[0] = v.ID
	for i, c := range columns[1:] {
		s, err := propertyText(v.Properties[c])
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", c, err)
		}
		cells[i+1] = s
	}
	return cells, nil
}

// propertyText is a property value as text: a JSON string's content, ""
// for null or nothing, the literal of a number or boolean.
func propertyText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{' || raw[0] == '[':
		return "", errors.New("not a text value")
	}
	return string(raw), nil
}

// inputRecord is one record of an import's input: a JSON line or a CSV row.
type inputRecord struct {
	n      int               // the line it is on (a CSV row: the line it starts on)
	text   []byte            // a JSON line, valid until the next record
	props  facade.Properties // a CSV row's properties (its non-empty cells)
	blank  bool              // a blank JSON line
	err    error             // why it cannot be used (too long, not UTF-8, cells)
	digest string            // its content's digest ("" when unknown)
}

// inputSource yields the records of an import's input, io.EOF after the
// last.
type inputSource interface {
	next() (inputRecord, error)
}

// digestOf identifies a line's content in the results file, so that
// --resume knows whether a refused line was changed since.
func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// jsonlSource reads JSON Lines.
type jsonlSource struct{ lr *lineReader }

func (s jsonlSource) next() (inputRecord, error) {
	l, err := s.lr.next()
	if err != nil {
		return inputRecord{}, err
	}
	rec := inputRecord{n: l.n, text: l.text}
	switch {
	case l.tooLong:
		rec.err = fmt.Errorf("longer than %d bytes (%d)", maxLineBytes, l.size)
	case len(bytes.TrimSpace(l.text)) == 0:
		rec.blank = true
	case !utf8.Valid(l.text):
		rec.err = fmt.Errorf("invalid UTF-8 at byte %d", invalidUTF8At(l.text))
	}
	if !l.tooLong {
		rec.digest = digestOf(l.text)
	}
	return rec, nil
}

// csvSource reads a CSV file whose first row names the properties: RFC 4180
// through encoding/csv, a UTF-8 byte order mark ignored, rows ending in
// LF or CRLF.
type csvSource struct {
	r      *csv.Reader
	header []string
	skip   []bool // columns import leaves out: id and read-only properties
}

// csvIgnored are columns an import reads past: the record id and what
// HubSpot sets itself.
func csvIgnored(name string) bool {
	return name == idColumn || name == "createdAt" || name == "updatedAt" || name == "archived" || readOnly[name]
}

func newCSVSource(in io.Reader) (*csvSource, error) {
	r := csv.NewReader(&quotedCR{r: bufio.NewReaderSize(in, 64<<10), max: maxLineBytes})
	r.ReuseRecord = false
	header, err := r.Read()
	if err == io.EOF {
		return nil, usagef("cannot read --in: the CSV file is empty: its first row names the properties")
	}
	if err != nil {
		return nil, usagef("cannot read --in: %v", err)
	}
	header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	s := &csvSource{r: r, header: header, skip: make([]bool, len(header))}
	seen := map[string]int{}
	for i, h := range header {
		switch {
		case !utf8.ValidString(h):
			return nil, usagef("cannot read --in: the header's column %d is not UTF-8", i+1)
		case h == "":
			return nil, usagef("cannot read --in: the header's column %d is empty: the first row names the properties", i+1)
		}
		if j, dup := seen[h]; dup {
			return nil, usagef("cannot read --in: the header names %s twice (columns %d and %d)", h, j+1, i+1)
		}
		seen[h], s.skip[i] = i, csvIgnored(h)
	}
	return s, nil
}

func (s *csvSource) next() (inputRecord, error) {
	cells, err := s.r.Read()
	if err == io.EOF {
		return inputRecord{}, io.EOF
	}
	var rec inputRecord
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		rec.n = pe.StartLine
		rec.err = fmt.Errorf("%d cells, the header has %d", len(cells), len(s.header))
	case err != nil:
		return rec, err
	default:
		rec.n, _ = s.r.FieldPos(0)
	}
	b, _ := json.Marshal([2][]string{s.header, cells})
	rec.digest = digestOf(b)
	if rec.err != nil {
		return rec, nil
	}
	rec.props = facade.Properties{}
	for i, c := range cells {
		switch {
		case !utf8.ValidString(c):
			rec.err = fmt.Errorf("column %s: invalid UTF-8 at byte %d", s.header[i], invalidUTF8At([]byte(c)))
			return rec, nil
		case c != "" && !s.skip[i]:
			rec.props[s.header[i]] = c
		}
	}
	return rec, nil
}

// quotedCR passes a CSV input to encoding/csv, which drops a carriage
// return before a line feed everywhere, inside quoted fields too: there it
// doubles the carriage return, so that a value's CRLF comes back whole. It
// refuses a row longer than max bytes, keeping memory bounded.
type quotedCR struct {
	r        *bufio.Reader
	max      int
	inQuote  bool
	rowBytes int
	pend     []byte // read and passed on, not yet returned
}

func (q *quotedCR) Read(p []byte) (int, error) {
	for len(q.pend) < len(p) {
		if len(q.pend) > 0 && q.r.Buffered() == 0 {
			break // return what there is rather than wait for more
		}
		b, err := q.r.ReadByte()
		if err != nil {
			if len(q.pend) > 0 {
				break
			}
			return 0, err
		}
		switch {
		case b == '"':
			q.inQuote = !q.inQuote
		case b == '\r' && q.inQuote:
			if next, err := q.r.Peek(1); err == nil && next[0] == '\n' {
				q.pend = append(q.pend, '\r')
			}
		case b == '\n' && !q.inQuote:
			q.rowBytes = -1
		}
		q.pend = append(q.pend, b)
		if q.rowBytes++; q.rowBytes > q.max {
			return 0, fmt.Errorf("a CSV row longer than %d bytes", q.max)
		}
	}
	n := copy(p, q.pend)
	q.pend = append(q.pend[:0], q.pend[n:]...)
	return n, nil
}
