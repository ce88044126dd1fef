package facade

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/internal/pipeline"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = pipeline.MaxErrorBody

// Sentinels that errors.Is matches against an *APIError (and against the
// errors that wrap one).
var (
	// ErrNotFound matches a 404 answer: no record has the id.
	ErrNotFound = errors.New("hubspot: not found")
	// ErrUnauthorized matches a 401 answer: the token is missing, unknown or expired.
	ErrUnauthorized = errors.New("hubspot: unauthorized")
	// ErrMissingScopes matches a 403 answer of category MISSING_SCOPES: the
	// token's app was not granted a scope the operation needs.
	// APIError.MissingScopes names them.
	ErrMissingScopes = errors.New("hubspot: missing scopes")
	// ErrRateLimited matches a 429 answer of any policy.
	ErrRateLimited = errors.New("hubspot: rate limited")
	// ErrDailyLimit matches a 429 answer of the DAILY policy, which waiting
	// within the day does not fix and which is therefore never retried.
	ErrDailyLimit = errors.New("hubspot: daily request limit reached")
	// ErrRecentModifiedCap is returned by Engagements.RecentlyModified when
	// HubSpot's 10,000-record cap of recent/modified stops the listing before
	// its end: use Engagements.ModifiedAfter for a complete incremental sync.
	ErrRecentModifiedCap = errors.New("hubspot: recent/modified returns at most 10,000 records; use ModifiedAfter to read them all")
	// ErrRequiredProperty matches a 400 VALIDATION_ERROR answer that
	// refuses a write for a property the account requires: one its
	// create-record form requires (MISSING_REQUIRED_PROPERTY), or one a
	// conditional rule requires (MISSING_CONDITIONAL_REQUIRED_PROPERTY).
	// HubSpot enforces both from API2026_09 on ("CRM API write validation
	// enforcement"); APIError.RefusedProperties names them.
	ErrRequiredProperty = errors.New("hubspot: a property the account requires is missing")
)

// The codes of HubSpot's errors[] entries for a property the account
// requires (API2026_09 and later; see ErrRequiredProperty).
const (
	CodeMissingRequiredProperty            = "MISSING_REQUIRED_PROPERTY"
	CodeMissingConditionalRequiredProperty = "MISSING_CONDITIONAL_REQUIRED_PROPERTY"
)

// APIError is HubSpot's answer to a request that did not succeed (any status
// outside 2xx), whatever its body: JSON in any of HubSpot's error shapes, an
// HTML gateway page or nothing. StatusCode is always set. Reach it with
// errors.As; its Error text is for people, not a contract. A token the
// answer quoted is replaced with REDACTED everywhere in it.
type APIError struct {
	// StatusCode is the HTTP status of the answer, or 207 for one input's
	// failure in a batch answer.
	StatusCode int
	// Operation names the facade operation ("tasks.batch.read",
	// "engagements.create", …).
	Operation string
	// Method and Path are the HTTP request that failed: its method and URL
	// path (never its query or token).
	Method, Path string
	// Category is HubSpot's error category (VALIDATION_ERROR,
	// OBJECT_NOT_FOUND, INVALID_AUTHENTICATION, MISSING_SCOPES,
	// RATE_LIMITS, …).
	Category string
	// SubCategory refines Category when HubSpot sends one (as JSON text
	// when it is not a string).
	SubCategory string
	// Message is HubSpot's message, or the start of a non-JSON body.
	Message string
	// CorrelationID identifies the request to HubSpot's support; from the
	// body or the X-HubSpot-Correlation-Id header.
	CorrelationID string
	// ErrorType is "RATE_LIMIT" on rate-limit answers that carry it.
	ErrorType string
	// PolicyName is the rate-limit policy that refused the request
	// (TEN_SECONDLY_ROLLING, SECONDLY, DAILY, …).
	PolicyName string
	// RequestID is the v1 request id, when HubSpot sends one.
	RequestID string
	// Errors are the sub-errors of the answer (errors[] or, from old v1
	// endpoints, validationResults[]).
	Errors []ErrorDetail
	// Context is HubSpot's context map (for example the ids concerned).
	Context map[string][]string
	// Links are HubSpot's documentation links for the error.
	Links map[string]string
	// RetryAfter is the wait the Retry-After header asked for, if any.
	RetryAfter time.Duration
	// Body is the raw answer body, read through a 1 MiB limit.
	Body []byte
}

// ErrorDetail is one sub-error of an APIError.
type ErrorDetail struct {
	// Message is HubSpot's text for this sub-error.
	Message string
	// Code says what was refused (INVALID_OPTION, PROPERTY_DOESNT_EXIST,
	// CodeMissingRequiredProperty, …).
	Code string
	// In is where in the request it is (a batch's "inputs[3]").
	In          string
	SubCategory string
	// Context is the sub-error's context; context["propertyName"] names
	// the property refused.
	Context map[string][]string
	// Name is the field a v1 validationResults entry is about.
	Name string
}

// Error describes the failure in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("hubspot: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Category != "" {
		b.WriteString(" " + e.Category)
	}
	if e.PolicyName != "" {
		b.WriteString(" (" + e.PolicyName + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if scopes := e.MissingScopes(); len(scopes) > 0 {
		b.WriteString(" (missing scopes: " + strings.Join(scopes, ", ") + ")")
	}
	if e.CorrelationID != "" {
		b.WriteString(" [correlation id " + e.CorrelationID + "]")
	}
	return b.String()
}

// Is reports whether the answer is the kind of failure target names:
// ErrNotFound, ErrUnauthorized, ErrMissingScopes, ErrRateLimited,
// ErrDailyLimit or ErrRequiredProperty.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrMissingScopes:
		return e.StatusCode == http.StatusForbidden && e.Category == "MISSING_SCOPES"
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrDailyLimit:
		return e.StatusCode == http.StatusTooManyRequests && e.PolicyName == "DAILY"
	case ErrRequiredProperty:
		return e.StatusCode == http.StatusBadRequest && e.Category == "VALIDATION_ERROR" && len(e.requiredProperties()) > 0
	}
	return false
}

// RefusedProperties returns the properties HubSpot's errors[] entries name
// (context.propertyName): the properties a VALIDATION_ERROR refused, an
// invalid value or a required property left out alike, sorted, without
// repeats; nil when no entry names one. ErrorDetail.Code says why each
// was refused.
func (e *APIError) RefusedProperties() []string {
	return e.properties(func(ErrorDetail) bool { return true })
}

// requiredProperties are the properties of the errors[] entries that say
// the account requires them.
func (e *APIError) requiredProperties() []string {
	return e.properties(func(d ErrorDetail) bool {
		return d.Code == CodeMissingRequiredProperty || d.Code == CodeMissingConditionalRequiredProperty
	})
}

func (e *APIError) properties(keep func(ErrorDetail) bool) []string {
	var out []string
	for _, d := range e.Errors {
		if keep(d) {
			out = append(out, d.Context["propertyName"]...)
		}
	}
	sort.Strings(out)
	return slices.Compact(slices.DeleteFunc(out, func(s string) bool { return s == "" }))
}

// MissingScopes returns the scopes a MISSING_SCOPES answer says the
// operation needs (HubSpot lists them in the context of the answer or of its
// sub-errors: requiredGranularScopes, requiredScopes), sorted, without
// repeats; nil for any other answer.
func (e *APIError) MissingScopes() []string {
	if e.Category != "MISSING_SCOPES" {
		return nil
	}
	seen := map[string]bool{}
	add := func(ctx map[string][]string) {
		for k, vs := range ctx {
			if !strings.Contains(strings.ToLower(k), "scope") {
				continue
			}
			for _, v := range vs {
				if v != "" {
					seen[v] = true
				}
			}
		}
	}
	add(e.Context)
	for _, d := range e.Errors {
		add(d.Context)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// newAPIError reads resp's body (through the 1 MiB limit) and closes it.
// tokens are removed from everything taken from the answer.
func newAPIError(resp *http.Response, operation string, tokens ...string) *APIError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	tokens = append(tokens, pipeline.Bearer(resp.Request))
	e := parseAPIError(resp.StatusCode, resp.Header, body, tokens...)
	e.Operation = operation
	if resp.Request != nil {
		e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
	}
	return e
}

// parseAPIError reads an error answer: any of HubSpot's error shapes (v1's
// Error schema is their union), or anything else.
func parseAPIError(status int, h http.Header, body []byte, tokens ...string) *APIError {
	red := func(s string) string { return pipeline.RedactString(s, tokens...) }
	body = []byte(red(string(body)))
	e := &APIError{
		StatusCode:    status,
		Body:          body,
		CorrelationID: red(h.Get("X-HubSpot-Correlation-Id")),
		RetryAfter:    pipeline.RetryAfter(h, time.Now()),
	}
	var eb v1.Error
	if json.Unmarshal(body, &eb) != nil || !isObject(body) {
		e.Message = snippet(body)
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
		return e
	}
	e.Message, e.Category, e.ErrorType, e.PolicyName, e.RequestID = deref(eb.Message), deref(eb.Category), deref(eb.ErrorType), deref(eb.PolicyName), deref(eb.RequestID)
	if id := deref(eb.CorrelationID); id != "" {
		e.CorrelationID = id
	}
	e.SubCategory = anyString(eb.SubCategory)
	if eb.Errors != nil {
		for _, d := range *eb.Errors {
			e.Errors = append(e.Errors, ErrorDetail{Message: deref(d.Message), Code: deref(d.Code), In: deref(d.In),
				SubCategory: anyString(d.SubCategory), Context: derefMap(d.Context)})
		}
	}
	if eb.ValidationResults != nil {
		for _, d := range *eb.ValidationResults {
			e.Errors = append(e.Errors, ErrorDetail{Message: deref(d.Message), Code: deref(d.Error), Name: deref(d.Name)})
		}
	}
	e.Context = derefMap(eb.Context)
	if eb.Links != nil {
		e.Links = *eb.Links
	}
	return e
}

func isObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return false
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefMap(p *map[string][]string) map[string][]string {
	if p == nil {
		return nil
	}
	return *p
}

// anyString gives a JSON string's value, or the JSON text of anything else.
func anyString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// rawString gives a JSON string's value, or the JSON text of anything else.
func rawString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// snippet is the start of a non-JSON body with its tags and spaces squeezed,
// enough to recognise a gateway page.
func snippet(body []byte) string {
	var b strings.Builder
	inTag := false
	for _, r := range string(body) {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
		if b.Len() > 4096 {
			break
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if r := []rune(out); len(r) > 200 {
		out = string(r[:200]) + "…"
	}
	return out
}

// ValidationError says which input was refused before any request was sent,
// and why: the field, the limit it broke and what was found.
type ValidationError struct {
	// Field names the input, as a path (for example "metadata.body" or
	// "inputs[3].id").
	Field string
	// Problem says what is wrong ("too long", "required", "out of range", …).
	Problem string
	// Limit is the bound that was broken, when there is one.
	Limit int
	// Actual is the measured size or the value found.
	Actual any
	// Allowed lists the values the field accepts, when it is an
	// enumeration.
	Allowed []string
}

// Error describes the refused input in one line.
func (e *ValidationError) Error() string {
	msg := fmt.Sprintf("hubspot: invalid %s: %s", e.Field, e.Problem)
	switch {
	case e.Limit != 0:
		msg += fmt.Sprintf(" (limit %d, got %v)", e.Limit, e.Actual)
	case e.Actual != nil:
		msg += fmt.Sprintf(" (got %v)", e.Actual)
	}
	if len(e.Allowed) > 0 {
		msg += "; allowed: " + strings.Join(e.Allowed, ", ")
	}
	return msg
}

// UncertainError reports a create whose outcome is unknown: the request may
// have reached HubSpot and been carried out, but its answer was lost. It is
// never retried automatically, because a retry could create the records
// twice. Check for the records (for example by a property you set) before
// creating them again.
type UncertainError struct {
	// Inputs are the indexes, into the inputs the caller gave, of the records
	// that may have been created.
	Inputs []int
	// Err is the failure that made the outcome unknown.
	Err error
}

// Error names how many inputs may have been created, and the cause.
func (e *UncertainError) Error() string {
	n := len(e.Inputs)
	if n == 0 {
		n = 1
	}
	return fmt.Sprintf("hubspot: outcome unknown, %d input(s) may have been created: %v", n, e.Err)
}

// Unwrap gives the failure that made the outcome unknown.
func (e *UncertainError) Unwrap() error { return e.Err }
