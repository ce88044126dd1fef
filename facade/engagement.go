package facade

import (
	"encoding/json"
	"time"
)

// Engagement is a v1 engagement exactly as HubSpot sent it: encoding it
// gives back HubSpot's JSON, unknown fields and nulls included. The methods
// read its fields; none fails on a record HubSpot sent.
type Engagement struct {
	raw json.RawMessage
	v   engagementView
}

// engagementView is the fields of a record the accessors read: the view of
// the generated Engagement variants (EngagementDetails and the rest) that a
// test compares with them field by field.
type engagementView struct {
	Engagement struct {
		ID          int64          `json:"id"`
		PortalID    int64          `json:"portalId"`
		Active      bool           `json:"active"`
		CreatedAt   int64          `json:"createdAt"`
		LastUpdated int64          `json:"lastUpdated"`
		CreatedBy   int64          `json:"createdBy"`
		ModifiedBy  int64          `json:"modifiedBy"`
		OwnerID     int64          `json:"ownerId"`
		Type        EngagementType `json:"type"`
		Timestamp   int64          `json:"timestamp"`
		UID         string         `json:"uid"`
	} `json:"engagement"`
	Associations json.RawMessage `json:"associations"`
	Attachments  []struct {
		ID int64 `json:"id"`
	} `json:"attachments"`
	Metadata json.RawMessage `json:"metadata"`
}

// UnmarshalJSON keeps b and reads the fields the methods return.
func (e *Engagement) UnmarshalJSON(b []byte) error {
	var v engagementView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.raw, e.v = append(json.RawMessage(nil), b...), v
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
func (e Engagement) ID() int64 { return e.v.Engagement.ID }

// Type returns engagement.type.
func (e Engagement) Type() EngagementType { return e.v.Engagement.Type }

// PortalID returns engagement.portalId, the HubSpot account.
func (e Engagement) PortalID() int64 { return e.v.Engagement.PortalID }

// Active returns engagement.active.
func (e Engagement) Active() bool { return e.v.Engagement.Active }

// OwnerID returns engagement.ownerId (0 when absent).
func (e Engagement) OwnerID() int64 { return e.v.Engagement.OwnerID }

// UID returns engagement.uid ("" when absent).
func (e Engagement) UID() string { return e.v.Engagement.UID }

// CreatedBy returns engagement.createdBy, a user id (0 when absent).
func (e Engagement) CreatedBy() int64 { return e.v.Engagement.CreatedBy }

// ModifiedBy returns engagement.modifiedBy, a user id (0 when absent).
func (e Engagement) ModifiedBy() int64 { return e.v.Engagement.ModifiedBy }

// CreatedAt returns engagement.createdAt.
func (e Engagement) CreatedAt() time.Time { return fromMillis(e.v.Engagement.CreatedAt) }

// UpdatedAt returns engagement.lastUpdated.
func (e Engagement) UpdatedAt() time.Time { return fromMillis(e.v.Engagement.LastUpdated) }

// Timestamp returns engagement.timestamp: when the activity happened.
func (e Engagement) Timestamp() time.Time { return fromMillis(e.v.Engagement.Timestamp) }

// AttachmentIDs returns the ids of attachments[].
func (e Engagement) AttachmentIDs() []int64 {
	ids := make([]int64, len(e.v.Attachments))
	for i, a := range e.v.Attachments {
		ids[i] = a.ID
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
