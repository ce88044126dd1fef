package hubspottest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/engagekit/hubspot-engagements/internal/specdocs"
)

// maxBody is the largest request body the server reads.
const maxBody = 32 << 20

// opRoute is what the server checks a request of one operation against.
type opRoute struct {
	route    routers.Route
	params   []string                    // the path's parameters
	body     *openapi3.Schema            // the JSON body's schema, nil when it takes none
	required bool                        // whether it must have a body
	variants map[string]*openapi3.Schema // a oneOf body's variant by engagement.type
}

// specRoutes are the operations of the documents by the mux pattern
// the generated code registers them under ("GET /crm/v3/objects/tasks").
type specRoutes struct {
	byPattern map[string]*opRoute
}

// loadRoutes reads the overlaid documents once per process; the schemas
// are only read afterwards, by any number of servers.
var loadRoutes = sync.OnceValues(func() (*specRoutes, error) {
	sr := &specRoutes{byPattern: map[string]*opRoute{}}
	for _, get := range specdocs.All {
		doc, err := get()
		if err != nil {
			return nil, fmt.Errorf("hubspottest: load a spec: %w", err)
		}
		// openapi3filter validates parameters of an OpenAPI 3.1 document
		// with a JSON Schema 2020-12 validator it compiles anew on every
		// call; its own validator handles what these documents use (type
		// lists with null, const, not) and needs no compiling, so the
		// routes carry the document as 3.0.
		legacy := *doc
		legacy.OpenAPI = "3.0.3"
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				rt := &opRoute{route: routers.Route{Spec: &legacy, Path: path, PathItem: item, Method: method, Operation: op}}
				for seg := range strings.SplitSeq(path, "/") {
					if name, ok := strings.CutPrefix(seg, "{"); ok {
						rt.params = append(rt.params, strings.TrimSuffix(name, "}"))
					}
				}
				if rb := op.RequestBody; rb != nil && rb.Value != nil {
					if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
						rt.body, rt.required = mt.Schema.Value, rb.Value.Required
						rt.variants = engagementVariants(mt.Schema.Value)
					}
				}
				sr.byPattern[method+" "+path] = rt
			}
		}
	}
	return sr, nil
})

// engagementVariants returns, for a oneOf whose variants pin
// engagement.type with a one-value enum (the v1 create), each variant by
// its type; nil for other schemas.
func engagementVariants(s *openapi3.Schema) map[string]*openapi3.Schema {
	if len(s.OneOf) == 0 {
		return nil
	}
	out := map[string]*openapi3.Schema{}
	for _, v := range s.OneOf {
		eng := v.Value.Properties["engagement"]
		if eng == nil {
			return nil
		}
		for _, part := range eng.Value.AllOf {
			if t := part.Value.Properties["type"]; t != nil && len(t.Value.Enum) == 1 {
				out[fmt.Sprint(t.Value.Enum[0])] = v.Value
			}
		}
	}
	return out
}

// problem is one way a request breaks its document.
type problem struct {
	in, msg, code string
	body          bool   // in the body, not a parameter
	enum          string // the value, when it is not one of an enumeration's
}

// checkRequest is the middleware of every operation: it checks the request
// against its document with kin-openapi before the handler runs, and
// answers HubSpot's 400 naming what broke. It also turns the numbers and
// booleans HubSpot takes where the document (and so the generated types)
// want a string into their text, as HubSpot does.
func (s *Server) checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt := s.specs.byPattern[r.Pattern]; rt != nil {
			if e := rt.check(w, r); e != nil {
				badRequest(w, r, e)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// badRequest answers 400 with e; a v1 answer carries a requestId.
func badRequest(w http.ResponseWriter, r *http.Request, e *apiError) {
	if isV1(r) {
		e.RequestID = uuid()
	}
	writeError(w, r, http.StatusBadRequest, *e)
}

// invalidRequest is HubSpot's 400 for a request that breaks its document.
func invalidRequest(r *http.Request, probs []problem) *apiError {
	p := probs[0]
	if p.enum != "" && p.in != "" && !p.body && isV1(r) {
		// The v1 API is Java behind Jackson, which words it so.
		class := strings.ToUpper(p.in[:1]) + p.in[1:]
		return &apiError{Message: fmt.Sprintf("Invalid enum constant '%s' for class %s", p.enum, class)}
	}
	e := &apiError{Category: "VALIDATION_ERROR", Message: "Invalid input: "}
	if p.body {
		e.Message = "Invalid input JSON: "
	}
	if p.in != "" {
		e.Message += p.in + ": "
	}
	e.Message += p.msg
	if len(probs) > 1 {
		e.Message += fmt.Sprintf(" (and %d more)", len(probs)-1)
	}
	for _, p := range probs {
		e.Errors = append(e.Errors, errorDetail{Message: p.msg, Code: p.code, In: p.in})
	}
	return e
}

// paramError answers a parameter the generated code could not read. The
// generated error types of each package name it in a ParamName field.
func paramError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{msg: err.Error(), code: "INVALID_PARAMETER"}
	if v := reflect.Indirect(reflect.ValueOf(err)); v.Kind() == reflect.Struct {
		if f := v.FieldByName("ParamName"); f.Kind() == reflect.String {
			p.in = f.String()
		}
	}
	badRequest(w, r, invalidRequest(r, []problem{p}))
}

// check returns HubSpot's answer when r breaks its document, or nil. It
// leaves r's body ready for the handler.
func (rt *opRoute) check(w http.ResponseWriter, r *http.Request) *apiError {
	pathParams := make(map[string]string, len(rt.params))
	for _, p := range rt.params {
		pathParams[p] = r.PathValue(p)
	}
	var probs []problem
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: &rt.route,
		Options: &openapi3filter.Options{ExcludeRequestBody: true, SkipSettingDefaults: true, MultiError: true,
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		probs = problems(err, "", false)
	}
	if rt.body != nil {
		probs = append(probs, rt.checkBody(w, r)...)
	}
	if len(probs) > 0 {
		return invalidRequest(r, probs)
	}
	return nil
}

// checkBody checks the JSON body of r against the operation's schema.
func (rt *opRoute) checkBody(w http.ResponseWriter, r *http.Request) []problem {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	switch {
	case err != nil:
		return []problem{{msg: err.Error(), code: "INVALID_INPUT", body: true}}
	case len(bytes.TrimSpace(body)) == 0 && rt.required:
		return []problem{{msg: "a request body is required", code: "MISSING_REQUIRED_PROPERTY", body: true}}
	case len(bytes.TrimSpace(body)) == 0:
		return nil
	}
	v, err := decodeJSON(body)
	if err != nil {
		return []problem{{msg: err.Error(), code: "INVALID_INPUT", body: true}}
	}
	schema := rt.body
	if rt.variants != nil {
		if _, ok := v.(map[string]any); !ok {
			return []problem{{msg: "the body must be a JSON object", code: "INVALID_INPUT", body: true}}
		}
		typ, _ := jsonPath(v, "engagement", "type").(string)
		if schema = rt.variants[typ]; schema == nil {
			if typ == "" {
				return []problem{{in: "engagement", msg: `property "type" is missing`, code: "MISSING_REQUIRED_PROPERTY", body: true}}
			}
			return []problem{{in: "engagementType", msg: "not one of the engagement types", enum: typ, code: "INVALID_INPUT"}}
		}
	}
	dropped := strings.HasSuffix(rt.route.Path, "/search") && dropStringSorts(v)
	if coerce(schema, v) || dropped {
		if body, err = json.Marshal(v); err != nil {
			return []problem{{msg: err.Error(), code: "INVALID_INPUT", body: true}}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := schema.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.MultiErrors()); err != nil {
		return problems(err, "", true)
	}
	return nil
}

// decodeJSON decodes one JSON value, numbers as json.Number; its error
// says where the body cannot be read, as HubSpot does.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	if err == nil {
		return v, nil
	}
	offset := dec.InputOffset()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		offset = se.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		offset = int64(len(body))
	}
	before := body[:min(int(offset), len(body))]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return nil, fmt.Errorf("on line %d, column %d: %w", line, col, err)
}

func jsonPath(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// wantsString reports whether s takes only strings.
func wantsString(s *openapi3.Schema) bool {
	return s.Type.Is(openapi3.TypeString)
}

// coerce turns, in v, the numbers and booleans where s wants a string into
// their text, and null property values (an object of strings) into "",
// as HubSpot reads its input. It reports whether it changed anything.
func coerce(s *openapi3.Schema, v any) bool {
	changed := false
	for _, part := range s.AllOf {
		changed = coerce(part.Value, v) || changed
	}
	switch val := v.(type) {
	case map[string]any:
		for k, x := range val {
			var child *openapi3.Schema
			if p := s.Properties[k]; p != nil {
				child = p.Value
				if x == nil && wantsString(child) {
					// Jackson reads null into a String field as no value.
					delete(val, k)
					changed = true
					continue
				}
			} else if ap := s.AdditionalProperties.Schema; ap != nil {
				child = ap.Value
				if x == nil && wantsString(child) {
					val[k], changed = "", true
					continue
				}
			}
			if child == nil {
				continue
			}
			if t, ok := scalarText(x); ok && wantsString(child) {
				val[k], changed = t, true
				continue
			}
			changed = coerce(child, x) || changed
		}
	case []any:
		if s.Items == nil {
			return changed
		}
		for i, x := range val {
			if t, ok := scalarText(x); ok && wantsString(s.Items.Value) {
				val[i], changed = t, true
				continue
			}
			changed = coerce(s.Items.Value, x) || changed
		}
	}
	return changed
}

// dropStringSorts removes, from a search body v, the sorts sent as strings,
// and reports whether there were any. HubSpot's own documents type a sort
// as a string, so its clients send them (@hubspot/api-client's
// PublicObjectSearchRequest.sorts is string[]); HubSpot answers such a
// search, unsorted: it ignores a sort that is not a {propertyName,
// direction} object (hubspot-api-nodejs#14, hubspot-api-ruby#257).
func dropStringSorts(v any) bool {
	m, _ := v.(map[string]any)
	sorts, ok := m["sorts"].([]any)
	if !ok {
		return false
	}
	kept := slices.DeleteFunc(slices.Clone(sorts), func(x any) bool { _, s := x.(string); return s })
	m["sorts"] = kept
	return len(kept) < len(sorts)
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// problems flattens a kin-openapi error into one problem per broken rule;
// in names the parameter or field the error is about.
func problems(err error, in string, body bool) []problem {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []problem
		for _, x := range e {
			out = append(out, problems(x, in, body)...)
		}
		return out
	case *openapi3filter.RequestError:
		if e.Parameter != nil {
			in = e.Parameter.Name
		}
		if e.Err != nil {
			return problems(e.Err, in, body)
		}
		return []problem{{in: in, msg: e.Reason, code: "INVALID_PARAMETER", body: body}}
	case *openapi3.SchemaError:
		if e.Origin != nil {
			if nested := problems(e.Origin, in, body); len(nested) > 0 {
				return nested
			}
		}
		p := problem{in: in, msg: e.Reason, code: "INVALID_INPUT", body: body}
		if ptr := e.JSONPointer(); len(ptr) > 0 {
			p.in = fieldPath(ptr)
		}
		switch e.SchemaField {
		case "required":
			p.code = "MISSING_REQUIRED_PROPERTY"
		case "enum":
			p.enum = fmt.Sprint(e.Value)
		}
		return []problem{p}
	case *openapi3filter.ParseError:
		return []problem{{in: in, msg: e.Error(), code: "INVALID_PARAMETER", body: body}}
	}
	if u := errors.Unwrap(err); u != nil {
		return problems(u, in, body)
	}
	return []problem{{in: in, msg: err.Error(), code: "INVALID_INPUT", body: body}}
}

// fieldPath writes a JSON pointer as a field path: inputs[3].properties.
func fieldPath(ptr []string) string {
	var b strings.Builder
	for _, p := range ptr {
		if _, err := strconv.Atoi(p); err == nil {
			fmt.Fprintf(&b, "[%s]", p)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
