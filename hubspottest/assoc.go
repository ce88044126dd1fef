package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// Association types come from internal/v1map, the one table of HubSpot's
// default association types of the engagement object types (and of v1's
// association kinds); this file only reads names the way HubSpot does.

// targetSingular are the record types engagements are associated with, with
// the singular HubSpot also accepts for them.
var targetSingular = map[string]string{
	v1map.Contacts: "contact", v1map.Companies: "company", v1map.Deals: "deal", v1map.Tickets: "ticket", v1map.Quotes: "quote",
}

// typeIDs are HubSpot's object type ids of the types the server knows
// (HubSpot's "Using the object APIs" guide lists them); paths and
// parameters take them for the names.
var typeIDs = map[string]string{
	v1map.Contacts: "0-1", v1map.Companies: "0-2", v1map.Deals: "0-3", v1map.Tickets: "0-5", v1map.Quotes: "0-14",
	v1map.Notes: "0-46", v1map.Meetings: "0-47", v1map.Calls: "0-48", v1map.Emails: "0-49", v1map.Tasks: "0-27",
	"communications": "0-18", "postal_mail": "0-116",
}

// otherObjectTypes are HubSpot object types the server keeps no records of
// but accepts in an associations parameter, as HubSpot does.
var otherObjectTypes = []string{"line_items", "products", "leads", "users"}

// canonicalType returns the plural name of an object type given as HubSpot
// accepts it ("contacts", "contact", "CONTACT", "0-1"); other names come
// back lowercased.
func canonicalType(t string) string {
	t = strings.ToLower(t)
	for name, id := range typeIDs {
		if t == id {
			return name
		}
	}
	for plural, singular := range targetSingular {
		if t == singular {
			return plural
		}
	}
	return t
}

// knownType reports whether t names an object type HubSpot has: one the
// server knows, another standard one, or a custom object's type id (2-…).
func knownType(t string) bool {
	c := canonicalType(t)
	_, ok := typeIDs[c]
	return ok || slices.Contains(otherObjectTypes, c) || strings.HasPrefix(c, "2-") && len(c) > 2
}

// checkTypes answers HubSpot's 400 when an associations parameter names no
// object type ("Unable to infer object type from: false", as HubSpot
// answers a client that sent a boolean there) and reports whether every one
// is known.
func checkTypes(w http.ResponseWriter, r *http.Request, types []string) bool {
	for _, t := range types {
		if !knownType(t) {
			unknownType(w, r, t)
			return false
		}
	}
	return true
}

// unknownType answers HubSpot's 400 to an object type it cannot read.
func unknownType(w http.ResponseWriter, r *http.Request, t string) {
	writeError(w, r, http.StatusBadRequest, apiError{Message: "Unable to infer object type from: " + t, Category: "VALIDATION_ERROR"})
}

// AssociationType returns HubSpot's default association type from an
// engagement object type (one of ObjectTypes()) to a target ("contacts",
// "companies", "deals", "tickets", or "quotes" from tasks): its name, like
// "task_to_contact", and its id, like 204. ok is false when there is none.
func AssociationType(from, to string) (name string, id int, ok bool) {
	at, ok := v1map.DefaultAssociation(from, canonicalType(to))
	return at.Name, int(at.TypeID), ok
}

// associationType returns the default association type from the store's
// object type to toType when given names it (by name or id).
func (st *objectStore) associationType(toType, given string) (v1map.AssociationType, bool) {
	at, ok := v1map.DefaultAssociation(st.name, canonicalType(toType))
	return at, ok && (strings.EqualFold(given, at.Name) || given == strconv.Itoa(int(at.TypeID)))
}

// byTypeID returns the default association type from the store's object
// type with the given category and id: what a create body names.
func (st *objectStore) byTypeID(spec assocSpec) (v1map.AssociationType, bool) {
	if spec.category != v1map.AssociationCategory {
		return v1map.AssociationType{}, false
	}
	for _, at := range v1map.AssociationTypes() {
		if at.From == st.name && at.TypeID == spec.typeID {
			return at, true
		}
	}
	return v1map.AssociationType{}, false
}

// invalidAssociation answers HubSpot's 400 to an association type that
// does not exist between two object types. toType is "" when a create body
// names the type alone.
func invalidAssociation(w http.ResponseWriter, r *http.Request, given, fromType, toType string) {
	msg := fmt.Sprintf("%s is not a valid association type between %s and %s", given, fromType, toType)
	ctx := map[string][]string{"type": {given}, "fromObjectType": {fromType}}
	if toType == "" {
		msg = fmt.Sprintf("%s is not a valid association type from %s", given, fromType)
	} else {
		ctx["toObjectType"] = []string{toType}
	}
	writeError(w, r, http.StatusBadRequest, apiError{
		Message: msg, Category: "VALIDATION_ERROR", SubCategory: "crm.associations.INVALID_ASSOCIATION_TYPE", Context: ctx,
	})
}

// targetID reads the id of an associated record: a positive integer, as
// HubSpot's ids are (and as v1's id lists need them).
func targetID(id string) (string, bool) {
	n, ok := parseInt(id)
	if !ok || n <= 0 {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// resolveAssociations turns the associations of a create body into the
// entries to store, by target type, or answers 400: every type must be a
// default association type from the store's object type, the types of one
// target must lead to one object type, and the target id must be a record
// id. Nothing is ever dropped.
func (st *objectStore) resolveAssociations(w http.ResponseWriter, r *http.Request, in []assocInput, input int) (map[string][]assocEntry, bool) {
	if len(in) == 0 {
		return nil, true
	}
	where := func(i int) string {
		if input < 0 {
			return fmt.Sprintf("associations[%d]", i)
		}
		return fmt.Sprintf("inputs[%d].associations[%d]", input, i)
	}
	out := map[string][]assocEntry{}
	for i, a := range in {
		id, ok := targetID(a.toID)
		if !ok {
			validationError(w, r, "%s.to.id: %q is not a record id", where(i), a.toID)
			return nil, false
		}
		if len(a.types) == 0 {
			validationError(w, r, "%s.types: at least one association type is required", where(i))
			return nil, false
		}
		to := ""
		for _, spec := range a.types {
			at, ok := st.byTypeID(spec)
			if !ok {
				invalidAssociation(w, r, spec.category+" "+strconv.Itoa(int(spec.typeID)), st.name, "")
				return nil, false
			}
			if to != "" && at.To != to {
				validationError(w, r, "%s: association types to %s and %s for one record", where(i), to, at.To)
				return nil, false
			}
			to = at.To
			e := assocEntry{id: id, typ: at.Name}
			if !slices.Contains(out[to], e) {
				out[to] = append(out[to], e)
			}
		}
	}
	return out, true
}

// link associates o with the record id of type to (canonical) as typ,
// once. The server must be locked.
func (st *objectStore) link(o *object, to string, e assocEntry) {
	if !slices.Contains(o.assoc[to], e) {
		o.assoc[to] = append(o.assoc[to], e)
		o.version++
	}
}

// unlink removes every association of o with the record id of type to.
// The server must be locked.
func (st *objectStore) unlink(o *object, to, id string) {
	n := len(o.assoc[to])
	if o.assoc[to] = slices.DeleteFunc(o.assoc[to], func(a assocEntry) bool { return a.id == id }); len(o.assoc[to]) != n {
		o.version++
	}
}
