package facade

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// HubSpot's limits on a search request (Search API, since August 2024).
const (
	// MaxFilterGroups is the most filter groups one search takes.
	MaxFilterGroups = 5
	// MaxFiltersPerGroup is the most filters one filter group takes.
	MaxFiltersPerGroup = 10
	// MaxFilters is the most filters one search takes in all its groups.
	MaxFilters = 25
)

// FilterOperator compares a property with a filter's value.
type FilterOperator string

// The search operators HubSpot knows.
const (
	OpEQ               FilterOperator = "EQ"
	OpNEQ              FilterOperator = "NEQ"
	OpLT               FilterOperator = "LT"
	OpLTE              FilterOperator = "LTE"
	OpGT               FilterOperator = "GT"
	OpGTE              FilterOperator = "GTE"
	OpBetween          FilterOperator = "BETWEEN"
	OpIn               FilterOperator = "IN"
	OpNotIn            FilterOperator = "NOT_IN"
	OpHasProperty      FilterOperator = "HAS_PROPERTY"
	OpNotHasProperty   FilterOperator = "NOT_HAS_PROPERTY"
	OpContainsToken    FilterOperator = "CONTAINS_TOKEN"
	OpNotContainsToken FilterOperator = "NOT_CONTAINS_TOKEN"
)

var filterOperators = []FilterOperator{OpEQ, OpNEQ, OpLT, OpLTE, OpGT, OpGTE, OpBetween, OpIn, OpNotIn, OpHasProperty, OpNotHasProperty, OpContainsToken, OpNotContainsToken}

// takesValue reports whether the operator compares with Value.
func (o FilterOperator) takesValue() bool {
	switch o {
	case OpHasProperty, OpNotHasProperty, OpIn, OpNotIn:
		return false
	}
	return true
}

// SortDirection orders search results by a property.
type SortDirection string

// The sort directions.
const (
	Ascending  SortDirection = "ASCENDING"
	Descending SortDirection = "DESCENDING"
)

// Filter is one condition of a search. Value is the operand of most
// operators (sent even when "", a search for an empty value); BETWEEN also
// takes HighValue; IN and NOT_IN take Values; HAS_PROPERTY and
// NOT_HAS_PROPERTY take nothing.
type Filter struct {
	PropertyName string
	Operator     FilterOperator
	Value        string
	HighValue    string
	Values       []string
}

// FilterGroup is filters that must all hold; a search matches records that
// satisfy any of its groups.
type FilterGroup struct {
	Filters []Filter
}

// Sort orders search results by a property.
type Sort struct {
	PropertyName string
	Direction    SortDirection
}

// SearchParams are the parameters of Search.
type SearchParams struct {
	// FilterGroups are ORed; at most MaxFilterGroups, each of at most
	// MaxFiltersPerGroup filters, MaxFilters in all.
	FilterGroups []FilterGroup
	// Sorts order the results. Leave empty to read past HubSpot's
	// 10,000-result cap: the search then sorts on hs_object_id and restarts
	// after the last id read whenever the cap nears.
	Sorts []Sort
	// Query is free text matched against the default searchable properties.
	Query string
	// Properties to return; when empty, those the record type's accessors
	// read (see ObjectService), not HubSpot's three defaults.
	Properties []string
	// Limit is the page size, 1 to 200 (0: 200, the largest HubSpot allows).
	Limit int
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// ErrSearchCap is returned when a search reaches HubSpot's 10,000-result
// cap and cannot read past it: with caller-chosen Sorts (leave them empty),
// or when the restart filter would break HubSpot's filter limits.
var ErrSearchCap = errors.New("hubspot: search reached HubSpot's 10,000-result cap")

func (p SearchParams) validate() error {
	if err := checkLimit("Limit", p.Limit, MaxSearchLimit); err != nil {
		return err
	}
	if n := len(p.FilterGroups); n > MaxFilterGroups {
		return &ValidationError{Field: "FilterGroups", Problem: "too many filter groups", Limit: MaxFilterGroups, Actual: n}
	}
	total := 0
	for g, fg := range p.FilterGroups {
		if n := len(fg.Filters); n > MaxFiltersPerGroup {
			return &ValidationError{Field: fmt.Sprintf("FilterGroups[%d].Filters", g), Problem: "too many filters in a group", Limit: MaxFiltersPerGroup, Actual: n}
		}
		total += len(fg.Filters)
		for i, f := range fg.Filters {
			field := fmt.Sprintf("FilterGroups[%d].Filters[%d]", g, i)
			if !slices.Contains(filterOperators, f.Operator) {
				return &ValidationError{Field: field + ".Operator", Problem: "unknown operator", Actual: string(f.Operator), Allowed: enumStrings(filterOperators)}
			}
			switch {
			case f.Operator == OpBetween && f.HighValue == "":
				return &ValidationError{Field: field + ".HighValue", Problem: "required by BETWEEN"}
			case (f.Operator == OpIn || f.Operator == OpNotIn) && len(f.Values) == 0:
				return &ValidationError{Field: field + ".Values", Problem: "required by " + string(f.Operator)}
			}
			if f.PropertyName == "" {
				return &ValidationError{Field: field + ".PropertyName", Problem: "required"}
			}
		}
	}
	if total > MaxFilters {
		return &ValidationError{Field: "FilterGroups", Problem: "too many filters in all", Limit: MaxFilters, Actual: total}
	}
	for i, so := range p.Sorts {
		if so.Direction != Ascending && so.Direction != Descending {
			return &ValidationError{Field: fmt.Sprintf("Sorts[%d].Direction", i), Problem: "unknown direction", Actual: string(so.Direction), Allowed: []string{string(Ascending), string(Descending)}}
		}
		if so.PropertyName == "" {
			return &ValidationError{Field: fmt.Sprintf("Sorts[%d].PropertyName", i), Problem: "required"}
		}
	}
	return nil
}

// canRestart says why the search cannot restart after an id to read past
// the cap ("" when it can): the restart adds a filter to every group.
func (p SearchParams) canRestart() string {
	if len(p.Sorts) > 0 {
		return "its Sorts are the caller's; leave them empty to read past it"
	}
	total := 0
	for g, fg := range p.FilterGroups {
		if len(fg.Filters) >= MaxFiltersPerGroup {
			return fmt.Sprintf("filter group %d already has HubSpot's %d filters, and reading past the cap adds one to every group", g, MaxFiltersPerGroup)
		}
		total += len(fg.Filters) + 1
	}
	if total > MaxFilters {
		return fmt.Sprintf("reading past the cap adds a filter to every group, %d in all, over HubSpot's %d", total, MaxFilters)
	}
	return ""
}

// sorts are the sorts sent: hs_object_id ascending when the caller gives
// none (what lets a search restart past the cap).
func (p SearchParams) sorts() []Sort {
	if len(p.Sorts) == 0 {
		return []Sort{{PropertyName: ObjectIDProperty, Direction: Ascending}}
	}
	return p.Sorts
}

// groups are the filter groups sent at a position: after the restart point
// at.Base, hs_object_id GT Base is added to every group.
func (p SearchParams) groups(at position) []FilterGroup {
	if at.Base == "" {
		return p.FilterGroups
	}
	gt := Filter{PropertyName: ObjectIDProperty, Operator: OpGT, Value: at.Base}
	groups := make([]FilterGroup, 0, max(1, len(p.FilterGroups)))
	for _, g := range p.FilterGroups {
		groups = append(groups, FilterGroup{Filters: append(slices.Clip(g.Filters), gt)})
	}
	if len(groups) == 0 {
		groups = append(groups, FilterGroup{Filters: []Filter{gt}})
	}
	return groups
}

// wireValue is the value as HubSpot takes it: sent whenever the operator
// takes one, even "".
func (f Filter) wireValue() *string {
	if f.Value != "" || f.Operator.takesValue() {
		return ptr(f.Value)
	}
	return nil
}

// Search pages through the records that match p
// (POST /crm/v3/objects/{type}/search), 200 per request unless Limit says
// otherwise, under the search rate limit, with the properties their
// accessors read unless p names others. With no Sorts it reads past
// HubSpot's 10,000-result cap, skipping and repeating nothing. The params
// are copied: changing them afterwards changes nothing.
func (s *ObjectService[T]) Search(ctx context.Context, p SearchParams) *Pager[T] {
	if err := p.validate(); err != nil {
		return errPager[T](err)
	}
	kind := string(s.api.version) + ".search." + s.api.name
	at, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return errPager[T](err)
	}
	p.FilterGroups = slices.Clone(p.FilterGroups)
	for i := range p.FilterGroups {
		p.FilterGroups[i].Filters = slices.Clone(p.FilterGroups[i].Filters)
	}
	p.Sorts, p.Properties = slices.Clone(p.Sorts), s.properties(p.Properties)
	p.Limit = cmpOr(p.Limit, MaxSearchLimit)
	restart := p.canRestart()
	o := s.op("search", opSearch)
	return newPager(ctx, s.c, o.Name, at, func(ctx context.Context, at position) (fetched[T], error) {
		pg, err := sendFor(ctx, s.c, o, withBody(s.api.body.search(p, at), s.api.search), s.shapes().search)
		if err != nil {
			return fetched[T]{}, err
		}
		next := position{Kind: kind, Base: at.Base, Token: pg.After, Read: at.Read + len(pg.Results)}
		if at.Base != "" {
			// After a restart HubSpot counts only the records past it.
			pg.Total = nil
		}
		f := fetched[T]{items: s.wrapAll(pg.Results), total: pg.Total}
		if next.Token == "" || len(pg.Results) == 0 {
			next.Done = true
			f.next = next
			return f, nil
		}
		if off, err := strconv.Atoi(next.Token); err == nil && off+p.Limit > searchCap {
			if restart != "" {
				f.next, f.stop = next, fmt.Errorf("%w, and cannot read past it: %s", ErrSearchCap, restart)
				return f, nil
			}
			next.Token, next.Base = "", pg.Results[len(pg.Results)-1].ID()
		}
		f.next = next
		return f, nil
	})
}
