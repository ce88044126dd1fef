package facade

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// EngagementType is the type of a v1 engagement.
type EngagementType string

// The five types an engagement can be created with. Listings can also return
// types HubSpot uses internally (PUBLISHING_TASK, …).
const (
	TypeEmail   EngagementType = "EMAIL"
	TypeCall    EngagementType = "CALL"
	TypeMeeting EngagementType = "MEETING"
	TypeTask    EngagementType = "TASK"
	TypeNote    EngagementType = "NOTE"
)

// valid reports whether t is one of the five creatable types.
func (t EngagementType) valid() bool {
	switch t {
	case TypeEmail, TypeCall, TypeMeeting, TypeTask, TypeNote:
		return true
	}
	return false
}

// MaxNoteBody is the longest NOTE body HubSpot accepts, in UTF-16 code units.
const MaxNoteBody = 65536

// Metadata is the type-dependent part of a v1 engagement: *EmailMetadata,
// *CallMetadata, *MeetingMetadata, *TaskMetadata, *NoteMetadata, or
// RawMetadata for anything else. Its type is the engagement's type.
type Metadata interface {
	EngagementType() EngagementType
}

// Contact is a sender or recipient of an EMAIL engagement.
type Contact struct {
	Email     string                     `json:"email,omitempty"`
	FirstName string                     `json:"firstName,omitempty"`
	LastName  string                     `json:"lastName,omitempty"`
	Extra     map[string]json.RawMessage `json:"-"`
}

// EmailMetadata is the metadata of an EMAIL engagement. Zero fields are not
// sent. Extra carries fields this type does not name, sent and kept as is.
type EmailMetadata struct {
	From    *Contact                   `json:"from,omitempty"`
	To      []Contact                  `json:"to,omitempty"`
	Cc      []Contact                  `json:"cc,omitempty"`
	Bcc     []Contact                  `json:"bcc,omitempty"`
	Subject string                     `json:"subject,omitempty"`
	HTML    string                     `json:"html,omitempty"`
	Text    string                     `json:"text,omitempty"`
	Status  string                     `json:"status,omitempty"`
	Extra   map[string]json.RawMessage `json:"-"`
}

// CallMetadata is the metadata of a CALL engagement. Disposition is a GUID
// from Engagements.Dispositions.
type CallMetadata struct {
	ToNumber             string                     `json:"toNumber,omitempty"`
	FromNumber           string                     `json:"fromNumber,omitempty"`
	Status               string                     `json:"status,omitempty"`
	ExternalID           string                     `json:"externalId,omitempty"`
	DurationMilliseconds int64                      `json:"durationMilliseconds,omitempty"`
	ExternalAccountID    string                     `json:"externalAccountId,omitempty"`
	RecordingURL         string                     `json:"recordingUrl,omitempty"`
	Body                 string                     `json:"body,omitempty"`
	Disposition          string                     `json:"disposition,omitempty"`
	Extra                map[string]json.RawMessage `json:"-"`
}

// MeetingMetadata is the metadata of a MEETING engagement. StartTime and
// EndTime are epoch milliseconds (see Millis).
type MeetingMetadata struct {
	Body                 string                     `json:"body,omitempty"`
	StartTime            int64                      `json:"startTime,omitempty"`
	EndTime              int64                      `json:"endTime,omitempty"`
	Title                string                     `json:"title,omitempty"`
	InternalMeetingNotes string                     `json:"internalMeetingNotes,omitempty"`
	Extra                map[string]json.RawMessage `json:"-"`
}

// TaskMetadata is the metadata of a TASK engagement. Reminders are epoch
// milliseconds.
type TaskMetadata struct {
	Body          string                     `json:"body,omitempty"`
	Subject       string                     `json:"subject,omitempty"`
	Status        string                     `json:"status,omitempty"`
	ForObjectType string                     `json:"forObjectType,omitempty"`
	TaskType      string                     `json:"taskType,omitempty"`
	Priority      string                     `json:"priority,omitempty"`
	Reminders     []int64                    `json:"reminders,omitempty"`
	Extra         map[string]json.RawMessage `json:"-"`
}

// NoteMetadata is the metadata of a NOTE engagement. Body holds at most
// MaxNoteBody UTF-16 code units.
type NoteMetadata struct {
	Body  string                     `json:"body,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

// RawMetadata is metadata given or kept as JSON, for types this package
// does not model and for callers who already hold HubSpot's JSON.
type RawMetadata struct {
	Type EngagementType
	JSON json.RawMessage
}

// EngagementType returns TypeEmail.
func (*EmailMetadata) EngagementType() EngagementType { return TypeEmail }

// EngagementType returns TypeCall.
func (*CallMetadata) EngagementType() EngagementType { return TypeCall }

// EngagementType returns TypeMeeting.
func (*MeetingMetadata) EngagementType() EngagementType { return TypeMeeting }

// EngagementType returns TypeTask.
func (*TaskMetadata) EngagementType() EngagementType { return TypeTask }

// EngagementType returns TypeNote.
func (*NoteMetadata) EngagementType() EngagementType { return TypeNote }

// EngagementType returns the type the JSON belongs to.
func (m RawMetadata) EngagementType() EngagementType { return m.Type }

// MarshalJSON sends the JSON as it is ({} when empty).
func (m RawMetadata) MarshalJSON() ([]byte, error) {
	if len(m.JSON) == 0 {
		return []byte("{}"), nil
	}
	return m.JSON, nil
}

// MarshalJSON encodes the fields and Extra.
func (c Contact) MarshalJSON() ([]byte, error) {
	type plain Contact
	return withExtra(plain(c), c.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (c *Contact) UnmarshalJSON(b []byte) error {
	type plain Contact
	return splitExtra(b, (*plain)(c), &c.Extra)
}

// MarshalJSON encodes the fields and Extra.
func (m EmailMetadata) MarshalJSON() ([]byte, error) {
	type plain EmailMetadata
	return withExtra(plain(m), m.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (m *EmailMetadata) UnmarshalJSON(b []byte) error {
	type plain EmailMetadata
	return splitExtra(b, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes the fields and Extra.
func (m CallMetadata) MarshalJSON() ([]byte, error) {
	type plain CallMetadata
	return withExtra(plain(m), m.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (m *CallMetadata) UnmarshalJSON(b []byte) error {
	type plain CallMetadata
	return splitExtra(b, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes the fields and Extra.
func (m MeetingMetadata) MarshalJSON() ([]byte, error) {
	type plain MeetingMetadata
	return withExtra(plain(m), m.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (m *MeetingMetadata) UnmarshalJSON(b []byte) error {
	type plain MeetingMetadata
	return splitExtra(b, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes the fields and Extra.
func (m TaskMetadata) MarshalJSON() ([]byte, error) {
	type plain TaskMetadata
	return withExtra(plain(m), m.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (m *TaskMetadata) UnmarshalJSON(b []byte) error {
	type plain TaskMetadata
	return splitExtra(b, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes the fields and Extra.
func (m NoteMetadata) MarshalJSON() ([]byte, error) {
	type plain NoteMetadata
	return withExtra(plain(m), m.Extra)
}

// UnmarshalJSON decodes the fields and keeps the others in Extra.
func (m *NoteMetadata) UnmarshalJSON(b []byte) error {
	type plain NoteMetadata
	return splitExtra(b, (*plain)(m), &m.Extra)
}

// withExtra encodes v (a struct without custom marshalling) and adds the
// extra fields; a named field wins over an extra of the same name.
func withExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, raw := range extra {
		if _, named := m[k]; !named {
			m[k] = raw
		}
	}
	return json.Marshal(m)
}

// splitExtra decodes b into v and puts the fields v does not name in extra.
func splitExtra(b []byte, v any, extra *map[string]json.RawMessage) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := jsonNames(reflect.TypeOf(v).Elem())
	*extra = nil
	for k, raw := range all {
		if !known[k] {
			if *extra == nil {
				*extra = map[string]json.RawMessage{}
			}
			(*extra)[k] = raw
		}
	}
	return nil
}

var namesCache sync.Map // reflect.Type → map[string]bool

// jsonNames is the set of JSON field names of struct type t.
func jsonNames(t reflect.Type) map[string]bool {
	if m, ok := namesCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	namesCache.Store(t, m)
	return m
}

// utf16Len counts s in UTF-16 code units, as HubSpot measures a note: a
// character outside the Basic Multilingual Plane (an emoji) counts 2.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
