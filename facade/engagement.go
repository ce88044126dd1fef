package facade

import (
	"encoding/json"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

// Engagement is a v1 engagement exactly as HubSpot sent it: encoding it
// gives back HubSpot's JSON, unknown fields and nulls included. The methods
// read its fields; none fails on a record HubSpot sent.
type Engagement struct {
	raw json.RawMessage
	v   engagementView
}

// engagementView is a record as the generated OtherEngagement (the
// variant of v1.Engagement that takes every engagement.type) decodes it,
// through a type of its own that drops the generated UnmarshalJSON. Two
// members stay raw, shadowing the generated ones: associations (decoded by
// Associations, which keeps the kinds the spec does not name) and
// metadata (decoded by the type of the engagement).
type engagementView struct {
	v1Fields
	Associations json.RawMessage `json:"associations"`
	Metadata     json.RawMessage `json:"metadata"`
}

type v1Fields v1.OtherEngagement

// UnmarshalJSON keeps b and reads the fields the methods return.
func (e *Engagement) UnmarshalJSON(b []byte) error {
	raw := append(json.RawMessage(nil), b...)
	var v engagementView
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	e.raw, e.v = raw, v
	return nil
}

// MarshalJSON gives back the JSON HubSpot sent.
func (e Engagement) MarshalJSON() ([]byte, error) {
	if e.raw == nil {
		return []byte("null"), nil
	}
	return e.raw, nil
}

// JSON returns the engagement as HubSpot sent it. The bytes are the
// engagement's own: copy them before changing them.
func (e Engagement) JSON() json.RawMessage { return e.raw }

// ID returns engagement.id.
func (e Engagement) ID() int64 { return deref(e.v.Engagement.ID) }

// Type returns engagement.type.
func (e Engagement) Type() EngagementType { return EngagementType(e.v.Engagement.Type) }

// PortalID returns engagement.portalId, the HubSpot account.
func (e Engagement) PortalID() int64 { return deref(e.v.Engagement.PortalID) }

// Active returns engagement.active.
func (e Engagement) Active() bool { return deref(e.v.Engagement.Active) }

// OwnerID returns engagement.ownerId (0 when absent).
func (e Engagement) OwnerID() int64 { return deref(e.v.Engagement.OwnerID) }

// UID returns engagement.uid ("" when absent).
func (e Engagement) UID() string { return deref(e.v.Engagement.UID) }

// CreatedBy returns engagement.createdBy, a user id (0 when absent).
func (e Engagement) CreatedBy() int64 { return deref(e.v.Engagement.CreatedBy) }

// ModifiedBy returns engagement.modifiedBy, a user id (0 when absent).
func (e Engagement) ModifiedBy() int64 { return deref(e.v.Engagement.ModifiedBy) }

// CreatedAt returns engagement.createdAt.
func (e Engagement) CreatedAt() time.Time { return fromMillis(deref(e.v.Engagement.CreatedAt)) }

// UpdatedAt returns engagement.lastUpdated.
func (e Engagement) UpdatedAt() time.Time { return fromMillis(deref(e.v.Engagement.LastUpdated)) }

// Timestamp returns engagement.timestamp: when the activity happened.
func (e Engagement) Timestamp() time.Time { return fromMillis(deref(e.v.Engagement.Timestamp)) }

// AttachmentIDs returns the ids of attachments[].
func (e Engagement) AttachmentIDs() []int64 {
	atts := deref(e.v.Attachments)
	ids := make([]int64, len(atts))
	for i, a := range atts {
		ids[i] = deref(a.ID)
	}
	return ids
}

// Associations returns the associated record ids, by kind.
func (e Engagement) Associations() (Associations, error) {
	var a Associations
	if len(e.v.Associations) == 0 || string(e.v.Associations) == "null" {
		return a, nil
	}
	err := json.Unmarshal(e.v.Associations, &a)
	return a, err
}

// Metadata decodes metadata into the type of the engagement: *NoteMetadata
// for a NOTE and so on, RawMetadata for other types. It fails only when a
// field has a type HubSpot's spec does not give it; the typed accessors
// (NoteMetadata, CallMetadata, …) never fail.
func (e Engagement) Metadata() (Metadata, error) {
	if !e.Type().valid() {
		return RawMetadata{Type: e.Type(), JSON: e.v.Metadata}, nil
	}
	raw := e.v.Metadata
	if string(raw) == "null" {
		raw = nil
	}
	return typedMetadata(e.Type(), raw)
}

// RawMetadata returns metadata as HubSpot sent it.
func (e Engagement) RawMetadata() json.RawMessage { return e.v.Metadata }

// NoteBody returns a NOTE's metadata.body ("" for other types).
func (e Engagement) NoteBody() string {
	if e.Type() != TypeNote {
		return ""
	}
	return e.NoteMetadata().Body
}

// NoteMetadata returns a NOTE's metadata (zero for other types). A field
// with an unexpected type is kept in Extra, with the others.
func (e Engagement) NoteMetadata() NoteMetadata {
	return typedAs(e, TypeNote, noteFrom, func(m *NoteMetadata, x map[string]json.RawMessage) { m.Extra = x })
}

// EmailMetadata returns an EMAIL's metadata (zero for other types). A field
// with an unexpected type is kept in Extra, with the others.
func (e Engagement) EmailMetadata() EmailMetadata {
	return typedAs(e, TypeEmail, emailFrom, func(m *EmailMetadata, x map[string]json.RawMessage) { m.Extra = x })
}

// CallMetadata returns a CALL's metadata (zero for other types). A field
// with an unexpected type is kept in Extra, with the others.
func (e Engagement) CallMetadata() CallMetadata {
	return typedAs(e, TypeCall, callFrom, func(m *CallMetadata, x map[string]json.RawMessage) { m.Extra = x })
}

// MeetingMetadata returns a MEETING's metadata (zero for other types). A
// field with an unexpected type is kept in Extra, with the others.
func (e Engagement) MeetingMetadata() MeetingMetadata {
	return typedAs(e, TypeMeeting, meetingFrom, func(m *MeetingMetadata, x map[string]json.RawMessage) { m.Extra = x })
}

// TaskMetadata returns a TASK's metadata (zero for other types). A field
// with an unexpected type is kept in Extra, with the others.
func (e Engagement) TaskMetadata() TaskMetadata {
	return typedAs(e, TypeTask, taskFrom, func(m *TaskMetadata, x map[string]json.RawMessage) { m.Extra = x })
}

func typedAs[T, W any](e Engagement, t EngagementType, from func(W) T, extra func(*T, map[string]json.RawMessage)) T {
	if e.Type() != t {
		var zero T
		return zero
	}
	return tolerant(e.v.Metadata, from, extra)
}

// Input is the engagement as the input that creates it again (an import
// of an export): its metadata as HubSpot sent it, owner, timestamp, active
// flag (nil when HubSpot sent none), uid, associations and attachments.
// It fails when associations has a kind that is not a list of ids.
func (e Engagement) Input() (EngagementInput, error) {
	a, err := e.Associations()
	if err != nil {
		return EngagementInput{}, err
	}
	in := EngagementInput{Metadata: RawMetadata{Type: e.Type(), JSON: e.v.Metadata}, OwnerID: e.OwnerID(), Timestamp: e.Timestamp(),
		UID: e.UID(), Associations: a}
	if p := e.v.Engagement.Active; p != nil {
		in.Active = ptr(*p)
	}
	if ids := e.AttachmentIDs(); len(ids) > 0 {
		in.AttachmentIDs = ids
	}
	return in, nil
}

// Associations are the records an engagement is associated with. Kinds this
// type does not name are kept in Other, by HubSpot's key.
type Associations struct {
	ContactIDs  []int64
	CompanyIDs  []int64
	DealIDs     []int64
	OwnerIDs    []int64
	WorkflowIDs []int64
	TicketIDs   []int64
	Other       map[string][]int64
}

// Millis converts t to epoch milliseconds, HubSpot's v1 time format.
func Millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
