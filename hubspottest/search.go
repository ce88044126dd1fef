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

// searchInput is a search request.
type searchInput struct {
	query      string
	groups     [][]filter
	sorts      []sortKey
	limit      *int
	after      string
	properties []string
}

// sortKey is one sort of a search.
type sortKey struct {
	prop string
	desc bool
}

// search answers a search. Without sorts the results come in id
// (hs_object_id) order, ascending; sorts break their ties the same way.
// A filter's value is text (checkRequest turns the numbers and booleans
// HubSpot takes into text).
func (st *objectStore) search(w http.ResponseWriter, r *http.Request, wr wire) {
	req, ok := wr.readSearch(w, r)
	if !ok {
		return
	}
	if msg := checkSearch(req.groups); msg != "" {
		validationError(w, r, "%s", msg)
		return
	}
	limit, after := 10, int64(0)
	if req.limit != nil && *req.limit != 0 {
		limit = *req.limit
	}
	if req.after != "" {
		if after, ok = parseInt(req.after); !ok || after < 0 {
			validationError(w, r, "after must be a non-negative integer offset, got %q", req.after)
			return
		}
	}
	if limit < 0 || limit > searchMaxLimit {
		validationError(w, r, "limit must be between 0 and %d, got %d", searchMaxLimit, limit)
		return
	}
	if after+int64(limit) > searchMaxResults {
		validationError(w, r, "Search can only return %d results: after %d plus limit %d reaches past it", searchMaxResults, after, limit)
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	hits := st.sortedObjects(func(o *object) bool { return o.live() && st.indexed(o) && st.matches(o, req.query, req.groups) })
	for i := len(req.sorts) - 1; i >= 0; i-- {
		name, desc := req.sorts[i].prop, req.sorts[i].desc
		slices.SortStableFunc(hits, func(a, b *object) int {
			x, _ := st.value(a, name)
			y, _ := st.value(b, name)
			switch {
			case x == nil || y == nil: // unset values last, whatever the direction
				return cmp.Compare(btoi(x == nil), btoi(y == nil))
			case desc:
				return compare(*y, *x)
			}
			return compare(*x, *y)
		})
	}
	total := len(hits)
	from := min(int(after), total)
	to := min(from+limit, total)
	vs := make([]view, 0, to-from)
	for _, o := range hits[from:to] {
		vs = append(vs, st.view(o, shape{props: req.properties}))
	}
	next := ""
	if to < total {
		next = strconv.Itoa(to)
	}
	wr.writeFound(w, vs, total, next)
}

// filter is one search filter.
type filter struct {
	prop, op, value, high string
	values                []string
}

// checkSearch returns why the filter groups of a search are refused, or
// "". The documents check the operators and directions; HubSpot's limits
// on filters they cannot say.
func checkSearch(groups [][]filter) string {
	if len(groups) > maxFilterGroups {
		return fmt.Sprintf("Too many filter groups: %d, the limit is %d", len(groups), maxFilterGroups)
	}
	total := 0
	for _, g := range groups {
		n := len(g)
		if total += n; n > maxGroupFilters {
			return fmt.Sprintf("Too many filters in a group: %d, the limit is %d", n, maxGroupFilters)
		}
	}
	if total > maxFilters {
		return fmt.Sprintf("Too many filters: %d, the limit is %d", total, maxFilters)
	}
	return ""
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matches reports whether o meets the query and the filter groups (OR of
// groups, AND of the filters of a group).
func (st *objectStore) matches(o *object, query string, groups [][]filter) bool {
	if q := strings.ToLower(query); q != "" && !slices.ContainsFunc(st.text, func(p string) bool {
		v, _ := st.value(o, p)
		return v != nil && strings.Contains(strings.ToLower(*v), q)
	}) {
		return false
	}
	if len(groups) == 0 {
		return true
	}
	return slices.ContainsFunc(groups, func(g []filter) bool {
		for _, f := range g {
			if t, ok := strings.CutPrefix(f.prop, "associations."); ok {
				if !f.matchesAny(o.assoc[canonicalType(t)]) {
					return false
				}
				continue
			}
			v, _ := st.value(o, f.prop)
			if !f.matches(v) {
				return false
			}
		}
		return true
	})
}

// matchesAny applies f to HubSpot's associations.{type} pseudo-property,
// the ids of the records of a type a record is associated with: EQ and IN
// (and the other positive operators) meet a record when one id does, NEQ
// and NOT_IN when none does; HAS_PROPERTY when it has any.
func (f *filter) matchesAny(as []assocEntry) bool {
	switch f.op {
	case "HAS_PROPERTY":
		return len(as) > 0
	case "NOT_HAS_PROPERTY":
		return len(as) == 0
	case "NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN":
		return !slices.ContainsFunc(as, func(a assocEntry) bool { return !f.matches(&a.id) })
	}
	return slices.ContainsFunc(as, func(a assocEntry) bool { return f.matches(&a.id) })
}

// matches applies f to the value p. An unset (null or "") value meets only
// NOT_HAS_PROPERTY and the negative operators NEQ, NOT_IN and
// NOT_CONTAINS_TOKEN.
func (f *filter) matches(p *string) bool {
	if p == nil || *p == "" {
		return slices.Contains([]string{"NOT_HAS_PROPERTY", "NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN"}, f.op)
	}
	v, want := *p, f.value
	in := slices.ContainsFunc(f.values, func(x string) bool { return compare(v, x) == 0 })
	c := compare(v, want)
	switch f.op {
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
		return c >= 0 && compare(v, f.high) <= 0
	case "IN":
		return in
	case "NOT_IN":
		return !in
	case "CONTAINS_TOKEN":
		return containsToken(v, want)
	case "NOT_CONTAINS_TOKEN":
		return !containsToken(v, want)
	}
	return f.op == "HAS_PROPERTY"
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
