package hubspottest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

type ctxKey struct{}

// reqInfo travels in the request context from the middleware to handlers.
type reqInfo struct {
	correlationID string
}

func withInfo(r *http.Request, info *reqInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
}

func correlationID(r *http.Request) string {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return ri.correlationID
	}
	return ""
}

// apiError is what an error answer says; writeError encodes it through the
// generated Error type of the API the request was for.
type apiError struct {
	Message     string
	Category    string
	SubCategory string
	ErrorType   string
	PolicyName  string
	GroupName   string
	RequestID   string
	Errors      []errorDetail
	Context     map[string][]string
}

type errorDetail struct {
	Message string
	Code    string
	In      string
	Context map[string][]string
}

func ptr[T any](v T) *T { return &v }

// orNil returns a pointer to v, or nil for the zero value.
func orNil[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// details converts the sub-errors of e to a generated ErrorDetail type.
func details[D any](e apiError, mk func(d errorDetail, ctx *map[string][]string) D) *[]D {
	if len(e.Errors) == 0 {
		return nil
	}
	out := make([]D, len(e.Errors))
	for i, d := range e.Errors {
		out[i] = mk(d, orNilMap(d.Context))
	}
	return &out
}

func orNilMap(m map[string][]string) *map[string][]string {
	if m == nil {
		return nil
	}
	return &m
}

// v3 is e as the v3 documents' Error (also the shape of the answers every
// path gets from the middleware: 401, 429).
func (e apiError) v3(cid string) tasks.Error {
	out := tasks.Error{
		Status: ptr("error"), Message: ptr(e.Message), CorrelationID: ptr(cid),
		Category: orNil(e.Category), ErrorType: orNil(e.ErrorType), PolicyName: orNil(e.PolicyName),
		GroupName: orNil(e.GroupName), RequestID: orNil(e.RequestID), Context: orNilMap(e.Context),
		Errors: details(e, func(d errorDetail, ctx *map[string][]string) tasks.ErrorDetail {
			return tasks.ErrorDetail{Message: ptr(d.Message), Code: orNil(d.Code), In: orNil(d.In), Context: ctx}
		}),
	}
	if e.SubCategory != "" {
		out.SubCategory = e.SubCategory
	}
	return out
}

// v1 is e as the v1 document's Error.
func (e apiError) v1(cid string) engagementsv1.Error {
	return engagementsv1.Error{
		Status: ptr("error"), Message: ptr(e.Message), CorrelationID: ptr(cid),
		Category: orNil(e.Category), SubCategory: orNil(e.SubCategory), ErrorType: orNil(e.ErrorType),
		PolicyName: orNil(e.PolicyName), GroupName: orNil(e.GroupName), RequestID: orNil(e.RequestID), Context: orNilMap(e.Context),
		Errors: details(e, func(d errorDetail, ctx *map[string][]string) engagementsv1.ErrorDetail {
			return engagementsv1.ErrorDetail{Message: ptr(d.Message), Code: orNil(d.Code), In: orNil(d.In), Context: ctx}
		}),
	}
}

// writeJSON answers status with v as JSON. The generated error types write
// an unset subCategory as null (the overlays declare it as any value, {},
// which oapi-codegen generates as an interface{} it always writes); HubSpot
// leaves it out, and the documents do not allow null: it is dropped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, fmt.Appendf(nil, `{"status":"error","message":%q,"category":"INTERNAL_ERROR"}`, err)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(dropNull(body, "subCategory"), '\n'))
}

// isV1 reports whether r is for one of the legacy v1 APIs.
func isV1(r *http.Request) bool { return !strings.HasPrefix(r.URL.Path, "/crm/") }

// isDated reports whether r is for one of the date-versioned APIs.
func isDated(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/crm/objects/") }

// writeError answers status with HubSpot's error body for e, in the shape
// of the API r is for.
func writeError(w http.ResponseWriter, r *http.Request, status int, e apiError) {
	switch {
	case isV1(r):
		writeJSON(w, status, e.v1(correlationID(r)))
	case isDated(r):
		writeJSON(w, status, e.dated(correlationID(r)))
	default:
		writeJSON(w, status, e.v3(correlationID(r)))
	}
}

// v1Error answers with the legacy v1 error shape (requestId, no category
// unless given).
func v1Error(w http.ResponseWriter, r *http.Request, status int, category, format string, args ...any) {
	writeError(w, r, status, apiError{Message: fmt.Sprintf(format, args...), Category: category, RequestID: uuid()})
}

// validationError answers 400 with HubSpot's v3 VALIDATION_ERROR shape.
func validationError(w http.ResponseWriter, r *http.Request, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	writeError(w, r, http.StatusBadRequest, apiError{
		Message: msg, Category: "VALIDATION_ERROR",
		Errors: []errorDetail{{Message: msg, Code: "INVALID_INPUT"}},
	})
}

func notFound(w http.ResponseWriter, r *http.Request, id string) {
	writeError(w, r, http.StatusNotFound, apiError{
		Message: "Object not found.  objectId are usually numeric.", Category: "OBJECT_NOT_FOUND",
		Context: map[string][]string{"id": {id}},
	})
}

// invalidValues answers 400 with HubSpot's answer to property values it
// refuses: the message lists them as JSON, errors[] has one entry each
// (naming, in a batch, the input: inputs[i]).
func invalidValues(w http.ResponseWriter, r *http.Request, bad []invalidValue) {
	e := invalidValuesError(bad)
	badRequest(w, r, &e)
}

// missingRequired answers 400 with HubSpot's 2026-09 answer to a create
// that leaves out properties the account requires: the message of the
// changelog's example, one errors[] entry each (in a batch, naming the
// input).
func missingRequired(w http.ResponseWriter, r *http.Request, bad []invalidValue) {
	e := invalidValuesError(bad)
	e.Message = "The property values provided are invalid"
	badRequest(w, r, &e)
}

// invalidValuesError is HubSpot's answer to property values it refuses.
func invalidValuesError(bad []invalidValue) apiError {
	e := apiError{Message: invalidMessage(bad), Category: "VALIDATION_ERROR"}
	for _, b := range bad {
		d := errorDetail{Message: b.Message, Code: b.Error, Context: map[string][]string{"propertyName": {b.Name}}}
		if b.input >= 0 {
			d.In = fmt.Sprintf("inputs[%d]", b.input)
		}
		e.Errors = append(e.Errors, d)
	}
	return e
}

// conflict answers 409 with HubSpot's answer to a value already used in a
// unique property, naming the record that has it (the answer HubSpot gives
// to a contact's repeated email, with the errors[] entry naming the
// property that its newer answers carry).
func conflict(w http.ResponseWriter, r *http.Request, c *uniqueConflict) {
	writeError(w, r, http.StatusConflict, apiError{
		Message:  fmt.Sprintf("%s already exists. Existing ID: %s", c.kind, c.existing),
		Category: "CONFLICT",
		Errors: []errorDetail{{
			Message: fmt.Sprintf("A %s with %s %s already exists. Existing ID: %s", strings.ToLower(c.kind), c.property, c.value, c.existing),
			In:      c.property,
		}},
	})
}
