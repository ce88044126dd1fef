package hubspottest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"unsafe"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The generated types that keep unknown fields (AdditionalProperties)
// encode themselves through a map of fields, encoding and compacting each
// again: a page of 100 tasks costs three times as much as the same fields
// encoded by encoding/json directly, and the server's answers are what a
// client's benchmark against it waits for. The types below are the
// generated ones without their methods: the same fields and JSON names, so
// the documents still name every field the server writes, encoded directly.
// The server never fills AdditionalProperties, which they leave out.

// record is the generated tasks.Task, encoded directly.
type record tasks.Task

// The v1 pages, encoded directly (their records are raw JSON already).
type (
	plainPage     engagementsv1.EngagementPage
	plainRecent   engagementsv1.RecentEngagementPage
	plainModified engagementsv1.ModifiedAfterPage
)

// writeRecords answers status with the generated answer env whose field
// results (the address of its results field) holds the records: env is
// encoded with the field left out, and the records, encoded as record, are
// put in its place under the field's JSON name.
func writeRecords[E any](w http.ResponseWriter, status int, env *E, results **[]tasks.Task) {
	list := *results
	*results = nil
	head, err := json.Marshal(env)
	*results = list
	if err != nil || len(head) < 2 || list == nil {
		writeJSON(w, status, env)
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"` + fieldName(env, unsafe.Pointer(results)) + `":[`)
	for i, t := range *list {
		if i > 0 {
			b.WriteByte(',')
		}
		r, err := json.Marshal(record(t))
		if err != nil {
			writeJSON(w, status, env)
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
	_, _ = w.Write(append(dropNullSubCategory(b.Bytes()), '\n'))
}

// fieldName returns the JSON name of the field of *env at address field.
func fieldName[E any](env *E, field unsafe.Pointer) string {
	v := reflect.ValueOf(env).Elem()
	for i := range v.NumField() {
		if v.Field(i).Addr().UnsafePointer() == field {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			return name
		}
	}
	panic("hubspottest: the field is not one of the answer's")
}
