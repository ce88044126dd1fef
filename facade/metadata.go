package facade

import (
	"encoding/json"
	"fmt"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
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

// Contact is a sender or recipient of an EMAIL engagement. Extra carries
// the fields this type does not name, sent and kept as they are.
type Contact struct {
	Email     string
	FirstName string
	LastName  string
	Extra     map[string]json.RawMessage
}

// EmailMetadata is the metadata of an EMAIL engagement. Zero fields are not
// sent. Extra carries fields this type does not name, sent and kept as is.
type EmailMetadata struct {
	From    *Contact
	To      []Contact
	Cc      []Contact
	Bcc     []Contact
	Subject string
	HTML    string
	Text    string
	Status  EmailStatus
	Extra   map[string]json.RawMessage
}

// CallMetadata is the metadata of a CALL engagement. Disposition is a GUID
// from Engagements.Dispositions.
type CallMetadata struct {
	ToNumber             string
	FromNumber           string
	Status               CallStatus
	ExternalID           string
	DurationMilliseconds int64
	ExternalAccountID    string
	RecordingURL         string
	Body                 string
	Disposition          string
	Extra                map[string]json.RawMessage
}

// MeetingMetadata is the metadata of a MEETING engagement. StartTime and
// EndTime are epoch milliseconds (see Millis).
type MeetingMetadata struct {
	Body                 string
	StartTime            int64
	EndTime              int64
	Title                string
	InternalMeetingNotes string
	Extra                map[string]json.RawMessage
}

// TaskMetadata is the metadata of a TASK engagement. Reminders are epoch
// milliseconds; ForObjectType is CONTACT or COMPANY.
type TaskMetadata struct {
	Body          string
	Subject       string
	Status        TaskStatus
	ForObjectType string
	TaskType      TaskType
	Priority      TaskPriority
	Reminders     []int64
	Extra         map[string]json.RawMessage
}

// NoteMetadata is the metadata of a NOTE engagement. Body holds at most
// MaxNoteBody UTF-16 code units.
type NoteMetadata struct {
	Body  string
	Extra map[string]json.RawMessage
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

// The metadata types encode and decode through the generated types of the
// v1 spec: their JSON names are the spec's, and a renamed field there fails
// to compile here.

// MarshalJSON encodes the contact as HubSpot takes it.
func (c Contact) MarshalJSON() ([]byte, error) { return json.Marshal(c.wire()) }

// UnmarshalJSON decodes a contact, keeping unknown fields in Extra.
func (c *Contact) UnmarshalJSON(b []byte) error { return decodeVia(b, c, contactFrom) }

// MarshalJSON encodes the metadata as HubSpot takes it.
func (m EmailMetadata) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON decodes EMAIL metadata, keeping unknown fields in Extra.
func (m *EmailMetadata) UnmarshalJSON(b []byte) error { return decodeVia(b, m, emailFrom) }

// MarshalJSON encodes the metadata as HubSpot takes it.
func (m CallMetadata) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON decodes CALL metadata, keeping unknown fields in Extra.
func (m *CallMetadata) UnmarshalJSON(b []byte) error { return decodeVia(b, m, callFrom) }

// MarshalJSON encodes the metadata as HubSpot takes it.
func (m MeetingMetadata) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON decodes MEETING metadata, keeping unknown fields in Extra.
func (m *MeetingMetadata) UnmarshalJSON(b []byte) error { return decodeVia(b, m, meetingFrom) }

// MarshalJSON encodes the metadata as HubSpot takes it.
func (m TaskMetadata) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON decodes TASK metadata, keeping unknown fields in Extra.
func (m *TaskMetadata) UnmarshalJSON(b []byte) error { return decodeVia(b, m, taskFrom) }

// MarshalJSON encodes the metadata as HubSpot takes it.
func (m NoteMetadata) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON decodes NOTE metadata, keeping unknown fields in Extra.
func (m *NoteMetadata) UnmarshalJSON(b []byte) error { return decodeVia(b, m, noteFrom) }

// decodeVia decodes b into the generated type W and converts it with from.
func decodeVia[T, W any](b []byte, dst *T, from func(W) T) error {
	var w W
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*dst = from(w)
	return nil
}

// tolerant decodes metadata into the generated type W and converts it with
// from, never failing: when a field has a type the spec does not give it,
// the zero value comes back with every field kept in Extra (set by extra).
func tolerant[T, W any](raw json.RawMessage, from func(W) T, extra func(*T, map[string]json.RawMessage)) T {
	var w W
	if len(raw) == 0 || string(raw) == "null" {
		return from(w)
	}
	if err := json.Unmarshal(raw, &w); err == nil {
		return from(w)
	}
	var t T
	var all map[string]json.RawMessage
	_ = json.Unmarshal(raw, &all)
	extra(&t, all)
	return t
}

func (c Contact) wire() v1.Contact {
	return v1.Contact{Email: nz(c.Email), FirstName: nz(c.FirstName), LastName: nz(c.LastName), AdditionalProperties: extraOut(c.Extra)}
}

func contactFrom(w v1.Contact) Contact {
	return Contact{Email: deref(w.Email), FirstName: deref(w.FirstName), LastName: deref(w.LastName), Extra: extraIn(w.AdditionalProperties)}
}

func contactsOut(cs []Contact) *[]v1.Contact {
	if len(cs) == 0 {
		return nil
	}
	out := make([]v1.Contact, len(cs))
	for i, c := range cs {
		out[i] = c.wire()
	}
	return &out
}

func contactsIn(p *[]v1.Contact) []Contact {
	if p == nil {
		return nil
	}
	out := make([]Contact, len(*p))
	for i, c := range *p {
		out[i] = contactFrom(c)
	}
	return out
}

func (m EmailMetadata) wire() v1.EmailMetadata {
	w := v1.EmailMetadata{To: contactsOut(m.To), Cc: contactsOut(m.Cc), Bcc: contactsOut(m.Bcc), Subject: nz(m.Subject),
		HTML: nz(m.HTML), Text: nz(m.Text), Status: nz(string(m.Status)), AdditionalProperties: extraOut(m.Extra)}
	if m.From != nil {
		w.From = ptr(m.From.wire())
	}
	return w
}

func emailFrom(w v1.EmailMetadata) EmailMetadata {
	m := EmailMetadata{To: contactsIn(w.To), Cc: contactsIn(w.Cc), Bcc: contactsIn(w.Bcc), Subject: deref(w.Subject), HTML: deref(w.HTML),
		Text: deref(w.Text), Status: EmailStatus(deref(w.Status)), Extra: extraIn(w.AdditionalProperties)}
	if w.From != nil {
		m.From = ptr(contactFrom(*w.From))
	}
	return m
}

func (m CallMetadata) wire() v1.CallMetadata {
	return v1.CallMetadata{ToNumber: nz(m.ToNumber), FromNumber: nz(m.FromNumber), Status: nz(string(m.Status)), ExternalID: nz(m.ExternalID),
		DurationMilliseconds: nz(m.DurationMilliseconds), ExternalAccountID: nz(m.ExternalAccountID), RecordingURL: nz(m.RecordingURL),
		Body: nz(m.Body), Disposition: nz(m.Disposition), AdditionalProperties: extraOut(m.Extra)}
}

func callFrom(w v1.CallMetadata) CallMetadata {
	return CallMetadata{ToNumber: deref(w.ToNumber), FromNumber: deref(w.FromNumber), Status: CallStatus(deref(w.Status)), ExternalID: deref(w.ExternalID),
		DurationMilliseconds: deref(w.DurationMilliseconds), ExternalAccountID: deref(w.ExternalAccountID), RecordingURL: deref(w.RecordingURL),
		Body: deref(w.Body), Disposition: deref(w.Disposition), Extra: extraIn(w.AdditionalProperties)}
}

func (m MeetingMetadata) wire() v1.MeetingMetadata {
	return v1.MeetingMetadata{Body: nz(m.Body), StartTime: nz(m.StartTime), EndTime: nz(m.EndTime), Title: nz(m.Title),
		InternalMeetingNotes: nz(m.InternalMeetingNotes), AdditionalProperties: extraOut(m.Extra)}
}

func meetingFrom(w v1.MeetingMetadata) MeetingMetadata {
	return MeetingMetadata{Body: deref(w.Body), StartTime: deref(w.StartTime), EndTime: deref(w.EndTime), Title: deref(w.Title),
		InternalMeetingNotes: deref(w.InternalMeetingNotes), Extra: extraIn(w.AdditionalProperties)}
}

func (m TaskMetadata) wire() v1.TaskMetadata {
	w := v1.TaskMetadata{Body: nz(m.Body), Subject: nz(m.Subject), Status: nz(string(m.Status)), ForObjectType: nz(m.ForObjectType),
		TaskType: nz(string(m.TaskType)), Priority: nz(string(m.Priority)), AdditionalProperties: extraOut(m.Extra)}
	if len(m.Reminders) > 0 {
		w.Reminders = ptr(m.Reminders)
	}
	return w
}

func taskFrom(w v1.TaskMetadata) TaskMetadata {
	return TaskMetadata{Body: deref(w.Body), Subject: deref(w.Subject), Status: TaskStatus(deref(w.Status)), ForObjectType: deref(w.ForObjectType),
		TaskType: TaskType(deref(w.TaskType)), Priority: TaskPriority(deref(w.Priority)), Reminders: deref(w.Reminders), Extra: extraIn(w.AdditionalProperties)}
}

func (m NoteMetadata) wire() v1.NoteMetadata {
	return v1.NoteMetadata{Body: nz(m.Body), AdditionalProperties: extraOut(m.Extra)}
}

func noteFrom(w v1.NoteMetadata) NoteMetadata {
	return NoteMetadata{Body: deref(w.Body), Extra: extraIn(w.AdditionalProperties)}
}

// nz returns a pointer to v, or nil for the zero value (not sent).
func nz[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func extraOut(m map[string]json.RawMessage) map[string]v1.Extra {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]v1.Extra, len(m))
	for k, v := range m {
		out[k] = v1.Extra(v)
	}
	return out
}

func extraIn(m map[string]v1.Extra) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = json.RawMessage(v)
	}
	return out
}

// metadataWire returns the generated metadata of m's type, and validates
// what HubSpot would refuse: a missing or unknown type, a NOTE body over
// MaxNoteBody, an enumerated field outside its values.
func metadataWire(m Metadata) (any, error) {
	if m == nil {
		return nil, &ValidationError{Field: "metadata", Problem: "required (it gives the engagement type)"}
	}
	t := m.EngagementType()
	if t == "" {
		return nil, &ValidationError{Field: "engagement.type", Problem: "required"}
	}
	if !t.valid() {
		return nil, &ValidationError{Field: "engagement.type", Problem: "must be EMAIL, CALL, MEETING, TASK or NOTE", Actual: string(t)}
	}
	if raw, ok := m.(RawMetadata); ok {
		typed, err := typedMetadata(t, raw.JSON)
		if err != nil {
			return nil, err
		}
		m = typed
	}
	var w any
	var err error
	switch x := m.(type) {
	case *NoteMetadata:
		if x == nil {
			return nil, &ValidationError{Field: "metadata", Problem: "nil"}
		}
		w, err = x.wire(), checkField("metadata.body", Notes, NoteBodyProperty, x.Body)
	case *EmailMetadata:
		if x == nil {
			return nil, &ValidationError{Field: "metadata", Problem: "nil"}
		}
		w, err = x.wire(), checkField("metadata.status", Emails, EmailStatusProperty, string(x.Status))
	case *CallMetadata:
		if x == nil {
			return nil, &ValidationError{Field: "metadata", Problem: "nil"}
		}
		w, err = x.wire(), checkField("metadata.status", Calls, CallStatusProperty, string(x.Status))
	case *MeetingMetadata:
		if x == nil {
			return nil, &ValidationError{Field: "metadata", Problem: "nil"}
		}
		w = x.wire()
	case *TaskMetadata:
		if x == nil {
			return nil, &ValidationError{Field: "metadata", Problem: "nil"}
		}
		w = x.wire()
		err = firstErr(
			checkField("metadata.status", Tasks, TaskStatusProperty, string(x.Status)),
			checkField("metadata.priority", Tasks, TaskPriorityProperty, string(x.Priority)),
			checkField("metadata.taskType", Tasks, TaskTypeProperty, string(x.TaskType)))
	default:
		return nil, &ValidationError{Field: "metadata", Problem: fmt.Sprintf("%T is not a metadata type of this package", m)}
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// typedMetadata decodes raw metadata of one of the five types into its
// type, so that it is checked and sent like typed metadata.
func typedMetadata(t EngagementType, raw json.RawMessage) (Metadata, error) {
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	var m Metadata
	switch t {
	case TypeEmail:
		m = &EmailMetadata{}
	case TypeCall:
		m = &CallMetadata{}
	case TypeMeeting:
		m = &MeetingMetadata{}
	case TypeTask:
		m = &TaskMetadata{}
	default:
		m = &NoteMetadata{}
	}
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, &ValidationError{Field: "metadata", Problem: "not " + string(t) + " metadata: " + err.Error()}
	}
	return m, nil
}
