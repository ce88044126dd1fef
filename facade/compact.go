package facade

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// HubSpot sends a record as compact JSON with a handful of top-level
// fields and a flat object of string (or null) properties. encoding/json
// reads such a record twice (it checks the whole value, then decodes it by
// reflection); a page of 100 tasks, or a batch of 100 created ones, is
// ~130 KB, read on every page of an export. The readers here take records
// of exactly that shape in one pass and leave anything else to
// encoding/json, with which they agree on every input (FuzzQuickObjectView,
// FuzzRawCarries).

// The JSON names of objectView's fields, from its tags: the views test
// holds the tags to the generated record types, so the names are written
// once.
var (
	nameID         = jsonName[objectView]("ID")
	nameCreatedAt  = jsonName[objectView]("CreatedAt")
	nameUpdatedAt  = jsonName[objectView]("UpdatedAt")
	nameArchivedAt = jsonName[objectView]("ArchivedAt")
	nameArchived   = jsonName[objectView]("Archived")
	nameProperties = jsonName[objectView]("Properties")
)

// jsonName returns the JSON name of T's field, from its tag.
func jsonName[T any](field string) string {
	f, ok := reflect.TypeFor[T]().FieldByName(field)
	if !ok {
		panic("facade: no field " + field)
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// quickObjectView fills v from b when b is a compact JSON object whose
// names are spelt without escapes, whose id, createdAt, updatedAt and
// archivedAt are strings without escapes, archived is true or false,
// properties is null or a compact object of strings and nulls, and which
// has no other field (names as objectView's tags give them). It reports
// whether it did; when it did, b is valid JSON and json.Unmarshal would
// have filled v the same way.
func quickObjectView(b []byte, v *objectView) bool {
	out, props, end, ok := readRecord(b, 0)
	if !ok || end != len(b) {
		return false
	}
	if props[1] > 0 {
		out.Properties = ownedJSON(b[props[0]:props[1]:props[1]])
	}
	*v = out
	return true
}

// readRecord reads the record that quickObjectView takes at b[p], and
// returns its view (without Properties), the span of its properties in b
// (zero when absent) and the index after it.
func readRecord(b []byte, p int) (objectView, [2]int, int, bool) {
	var out objectView
	var props [2]int
	if p+1 >= len(b) || b[p] != '{' {
		return out, props, p, false
	}
	if b[p+1] == '}' {
		return out, props, p + 2, true
	}
	for p++; ; {
		var key []byte
		var ok, last bool
		if key, p, ok = memberName(b, p); !ok {
			return out, props, p, false
		}
		ok = false
		switch string(key) {
		case nameID:
			out.ID, p, ok = plainString(b, p)
		case nameCreatedAt:
			out.CreatedAt, p, ok = plainString(b, p)
		case nameUpdatedAt:
			out.UpdatedAt, p, ok = plainString(b, p)
		case nameArchivedAt:
			out.ArchivedAt, p, ok = plainString(b, p)
		case nameArchived:
			switch {
			case bytes.HasPrefix(b[p:], []byte("true")):
				out.Archived, p, ok = true, p+4, true
			case bytes.HasPrefix(b[p:], []byte("false")):
				out.Archived, p, ok = false, p+5, true
			}
		case nameProperties:
			start := p
			if p, ok = flatStrings(b, p); ok {
				props = [2]int{start, p}
			}
		}
		if !ok {
			return out, props, p, false
		}
		if p, last, ok = memberEnd(b, p); !ok || last {
			return out, props, p, ok
		}
	}
}

// recordsAnswer is an answer whose results are records: a page of a
// listing or a search, or a batch's answer.
type recordsAnswer interface {
	setRecords([]Object)
}

func (c *collection) setRecords(r []Object)  { c.Results = r }
func (a *batchAnswer) setRecords(r []Object) { a.Results = r }

// nameResults is the JSON name of the records in a recordsAnswer.
var nameResults = jsonName[collection]("Results")

// resultsProbe tells whether an answer has a member encoding/json would
// decode into the results (another spelling, a second one).
type resultsProbe struct {
	Results decoded `json:"results"`
}

// decoded records that encoding/json decoded a value into it, null
// included.
type decoded bool

func (d *decoded) UnmarshalJSON([]byte) error { *d = true; return nil }

// quickAnswer decodes body into out when its records are read by
// readRecord, reading each once: HubSpot's answers name results first
// (after a status), and a page or a batch of 100 records is ~130 KB that
// encoding/json would check, then scan again to hand each record to
// Object.UnmarshalJSON, which reads it a third time. The members before the
// results must be strings, numbers or literals; the rest of the answer,
// with the results taken out, goes to encoding/json. It reports whether it
// decoded body; when it did, json.Unmarshal(body, out) would have given the
// same (FuzzQuickAnswer).
func quickAnswer(body []byte, out recordsAnswer) bool {
	if len(body) < 2 || body[0] != '{' {
		return false
	}
	for p := 1; ; {
		// A name with a backslash would be read here to its first quote, an
		// escaped one, and by encoding/json to the end: refused, so that the
		// two read the same strings.
		name, vp, ok := memberName(body, p)
		if !ok || bytes.IndexByte(name, '\\') >= 0 {
			return false
		}
		if string(name) != nameResults {
			if p, ok = skipScalar(body, vp); !ok || p >= len(body) || body[p] != ',' {
				return false
			}
			p++
			continue
		}
		recs, end, ok := readRecords(body, vp)
		if !ok || end >= len(body) {
			return false
		}
		// The answer without this member: "results":[…] and one comma.
		rest := make([]byte, 0, p+len(body)-end)
		switch {
		case body[end] == ',' && end+1 < len(body) && body[end+1] == '"':
			rest = append(append(rest, body[:p]...), body[end+1:]...)
		case body[end] == '}' && body[p-1] == ',':
			rest = append(append(rest, body[:p-1]...), body[end:]...)
		case body[end] == '}':
			rest = append(append(rest, body[:p]...), body[end:]...)
		default:
			return false // neither another member nor the end
		}
		var probe resultsProbe
		if json.Unmarshal(rest, &probe) != nil || probe.Results {
			return false
		}
		if json.Unmarshal(rest, out) != nil {
			return false
		}
		out.setRecords(recs)
		return true
	}
}

// readRecords reads, at b[p], an array of records that readRecord takes,
// each kept in a copy of its own bytes (b is a pooled buffer), and returns
// the index after it.
func readRecords(b []byte, p int) ([]Object, int, bool) {
	if p >= len(b) || b[p] != '[' {
		return nil, p, false
	}
	p++
	recs := []Object{}
	if p < len(b) && b[p] == ']' {
		return recs, p + 1, true
	}
	for {
		v, props, end, ok := readRecord(b, p)
		if !ok {
			return nil, p, false
		}
		raw := append(json.RawMessage(nil), b[p:end]...)
		if props[1] > 0 {
			v.Properties = ownedJSON(raw[props[0]-p : props[1]-p : props[1]-p])
		}
		recs = append(recs, Object{raw: raw, v: v, props: &lazyProps{}})
		if p = end; p >= len(b) {
			return nil, p, false
		}
		switch b[p] {
		case ',':
			p++
		case ']':
			return recs, p + 1, true
		default:
			return nil, p, false
		}
	}
}

// skipScalar returns the index after the JSON string, number, true, false
// or null at b[p]. A number's bytes are only delimited here: quickAnswer
// hands them to encoding/json with the rest of the answer, which checks
// them; strings and literals are read exactly, since a quote skipped
// unread would put the two readers out of step.
func skipScalar(b []byte, p int) (int, bool) {
	if p >= len(b) {
		return p, false
	}
	for _, lit := range []string{"true", "false", "null"} {
		if b[p] == lit[0] {
			return p + len(lit), bytes.HasPrefix(b[p:], []byte(lit))
		}
	}
	if b[p] == '"' {
		return validString(b, p)
	}
	q := p
	for q < len(b) && strings.IndexByte("+-.eE0123456789", b[q]) >= 0 {
		q++
	}
	return q, q > p
}

// rawCarries reports whether the JSON object raw holds each property of in
// with the same value, judged from its bytes in one pass: raw is read as
// compact {"name":"value" or null,...}, as HubSpot and the fake send
// properties. A false answer means "not shown this way", not "absent": the
// caller then parses. It answers false for whatever it cannot judge from
// the bytes alone: spaces, a value that is not a string or null, a name
// with an escape or a non-ASCII byte (another spelling of the same name), a
// name of in found twice, an escape in a compared value, and names or
// values of in that JSON would spell otherwise. So when it answers true,
// decoding raw gives each property of in its value (FuzzRawCarries).
func rawCarries(raw []byte, in Properties) bool {
	for k, v := range in {
		if !plainJSON(k) || !plainJSON(v) {
			return false
		}
	}
	if len(raw) < 2 || raw[0] != '{' {
		return false
	}
	if raw[1] == '}' {
		return len(raw) == 2 && len(in) == 0
	}
	var names [8][]byte
	seen := names[:0] // the names of in found so far
	for p := 1; ; {
		var key []byte
		var ok, last bool
		if key, p, ok = memberName(raw, p); !ok || slices.ContainsFunc(key, func(c byte) bool { return c == '\\' || c >= utf8.RuneSelf }) {
			return false
		}
		var val []byte // nil for null
		switch {
		case p < len(raw) && raw[p] == '"':
			end := stringEnd(raw, p)
			if end < 0 {
				return false
			}
			val, p = raw[p+1:end], end+1
		case bytes.HasPrefix(raw[p:], []byte("null")):
			p += 4
		default:
			return false
		}
		if v, ok := in[string(key)]; ok {
			if val == nil || string(val) != v || slices.ContainsFunc(seen, func(s []byte) bool { return bytes.Equal(s, key) }) {
				return false
			}
			seen = append(seen, key)
		}
		if p, last, ok = memberEnd(raw, p); !ok {
			return false
		}
		if last {
			return p == len(raw) && len(seen) == len(in)
		}
	}
}

// memberName reads `"name":` at b[p], the name being the bytes up to the
// next quote (a name with an escaped quote ends early, which its readers,
// refusing escapes in names, refuse), and returns the index after it.
func memberName(b []byte, p int) ([]byte, int, bool) {
	if p >= len(b) || b[p] != '"' {
		return nil, p, false
	}
	end := bytes.IndexByte(b[p+1:], '"')
	if end < 0 {
		return nil, p, false
	}
	name := b[p+1 : p+1+end]
	p += end + 2
	if p >= len(b) || b[p] != ':' {
		return nil, p, false
	}
	return name, p + 1, true
}

// memberEnd reads the ',' or '}' after a member's value at b[p], and
// returns the index after it and whether it closed the object.
func memberEnd(b []byte, p int) (int, bool, bool) {
	if p >= len(b) {
		return p, false, false
	}
	switch b[p] {
	case ',':
		return p + 1, false, p+1 < len(b)
	case '}':
		return p + 1, true, true
	}
	return p, false, false
}

// plainString reads the JSON string at b[p] when it has no escape and is
// valid UTF-8 (encoding/json would change neither), returning it and the
// index after it.
func plainString(b []byte, p int) (string, int, bool) {
	if p >= len(b) || b[p] != '"' {
		return "", p, false
	}
	for q := p + 1; q < len(b); q++ {
		switch c := b[q]; {
		case c == '"':
			s := b[p+1 : q]
			if !utf8.Valid(s) {
				return "", p, false
			}
			return string(s), q + 1, true
		case c == '\\' || c < 0x20:
			return "", p, false
		}
	}
	return "", p, false
}

// flatStrings reads, at b[p], null or a compact JSON object whose values
// are strings or null, checking each string as the JSON grammar does
// (escapes, control characters). It returns the index after it.
func flatStrings(b []byte, p int) (int, bool) {
	if bytes.HasPrefix(b[p:], []byte("null")) {
		return p + 4, true
	}
	if p >= len(b) || b[p] != '{' {
		return p, false
	}
	p++
	if p < len(b) && b[p] == '}' {
		return p + 1, true
	}
	for {
		var ok, last bool
		if p, ok = validString(b, p); !ok || p >= len(b) || b[p] != ':' {
			return p, false
		}
		p++
		if bytes.HasPrefix(b[p:], []byte("null")) {
			p += 4
		} else if p, ok = validString(b, p); !ok {
			return p, false
		}
		if p, last, ok = memberEnd(b, p); !ok || last {
			return p, ok
		}
	}
}

// validString checks the JSON string at b[p] and returns the index after
// it.
func validString(b []byte, p int) (int, bool) {
	if p >= len(b) || b[p] != '"' {
		return p, false
	}
	for q := p + 1; q < len(b); q++ {
		switch c := b[q]; {
		case c == '"':
			return q + 1, true
		case c < 0x20:
			return p, false
		case c == '\\':
			q++
			if q >= len(b) {
				return p, false
			}
			switch b[q] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if q+4 >= len(b) {
					return p, false
				}
				for _, h := range b[q+1 : q+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return p, false
					}
				}
				q += 4
			default:
				return p, false
			}
		}
	}
	return p, false
}

// stringEnd returns the index of the quote that closes the JSON string
// opening at raw[open], or -1; it does not check the string.
func stringEnd(raw []byte, open int) int {
	for q := open + 1; q < len(raw); q++ {
		e := bytes.IndexByte(raw[q:], '"')
		if e < 0 {
			return -1
		}
		q += e
		n := 0 // backslashes before the quote: an odd count escapes it
		for n < q-open-1 && raw[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q
		}
	}
	return -1
}

// plainJSON reports whether s is spelt in a JSON string as it is: valid
// UTF-8 without quotes, backslashes or control characters.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return utf8.ValidString(s)
}
