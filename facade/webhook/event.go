package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is what happened, the part of the subscription type after its dot:
// "contact.creation" and "object.creation" are both KindCreation. A kind
// HubSpot adds later comes through as it is (Known reports false).
type Kind string

// The kinds of events HubSpot's webhooks API documents.
const (
	KindCreation          Kind = "creation"
	KindPropertyChange    Kind = "propertyChange"
	KindDeletion          Kind = "deletion"
	KindMerge             Kind = "merge"
	KindAssociationChange Kind = "associationChange"
	KindRestore           Kind = "restore"
	KindPrivacyDeletion   Kind = "privacyDeletion"
)

// Known reports whether k is one of the kinds this package names.
func (k Kind) Known() bool {
	switch k {
	case KindCreation, KindPropertyChange, KindDeletion, KindMerge, KindAssociationChange, KindRestore, KindPrivacyDeletion:
		return true
	}
	return false
}

// Event is one event of a delivery, as HubSpot's webhooks API documents its
// fields. Fields an event does not carry are zero. Fields this package does
// not know, and known fields of an unexpected JSON type, are kept in Extra;
// Raw is the event exactly as HubSpot sent it (compacted), so nothing is
// lost.
type Event struct {
	EventID        int64 // eventId; required
	SubscriptionID int64 // subscriptionId
	PortalID       int64 // portalId: the HubSpot account
	AppID          int64 // appId
	// OccurredAt is when the change happened (occurredAt, milliseconds).
	OccurredAt time.Time
	// SubscriptionType is the subscription's type as sent:
	// "contact.propertyChange", or "object.creation" for the generic
	// subscriptions (activities among them) whose ObjectTypeID says the
	// type.
	SubscriptionType string
	// Kind is what happened, from SubscriptionType.
	Kind Kind
	// ObjectTypeID is the object type of an object.* event: "0-27" for
	// tasks, "0-46" notes, "0-47" meetings, "0-48" calls, "0-49" emails, "0-18" communications, "0-116" postal mail.
	ObjectTypeID  string
	AttemptNumber int    // attemptNumber: 0 on the first delivery
	ObjectID      int64  // objectId: the record that changed
	ChangeSource  string // changeSource: "CRM_UI", "API", "IMPORT", …
	SourceID      string // sourceId: "userId:123", an app id, …
	ChangeFlag    string // changeFlag: "NEW", "CREATED", "DELETED", …
	// PropertyName and PropertyValue are the property a propertyChange
	// event reports and its new value ("" when cleared).
	PropertyName  string
	PropertyValue string
	// Merge is set on a merge event.
	Merge *Merge
	// Association is set on an associationChange event.
	Association *Association
	// Extra holds the fields this package does not decode, by name, as
	// sent.
	Extra map[string]json.RawMessage
	// Raw is the event as it came, compacted to one line.
	Raw json.RawMessage
}

// Object returns the object type an event concerns: the prefix of its
// subscription type ("contact", "deal", …), or for a generic object.*
// event its ObjectTypeID.
func (e *Event) Object() string {
	prefix, _, _ := strings.Cut(e.SubscriptionType, ".")
	if prefix == "object" && e.ObjectTypeID != "" {
		return e.ObjectTypeID
	}
	return prefix
}

// Key identifies the event for de-duplication: portal, subscription and
// event id. A redelivery repeats all three (only attemptNumber changes);
// events of two portals or subscriptions that share an event id stay
// apart.
func (e *Event) Key() string {
	return strconv.FormatInt(e.PortalID, 10) + ":" + strconv.FormatInt(e.SubscriptionID, 10) + ":" + strconv.FormatInt(e.EventID, 10)
}

// Merge is what a merge event adds: the record kept and the ones merged
// into it.
type Merge struct {
	PrimaryObjectID         int64   // primaryObjectId: the record kept
	MergedObjectIDs         []int64 // mergedObjectIds: the records merged into it
	NewObjectID             int64   // newObjectId: the id of the merged record
	NumberOfPropertiesMoved int     // numberOfPropertiesMoved
}

// Association is what an associationChange event adds.
type Association struct {
	AssociationType      string // associationType: "CONTACT_TO_COMPANY", …
	AssociationTypeID    int64  // associationTypeId (generic subscriptions)
	AssociationCategory  string // associationCategory: "HUBSPOT_DEFINED", …
	FromObjectTypeID     string // fromObjectTypeId (generic subscriptions)
	FromObjectID         int64  // fromObjectId
	ToObjectTypeID       string // toObjectTypeId (generic subscriptions)
	ToObjectID           int64  // toObjectId
	AssociationRemoved   bool   // associationRemoved: true when removed
	IsPrimaryAssociation bool   // isPrimaryAssociation
}

// DecodeError is a delivery body that is not HubSpot's payload: not a JSON
// array of objects, or an event without an eventId.
type DecodeError struct {
	Index   int // the event, -1 for the body as a whole
	Problem string
}

// Error says what is wrong with the delivery.
func (e *DecodeError) Error() string {
	if e.Index < 0 {
		return "webhook: malformed delivery: " + e.Problem
	}
	return fmt.Sprintf("webhook: malformed delivery: event %d: %s", e.Index, e.Problem)
}

// field is one field of the payload: its JSON name, how it is read into an
// Event, and how it is written from one.
type field struct {
	name  string
	group int // 0: the event; 1: merge; 2: association
	dec   func(e *Event, raw json.RawMessage) bool
	enc   func(e *Event) any // nil: leave the field out
}

const (
	groupEvent = iota
	groupMerge
	groupAssoc
)

func intField(name string, group int, p func(*Event) *int64) field {
	return field{name, group,
		func(e *Event, raw json.RawMessage) bool {
			v, ok := decodeInt(raw)
			if ok {
				*p(e) = v
			}
			return ok
		},
		func(e *Event) any {
			if v := *p(e); v != 0 || group != groupEvent || name == "eventId" {
				return v
			}
			return nil
		}}
}

func stringField(name string, group int, p func(*Event) *string) field {
	return field{name, group,
		func(e *Event, raw json.RawMessage) bool {
			var v string
			if raw[0] != '"' || json.Unmarshal(raw, &v) != nil {
				return false
			}
			*p(e) = v
			return true
		},
		func(e *Event) any {
			if v := *p(e); v != "" || group != groupEvent {
				return v
			}
			return nil
		}}
}

func boolField(name string, p func(*Event) *bool) field {
	return field{name, groupAssoc,
		func(e *Event, raw json.RawMessage) bool {
			var v bool
			if (raw[0] != 't' && raw[0] != 'f') || json.Unmarshal(raw, &v) != nil {
				return false
			}
			*p(e) = v
			return true
		},
		func(e *Event) any { return *p(e) }}
}

func merge(e *Event) *Merge {
	if e.Merge == nil {
		e.Merge = &Merge{}
	}
	return e.Merge
}

func assoc(e *Event) *Association {
	if e.Association == nil {
		e.Association = &Association{}
	}
	return e.Association
}

// fields are the payload's fields in the order MarshalJSON writes them.
var fields = []field{
	intField("eventId", groupEvent, func(e *Event) *int64 { return &e.EventID }),
	intField("subscriptionId", groupEvent, func(e *Event) *int64 { return &e.SubscriptionID }),
	intField("portalId", groupEvent, func(e *Event) *int64 { return &e.PortalID }),
	intField("appId", groupEvent, func(e *Event) *int64 { return &e.AppID }),
	{"occurredAt", groupEvent,
		func(e *Event, raw json.RawMessage) bool {
			v, ok := decodeInt(raw)
			if ok {
				e.OccurredAt = time.UnixMilli(v).UTC()
			}
			return ok
		},
		func(e *Event) any {
			if e.OccurredAt.IsZero() {
				return nil
			}
			return e.OccurredAt.UnixMilli()
		}},
	stringField("subscriptionType", groupEvent, func(e *Event) *string { return &e.SubscriptionType }),
	{"attemptNumber", groupEvent,
		func(e *Event, raw json.RawMessage) bool {
			v, ok := decodeInt(raw)
			if ok && int64(int(v)) == v {
				e.AttemptNumber = int(v)
				return true
			}
			return false
		},
		func(e *Event) any { return e.AttemptNumber }},
	stringField("objectTypeId", groupEvent, func(e *Event) *string { return &e.ObjectTypeID }),
	intField("objectId", groupEvent, func(e *Event) *int64 { return &e.ObjectID }),
	stringField("propertyName", groupEvent, func(e *Event) *string { return &e.PropertyName }),
	{"propertyValue", groupEvent,
		func(e *Event, raw json.RawMessage) bool {
			return json.Unmarshal(raw, &e.PropertyValue) == nil && raw[0] == '"'
		},
		func(e *Event) any {
			if e.PropertyName == "" && e.PropertyValue == "" {
				return nil
			}
			return e.PropertyValue
		}},
	stringField("changeSource", groupEvent, func(e *Event) *string { return &e.ChangeSource }),
	stringField("sourceId", groupEvent, func(e *Event) *string { return &e.SourceID }),
	stringField("changeFlag", groupEvent, func(e *Event) *string { return &e.ChangeFlag }),
	intField("primaryObjectId", groupMerge, func(e *Event) *int64 { return &merge(e).PrimaryObjectID }),
	{"mergedObjectIds", groupMerge,
		func(e *Event, raw json.RawMessage) bool {
			var ids []json.RawMessage
			if json.Unmarshal(raw, &ids) != nil || raw[0] != '[' {
				return false
			}
			out := make([]int64, 0, len(ids))
			for _, r := range ids {
				v, ok := decodeInt(r)
				if !ok {
					return false
				}
				out = append(out, v)
			}
			merge(e).MergedObjectIDs = out
			return true
		},
		func(e *Event) any {
			if e.Merge.MergedObjectIDs == nil {
				return []int64{}
			}
			return e.Merge.MergedObjectIDs
		}},
	intField("newObjectId", groupMerge, func(e *Event) *int64 { return &merge(e).NewObjectID }),
	{"numberOfPropertiesMoved", groupMerge,
		func(e *Event, raw json.RawMessage) bool {
			v, ok := decodeInt(raw)
			if ok && int64(int(v)) == v {
				merge(e).NumberOfPropertiesMoved = int(v)
				return true
			}
			return false
		},
		func(e *Event) any { return e.Merge.NumberOfPropertiesMoved }},
	stringField("associationType", groupAssoc, func(e *Event) *string { return &assoc(e).AssociationType }),
	intField("associationTypeId", groupAssoc, func(e *Event) *int64 { return &assoc(e).AssociationTypeID }),
	stringField("associationCategory", groupAssoc, func(e *Event) *string { return &assoc(e).AssociationCategory }),
	stringField("fromObjectTypeId", groupAssoc, func(e *Event) *string { return &assoc(e).FromObjectTypeID }),
	intField("fromObjectId", groupAssoc, func(e *Event) *int64 { return &assoc(e).FromObjectID }),
	stringField("toObjectTypeId", groupAssoc, func(e *Event) *string { return &assoc(e).ToObjectTypeID }),
	intField("toObjectId", groupAssoc, func(e *Event) *int64 { return &assoc(e).ToObjectID }),
	boolField("associationRemoved", func(e *Event) *bool { return &assoc(e).AssociationRemoved }),
	boolField("isPrimaryAssociation", func(e *Event) *bool { return &assoc(e).IsPrimaryAssociation }),
}

var fieldByName = func() map[string]*field {
	m := make(map[string]*field, len(fields))
	for i := range fields {
		m[fields[i].name] = &fields[i]
	}
	return m
}()

// decodeInt reads an integer sent as a JSON number or as a string of
// digits (HubSpot sends ids both ways across its APIs).
func decodeInt(raw json.RawMessage) (int64, bool) {
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// Decode reads a delivery's body: a JSON array of events. It fails with a
// *DecodeError when the body is not an array of objects or an event has no
// integer eventId; anything else an event carries is kept (see Event).
func Decode(body []byte) ([]Event, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil || bytes.TrimLeft(body, " \t\r\n")[0] != '[' {
		return nil, &DecodeError{Index: -1, Problem: "not a JSON array"}
	}
	events := make([]Event, len(raws))
	for i, raw := range raws {
		if err := events[i].decode(raw); err != nil {
			return nil, &DecodeError{Index: i, Problem: err.Error()}
		}
	}
	return events, nil
}

func (e *Event) decode(raw json.RawMessage) error {
	var obj map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return fmt.Errorf("not a JSON object")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return err
	}
	*e = Event{Raw: compact.Bytes()}
	for name, v := range obj {
		f := fieldByName[name]
		if f == nil || !f.dec(e, v) {
			if e.Extra == nil {
				e.Extra = map[string]json.RawMessage{}
			}
			var c bytes.Buffer
			_ = json.Compact(&c, v) // valid: it is part of raw
			e.Extra[name] = c.Bytes()
		}
	}
	if _, ok := obj["eventId"]; !ok || e.Extra["eventId"] != nil {
		return fmt.Errorf("no integer eventId")
	}
	_, kind, _ := strings.Cut(e.SubscriptionType, ".")
	e.Kind = Kind(kind)
	return nil
}

// UnmarshalJSON decodes one event as Decode does.
func (e *Event) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return fmt.Errorf("webhook: empty event")
	}
	return e.decode(b)
}

// MarshalJSON writes the event as HubSpot sends it, from its fields (not
// from Raw): the fields it carries, then Extra in name order. A name in
// Extra wins over the field of that name.
func (e Event) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // write "<" and "&" as HubSpot does
	put := func(name string, v any) error {
		if !first {
			b.WriteByte(',')
		}
		first = false
		if err := enc.Encode(name); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // the Encoder's newline
		b.WriteByte(':')
		if raw, ok := v.(json.RawMessage); ok {
			return json.Compact(&b, raw)
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1)
		return nil
	}
	for i := range fields {
		f := &fields[i]
		if _, over := e.Extra[f.name]; over ||
			(f.group == groupMerge && e.Merge == nil) || (f.group == groupAssoc && e.Association == nil) {
			continue
		}
		if v := f.enc(&e); v != nil {
			if err := put(f.name, v); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(e.Extra)) {
		if err := put(name, e.Extra[name]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Encode writes events as a delivery's body, a JSON array (see
// MarshalJSON).
func Encode(events []Event) ([]byte, error) {
	b := []byte{'['}
	for i := range events {
		if i > 0 {
			b = append(b, ',')
		}
		e, err := events[i].MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, e...)
	}
	return append(b, ']'), nil
}
