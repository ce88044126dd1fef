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
// documents still name every field the server writes, encoded by
// encoding/json. The server never fills AdditionalProperties, which they
// leave out.

// The v1 pages, encoded directly (their records are raw JSON already).
type (
	plainPage     engagementsv1.EngagementPage
	plainRecent   engagementsv1.RecentEngagementPage
	plainModified engagementsv1.ModifiedAfterPage
)

// writeWithRecords answers status with the generated answer env, its
// member name holding the records of vs, each as plain gives it: env is
// encoded with that member left empty (the caller leaves it so), and the
// records take its place.
func writeWithRecords(w http.ResponseWriter, status int, env any, name string, vs []view, plain func(view) any) {
	records := make([]any, len(vs))
	for i, v := range vs {
		records[i] = plain(v)
	}
	var members map[string]json.RawMessage
	head, err := json.Marshal(env)
	if err == nil {
		err = json.Unmarshal(head, &members)
	}
	if err == nil {
		members[name], err = json.Marshal(records)
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Message: err.Error(), Category: "INTERNAL_ERROR"}.v3(""))
		return
	}
	body, _ := json.Marshal(members)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(dropNull(body, "subCategory"), '\n'))
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
