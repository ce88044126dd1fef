package hubspottest

import (
	"strconv"
	"strings"
)

// associationTargets are the object types engagements are associated with,
// with the singular their association type names use.
var associationTargets = map[string]string{"contacts": "contact", "companies": "company", "deals": "deal", "tickets": "ticket"}

// objectTypeIDs are the ids HubSpot also accepts for those object types.
var objectTypeIDs = map[string]string{"0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-5": "tickets"}

// associationTypeIDs are HubSpot's default (HUBSPOT_DEFINED) association
// type ids from each engagement object type to each target, as HubSpot's
// associations documentation lists them; the names are
// <singular>_to_<target>, like task_to_contact (meetings: meeting_event_to_contact).
var associationTypeIDs = map[string]map[string]int{
	"tasks":    {"contacts": 204, "companies": 192, "deals": 216, "tickets": 230},
	"emails":   {"contacts": 198, "companies": 186, "deals": 210, "tickets": 224},
	"notes":    {"contacts": 202, "companies": 190, "deals": 214, "tickets": 228},
	"calls":    {"contacts": 194, "companies": 182, "deals": 206, "tickets": 220},
	"meetings": {"contacts": 200, "companies": 188, "deals": 212, "tickets": 226},
}

// canonicalType returns the plural name of an object type given as HubSpot
// accepts it ("contacts", "contact", "CONTACT", "0-1"); other names come
// back lowercased.
func canonicalType(t string) string {
	t = strings.ToLower(t)
	if c, ok := objectTypeIDs[t]; ok {
		return c
	}
	for plural, singular := range associationTargets {
		if t == singular {
			return plural
		}
	}
	return t
}

// AssociationType returns HubSpot's default association type from an
// engagement object type (one of ObjectTypes()) to a target ("contacts",
// "companies", "deals" or "tickets"): its name, like "task_to_contact", and
// its id, like 204. ok is false when there is none.
func AssociationType(from, to string) (name string, id int, ok bool) {
	to = canonicalType(to)
	id, ok = associationTypeIDs[from][to]
	if !ok {
		return "", 0, false
	}
	return objectKinds[from].singular + "_to_" + associationTargets[to], id, true
}

// associationType returns the name of the association type given (by name
// or id) from the store's object type to toType, and whether it is one.
func (st *objectStore) associationType(toType, given string) (string, bool) {
	name, id, ok := AssociationType(st.name, toType)
	return name, ok && (strings.EqualFold(given, name) || given == strconv.Itoa(id))
}
