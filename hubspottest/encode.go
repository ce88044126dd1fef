package hubspottest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

// The generated types that keep unknown fields (AdditionalProperties)
// encode themselves through a map of fields, encoding and compacting each
// again: a page of 100 records costs three times as much as the same fields
// encoded by encoding/json directly, and the server's answers are what a
// client's benchmark against it waits for. The record types the server
// writes are therefore converted to method-less copies of the generated
// ones (record, datedPlainRecord, …): the same fields and JSON names, so the
// documents still name every field the server writes, encoded directly.
// The server never fills AdditionalProperties, which they leave out.

// The v1 pages, encoded directly (their records are raw JSON already).
type (
	plainPage     engagementsv1.EngagementPage
	plainRecent   engagementsv1.RecentEngagementPage
	plainModified engagementsv1.ModifiedAfterPage
)

// writeSpliced answers status with the generated answer env, whose field
// name holds the records: env is encoded with that field left empty (the
// caller leaves it so), and the records, each encoded through plain (see
// encodeView), are put in its place.
func writeSpliced(w http.ResponseWriter, status int, env any, name string, vs []view, plain func(view) any) {
	head, err := json.Marshal(env)
	if err != nil || len(head) < 2 {
		writeJSON(w, status, env)
		return
	}
	head = dropNull(head, name)
	var b bytes.Buffer
	b.WriteString(`{"` + name + `":[`)
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encodeView(&b, v, plain); err != nil {
			writeJSON(w, http.StatusInternalServerError, apiError{Message: err.Error(), Category: "INTERNAL_ERROR"}.v3(""))
			return
		}
		if i == 0 {
			// Room for records the size of the first, rather than doubling
			// the buffer seven times for a page of a hundred.
			b.Grow(b.Len()*len(vs) + len(head) + len(vs) + 2)
		}
	}
	b.WriteByte(']')
	if len(bytes.TrimSpace(head)) > 2 {
		b.WriteByte(',')
	}
	b.Write(head[1:])
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(dropNull(b.Bytes(), "subCategory"), '\n'))
}

// propsMark stands for a record's properties while encodeView encodes the
// rest of the record: its encoding, markJSON, is found once in the
// record's bytes (a quote inside a JSON string is escaped, so these bytes
// can only be this map) and replaced by the properties.
var (
	propsMark = map[string]*string{"\x00properties": nil}
	markJSON  = []byte(`{"\u0000properties":null}`)
)

// encodeView appends to b the record of v as plain gives it, the same bytes
// as json.Marshal(plain(v)). Its properties, HubSpot's ~25 default ones on
// every task, are encoded by appendProps rather than by encoding/json's map
// encoder, which costs about three times as much: a batch answer of 100
// created records is what a client's batch benchmark against this server
// waits for.
func encodeView(b *bytes.Buffer, v view, plain func(view) any) error {
	props := v.props
	if props != nil {
		v.props = propsMark
	}
	r, err := json.Marshal(plain(v))
	if err != nil {
		return err
	}
	at := -1
	if props != nil {
		at = bytes.Index(r, markJSON)
	}
	if at < 0 {
		b.Write(r)
		return nil
	}
	b.Write(r[:at])
	b.Write(appendProps(b.AvailableBuffer(), props, v.order))
	b.Write(r[at+len(markJSON):])
	return nil
}

// appendProps appends props as json.Marshal encodes a map[string]*string:
// keys in order, a nil value as null. When order (sorted names) lists
// every key, the keys are taken from it rather than sorted: a task has
// ~28 of the ~60 properties its store defines.
func appendProps(b []byte, props map[string]*string, order []string) []byte {
	if order != nil {
		out, n := append(b, '{'), 0
		for _, k := range order {
			if p, ok := props[k]; ok {
				out = appendMember(out, n, k, p)
				n++
			}
		}
		if n == len(props) {
			return append(out, '}')
		}
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		b = appendMember(b, i, k, props[k])
	}
	return append(b, '}')
}

// appendMember appends the i-th member of a properties object.
func appendMember(b []byte, i int, k string, p *string) []byte {
	if i > 0 {
		b = append(b, ',')
	}
	b = appendString(b, k)
	b = append(b, ':')
	if p == nil {
		return append(b, "null"...)
	}
	return appendString(b, *p)
}

// appendString appends s as encoding/json spells it: as it is when that is
// printable ASCII that needs no escape (encoding/json escapes <, > and &
// too), through json.Marshal otherwise.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// dropNull removes the key name with a null value from a JSON body. A
// quote inside a JSON string is escaped, so these bytes can only be a key
// and its value.
func dropNull(body []byte, name string) []byte {
	kv := []byte(`"` + name + `":null`)
	if !bytes.Contains(body, kv) {
		return body
	}
	for _, r := range [][2]string{{`,` + string(kv) + `,`, `,`}, {`,` + string(kv) + `}`, `}`}, {`{` + string(kv) + `,`, `{`}, {`{` + string(kv) + `}`, `{}`}} {
		body = bytes.ReplaceAll(body, []byte(r[0]), []byte(r[1]))
	}
	return body
}
