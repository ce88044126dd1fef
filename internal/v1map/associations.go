package v1map

import (
	"encoding/json"
	"slices"
	"strconv"
)

// AssociationKinds are the v1 association kinds ("associations" of a
// record), in the order ToAssociations reads them, with the object type each
// maps to; "" where no object association exists:
//
//   - contactIds, companyIds, dealIds, ticketIds: contacts, companies,
//     deals, tickets, with HubSpot's default type of the engagement's object.
//   - quoteIds: quotes, for a TASK only (task to quote, 218); HubSpot
//     defines no default association from the other engagements to quotes.
//   - ownerIds: owners are users, not records; the owner of an engagement
//     is hubspot_owner_id (engagement.ownerId).
//   - workflowIds, contentIds: HubSpot defines no association from an
//     engagement to a workflow or a content page.
//
// Kinds with no object association are refused in a request and reported in
// a stored record, like fields with no property.
var AssociationKinds = [...]struct{ Kind, Object string }{
	{"contactIds", Contacts},
	{"companyIds", Companies},
	{"dealIds", Deals},
	{"ticketIds", Tickets},
	{"quoteIds", Quotes},
	{"ownerIds", ""},
	{"workflowIds", ""},
	{"contentIds", ""},
}

// Association is one association of an object create body: the record
// {"to":{"id":ToID},"types":[{"associationCategory":"HUBSPOT_DEFINED",
// "associationTypeId":TypeID}]}.
type Association struct {
	// ToObjectType is the associated object type (contacts, …).
	ToObjectType string
	// ToID is the associated record's id.
	ToID int64
	// TypeID is HubSpot's default association type id.
	TypeID int32
}

// kindObject returns the object type a v1 association kind maps to for an
// engagement object type, and the default type from it; ok is false when
// there is none.
func kindObject(object, kind string) (AssociationType, bool) {
	for _, k := range AssociationKinds {
		if k.Kind == kind && k.Object != "" {
			return DefaultAssociation(object, k.Object)
		}
	}
	return AssociationType{}, false
}

// ToAssociations converts the "associations" object of a v1 record of type
// engType to the associations of an object create body, kind by kind in the
// order of AssociationKinds, ids in their order, repeats dropped. Nulls in
// the id lists are dropped (HubSpot's Ruby gem sends [null], and v1 ignored
// them). Non-empty kinds with no object association (ownerIds, …) and
// unknown kinds are refused with *UnmappedError in ModeRequest and listed in
// unmapped in ModeRecord. A list that is not a list of positive int64 ids is
// a *ValueError.
func ToAssociations(engType string, assoc map[string]json.RawMessage, mode Mode) (out []Association, unmapped []string, err error) {
	t, err := lookup(engType)
	if err != nil {
		return nil, nil, err
	}
	var dropped []string
	convert := func(kind string, raw json.RawMessage) error {
		ids, err := idList(raw)
		if err != nil {
			return &ValueError{Type: engType, Field: "associations." + kind, Problem: err.Error(), Value: string(raw)}
		}
		if len(ids) == 0 {
			return nil
		}
		at, ok := kindObject(t.object, kind)
		if !ok {
			dropped = append(dropped, "associations."+kind)
			return nil
		}
		for _, id := range ids {
			out = append(out, Association{ToObjectType: at.To, ToID: id, TypeID: at.TypeID})
		}
		return nil
	}
	for _, k := range AssociationKinds {
		if raw, ok := assoc[k.Kind]; ok {
			if err := convert(k.Kind, raw); err != nil {
				return nil, nil, err
			}
		}
	}
	var unknown []string
	for kind := range assoc {
		if !slices.ContainsFunc(AssociationKinds[:], func(k struct{ Kind, Object string }) bool { return k.Kind == kind }) {
			unknown = append(unknown, kind)
		}
	}
	slices.Sort(unknown)
	for _, kind := range unknown {
		if err := convert(kind, assoc[kind]); err != nil {
			return nil, nil, err
		}
	}
	slices.Sort(dropped)
	if mode == ModeRequest && len(dropped) > 0 {
		return nil, nil, &UnmappedError{Type: engType, Fields: dropped}
	}
	return out, dropped, nil
}

// idList reads a v1 id list: positive int64 ids, nulls dropped, repeats
// dropped (first kept); null or absent is empty.
func idList(raw json.RawMessage) ([]int64, error) {
	if isNull(raw) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, badIDs
	}
	ids := make([]int64, 0, len(items))
	seen := make(map[int64]struct{}, len(items))
	for _, it := range items {
		if isNull(it) {
			continue
		}
		id, err := jsonInt(it)
		if err != nil || id <= 0 {
			return nil, badIDs
		}
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// FromAssociations converts the associations of an object of type engType
// (the ids of the associated records, by object type, as the object APIs
// return them: decimal text) to the "associations" object of a v1 record.
// Each kind whose object type is a key of ids is written, [] when its list
// is empty; the other kinds are left out, so ask for every object type the
// caller needs (contacts, companies, deals, tickets, and quotes for a
// TASK). Object types with no v1 kind are ignored. An id that is not a
// positive int64 is a *ValueError.
func FromAssociations(engType string, ids map[string][]string) (map[string]json.RawMessage, error) {
	t, err := lookup(engType)
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, 5)
	for _, k := range AssociationKinds {
		at, ok := kindObject(t.object, k.Kind)
		if !ok {
			continue
		}
		list, present := ids[at.To]
		if !present {
			continue
		}
		b := []byte{'['}
		for i, s := range list {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return nil, &ValueError{Type: engType, Field: "associations." + k.Kind, Property: at.Name, Problem: badIDs.Error(), Value: s}
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		out[k.Kind] = append(b, ']')
	}
	return out, nil
}
