package hubspottest

import (
	"bytes"
	"encoding/json"
	"net/http"

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
// caller leaves it so), and the records, each encoded through plain, are
// put in its place.
func writeSpliced[R any](w http.ResponseWriter, status int, env any, name string, recs []R, plain func(R) any) {
	head, err := json.Marshal(env)
	if err != nil || len(head) < 2 {
		writeJSON(w, status, env)
		return
	}
	head = dropNull(head, name)
	var b bytes.Buffer
	b.WriteString(`{"` + name + `":[`)
	for i, rec := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		r, err := json.Marshal(plain(rec))
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, apiError{Message: err.Error(), Category: "INTERNAL_ERROR"}.v3(""))
			return
		}
		b.Write(r)
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
