package facade

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Sentinels that errors.Is matches against an *APIError (and against the
// errors that wrap one).
var (
	// ErrNotFound matches a 404 answer: no record has the id.
	ErrNotFound = errors.New("hubspot: not found")
	// ErrUnauthorized matches a 401 answer: the token is missing, unknown or expired.
	ErrUnauthorized = errors.New("hubspot: unauthorized")
	// ErrRateLimited matches a 429 answer of any policy.
	ErrRateLimited = errors.New("hubspot: rate limited")
	// ErrDailyLimit matches a 429 answer of the DAILY policy, which waiting
	// within the day does not fix and which is therefore never retried.
	ErrDailyLimit = errors.New("hubspot: daily request limit reached")
	// ErrRecentModifiedCap is returned by Engagements.RecentlyModified when
	// HubSpot's 10,000-record cap of recent/modified stops the listing before
	// its end: use Engagements.ModifiedAfter for a complete incremental sync.
	ErrRecentModifiedCap = errors.New("hubspot: recent/modified returns at most 10,000 records; use ModifiedAfter to read them all")
)

// APIError is HubSpot's answer to a request that did not succeed (any status
// outside 2xx), whatever its body: JSON in any of HubSpot's error shapes, an
// HTML gateway page or nothing. StatusCode is always set. Reach it with
// errors.As; its Error text is for people, not a contract.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Method and Path name the request that failed (never its query or token).
	Method, Path string
	// Category is HubSpot's error category (VALIDATION_ERROR,
	// OBJECT_NOT_FOUND, INVALID_AUTHENTICATION, RATE_LIMITS, …).
	Category string
	// SubCategory refines Category when HubSpot sends one.
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
	Message     string              `json:"message,omitempty"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
	// Name is the field a v1 validationResults entry is about.
	Name string `json:"name,omitempty"`
}

// Error describes the failure in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hubspot: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Category != "" {
		b.WriteString(" " + e.Category)
	}
	if e.PolicyName != "" {
		b.WriteString(" (" + e.PolicyName + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.CorrelationID != "" {
		b.WriteString(" [correlation id " + e.CorrelationID + "]")
	}
	return b.String()
}

// Is reports whether the answer is the kind of failure target names:
// ErrNotFound, ErrUnauthorized, ErrRateLimited or ErrDailyLimit.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrDailyLimit:
		return e.StatusCode == http.StatusTooManyRequests && e.PolicyName == "DAILY"
	}
	return false
}

// errorBody is the union of HubSpot's error shapes (v3, v1, rate limits).
type errorBody struct {
	Message           string              `json:"message"`
	CorrelationID     string              `json:"correlationId"`
	Category          string              `json:"category"`
	SubCategory       json.RawMessage     `json:"subCategory"`
	ErrorType         string              `json:"errorType"`
	PolicyName        string              `json:"policyName"`
	RequestID         string              `json:"requestId"`
	Errors            []ErrorDetail       `json:"errors"`
	ValidationResults []ErrorDetail       `json:"validationResults"`
	Context           map[string][]string `json:"context"`
	Links             map[string]string   `json:"links"`
}

// newAPIError reads resp's body (through the 1 MiB limit) and closes it.
func newAPIError(resp *http.Response) *APIError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{
		StatusCode:    resp.StatusCode,
		Body:          body,
		CorrelationID: resp.Header.Get("X-HubSpot-Correlation-Id"),
		RetryAfter:    retryAfter(resp.Header, time.Now()),
	}
	if resp.Request != nil {
		e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		e.Message = snippet(body)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return e
	}
	e.Message, e.Category, e.ErrorType, e.PolicyName, e.RequestID = eb.Message, eb.Category, eb.ErrorType, eb.PolicyName, eb.RequestID
	if eb.CorrelationID != "" {
		e.CorrelationID = eb.CorrelationID
	}
	e.SubCategory = rawString(eb.SubCategory)
	e.Errors = append(eb.Errors, eb.ValidationResults...)
	e.Context, e.Links = eb.Context, eb.Links
	return e
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
	s := string(body)
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if len(out) > 200 {
		out = out[:200] + "…"
	}
	return out
}

// maxRetryAfter caps what a Retry-After header can ask for, so that a
// far-future date or a huge number of seconds cannot overflow a duration.
const maxRetryAfter = 24 * time.Hour

// retryAfter parses a Retry-After header (seconds or an HTTP date) at now.
// A wait of more than a day is capped at a day: no retry policy waits that
// long, so the request fails at once with the answer that asked for it.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(min(s, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if t.After(now.Add(maxRetryAfter)) {
			return maxRetryAfter
		}
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
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
	return fmt.Sprintf("hubspot: outcome unknown, %d input(s) may have been created: %v", len(e.Inputs), e.Err)
}

// Unwrap gives the failure that made the outcome unknown.
func (e *UncertainError) Unwrap() error { return e.Err }
