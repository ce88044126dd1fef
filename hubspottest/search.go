package hubspottest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Search limits, as HubSpot documents them.
const (
	searchMaxLimit   = 200
	searchMaxResults = 10000
	maxFilterGroups  = 5
	maxGroupFilters  = 10
	maxFilters       = 25
)

type searchFilter struct {
	PropertyName string `json:"propertyName"`
	Operator     string `json:"operator"`
	Value        any    `json:"value"`
	HighValue    any    `json:"highValue"`
	Values       []any  `json:"values"`
}

type filterGroup struct {
	Filters []searchFilter `json:"filters"`
}

type searchRequest struct {
	FilterGroups []filterGroup `json:"filterGroups"`
	Sorts        []struct {
		PropertyName string `json:"propertyName"`
		Direction    string `json:"direction"`
	} `json:"sorts"`
	Query      string   `json:"query"`
	Properties []string `json:"properties"`
	Limit      any      `json:"limit"`
	After      any      `json:"after"`
}

var operators = []string{"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}

// text returns a JSON value of a request (string, number, bool) as text.
func text(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// check returns why req is refused, or "".
func (req *searchRequest) check() string {
	total := 0
	if len(req.FilterGroups) > maxFilterGroups {
		return fmt.Sprintf("Too many filter groups: %d, the limit is %d", len(req.FilterGroups), maxFilterGroups)
	}
	for _, g := range req.FilterGroups {
		if total += len(g.Filters); len(g.Filters) > maxGroupFilters {
			return fmt.Sprintf("Too many filters in a group: %d, the limit is %d", len(g.Filters), maxGroupFilters)
		}
		for _, f := range g.Filters {
			if !slices.Contains(operators, f.Operator) {
				return fmt.Sprintf("Invalid operator %q for property %q", f.Operator, f.PropertyName)
			}
		}
	}
	if total > maxFilters {
		return fmt.Sprintf("Too many filters: %d, the limit is %d", total, maxFilters)
	}
	for _, s := range req.Sorts {
		if s.Direction != "ASCENDING" && s.Direction != "DESCENDING" {
			return fmt.Sprintf("Invalid sort direction %q", s.Direction)
		}
	}
	return ""
}

// search answers a v3 search. Without sorts the results come in id
// (hs_object_id) order, ascending; sorts break their ties the same way.
func (st *objectStore) search(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if msg := req.check(); msg != "" {
		validationError(w, r, "%s", msg)
		return
	}
	limit, okL := parseInt(cmp.Or(text(req.Limit), "10"))
	after, okA := parseInt(cmp.Or(text(req.After), "0"))
	switch {
	case !okL || limit < 0 || limit > searchMaxLimit:
		validationError(w, r, "limit must be between 0 and %d, got %q", searchMaxLimit, text(req.Limit))
		return
	case !okA || after < 0:
		validationError(w, r, "after must be a non-negative integer offset, got %q", text(req.After))
		return
	}
	if limit == 0 {
		limit = 10
	}
	if after+limit > searchMaxResults {
		validationError(w, r, "Search can only return %d results: after %d plus limit %d reaches past it", searchMaxResults, after, limit)
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	hits := st.sortedObjects(func(o *object) bool { return o.archivedAt.IsZero() && st.matches(o.props, &req) })
	for i := len(req.Sorts) - 1; i >= 0; i-- {
		s := req.Sorts[i]
		slices.SortStableFunc(hits, func(a, b *object) int {
			x, y := a.props[s.PropertyName], b.props[s.PropertyName]
			switch {
			case x == nil || y == nil: // unset values last, whatever the direction
				return cmp.Compare(btoi(x == nil), btoi(y == nil))
			case s.Direction == "DESCENDING":
				return compare(*y, *x)
			}
			return compare(*x, *y)
		})
	}
	total := len(hits)
	from := min(int(after), total)
	to := min(from+int(limit), total)
	ans := collection{Total: &total, Results: []record{}}
	for _, o := range hits[from:to] {
		ans.Results = append(ans.Results, o.render(shape{props: req.Properties}))
	}
	if to < total {
		ans.Paging = nextPage(strconv.Itoa(to), "")
	}
	writeJSON(w, http.StatusOK, ans)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matches reports whether props meet the query and the filter groups (OR of
// groups, AND of the filters of a group).
func (st *objectStore) matches(props map[string]*string, req *searchRequest) bool {
	if q := strings.ToLower(req.Query); q != "" && !slices.ContainsFunc(st.queryProps, func(p string) bool {
		return props[p] != nil && strings.Contains(strings.ToLower(*props[p]), q)
	}) {
		return false
	}
	if len(req.FilterGroups) == 0 {
		return true
	}
	return slices.ContainsFunc(req.FilterGroups, func(g filterGroup) bool {
		for _, f := range g.Filters {
			if !f.matches(props[f.PropertyName]) {
				return false
			}
		}
		return true
	})
}

// matches applies f to the value p. An unset (null or "") value meets only
// NOT_HAS_PROPERTY and the negative operators NEQ, NOT_IN and
// NOT_CONTAINS_TOKEN.
func (f *searchFilter) matches(p *string) bool {
	if p == nil || *p == "" {
		return slices.Contains([]string{"NOT_HAS_PROPERTY", "NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN"}, f.Operator)
	}
	v, want := *p, text(f.Value)
	in := slices.ContainsFunc(f.Values, func(x any) bool { return compare(v, text(x)) == 0 })
	c := compare(v, want)
	switch f.Operator {
	case "EQ":
		return c == 0
	case "NEQ":
		return c != 0
	case "LT":
		return c < 0
	case "LTE":
		return c <= 0
	case "GT":
		return c > 0
	case "GTE":
		return c >= 0
	case "BETWEEN":
		return c >= 0 && compare(v, text(f.HighValue)) <= 0
	case "IN":
		return in
	case "NOT_IN":
		return !in
	case "CONTAINS_TOKEN":
		return containsToken(v, want)
	case "NOT_CONTAINS_TOKEN":
		return !containsToken(v, want)
	}
	return f.Operator == "HAS_PROPERTY"
}

// number reads s as a number: a decimal, or a date (RFC 3339 or
// YYYY-MM-DD) as epoch milliseconds.
func number(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return float64(t.UnixMilli()), true
		}
	}
	return 0, false
}

// compare orders two values numerically when both read as numbers or dates,
// else as case-insensitive text.
func compare(a, b string) int {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// containsToken reports whether a token of v (the whole value, its
// whitespace-separated words or its alphanumeric runs) matches pattern, in
// which * stands for any text; case is ignored.
func containsToken(v, pattern string) bool {
	v, pattern = strings.ToLower(v), strings.ToLower(pattern)
	tokens := append(strings.Fields(v), v)
	tokens = append(tokens, strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	return slices.ContainsFunc(tokens, func(t string) bool { return glob(pattern, t) })
}

// glob matches s against pattern, where * stands for any text.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	last := parts[len(parts)-1]
	if !strings.HasPrefix(s, parts[0]) || !strings.HasSuffix(s, last) || len(s) < len(parts[0])+len(last) {
		return false
	}
	s = s[len(parts[0]) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
