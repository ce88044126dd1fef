package facade

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Object is a v3 CRM record (an email or a task) exactly as HubSpot sent it:
// encoding it gives back HubSpot's JSON, unknown fields and nulls included.
// The methods read its fields; every property is reachable by name.
type Object struct {
	raw   json.RawMessage
	v     objectView
	props *lazyProps // shared by copies: properties are parsed once, when first read
}

type objectView struct {
	ID           string                      `json:"id"`
	Properties   json.RawMessage             `json:"properties"`
	CreatedAt    string                      `json:"createdAt"`
	UpdatedAt    string                      `json:"updatedAt"`
	ArchivedAt   string                      `json:"archivedAt"`
	Archived     bool                        `json:"archived"`
	Associations map[string]associationsList `json:"associations"`
}

type associationsList struct {
	Results []AssociatedID `json:"results"`
}

// AssociatedID is a record another record is associated with.
type AssociatedID struct {
	// ID is the associated record's id.
	ID string `json:"id"`
	// Type is the association type (for example "task_to_contact").
	Type string `json:"type,omitempty"`
}

// PropertyValue is one property of a record. HubSpot sends null for a
// property that is not set, which is not the same as "" (a value cleared).
type PropertyValue struct {
	Value string
	Null  bool
}

// UnmarshalJSON keeps b and reads the fields the methods return.
func (o *Object) UnmarshalJSON(b []byte) error {
	var v objectView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.raw, o.v, o.props = append(json.RawMessage(nil), b...), v, &lazyProps{}
	return nil
}

// lazyProps holds the parsed properties of an Object. Records that are only
// passed on (an export) never pay for parsing them.
type lazyProps struct {
	once sync.Once
	m    map[string]*string
}

// properties parses the properties on first use; a null value is a nil
// pointer, an absent property is not in the map.
func (o Object) properties() map[string]*string {
	if o.props == nil {
		return nil
	}
	o.props.once.Do(func() {
		if len(o.v.Properties) > 0 {
			_ = json.Unmarshal(o.v.Properties, &o.props.m)
		}
	})
	return o.props.m
}

// MarshalJSON gives back the JSON HubSpot sent.
func (o Object) MarshalJSON() ([]byte, error) {
	if o.raw == nil {
		return []byte("null"), nil
	}
	return o.raw, nil
}

// JSON returns the record as HubSpot sent it.
func (o Object) JSON() json.RawMessage { return o.raw }

// ID returns the record's id.
func (o Object) ID() string { return o.v.ID }

// Archived reports whether the record is archived.
func (o Object) Archived() bool { return o.v.Archived }

// CreatedAt returns createdAt (zero when absent).
func (o Object) CreatedAt() time.Time { return parseTime(o.v.CreatedAt) }

// UpdatedAt returns updatedAt (zero when absent).
func (o Object) UpdatedAt() time.Time { return parseTime(o.v.UpdatedAt) }

// Property returns the named property and whether HubSpot sent it at all.
func (o Object) Property(name string) (PropertyValue, bool) {
	p, ok := o.properties()[name]
	if !ok {
		return PropertyValue{}, false
	}
	if p == nil {
		return PropertyValue{Null: true}, true
	}
	return PropertyValue{Value: *p}, true
}

// Properties returns every property HubSpot sent, by name.
func (o Object) Properties() map[string]PropertyValue {
	m := make(map[string]PropertyValue, len(o.properties()))
	for k := range o.properties() {
		m[k], _ = o.Property(k)
	}
	return m
}

// Associations returns the records of toObjectType (for example "contacts")
// that came with the record (see the Associations field of GetParams).
func (o Object) Associations(toObjectType string) []AssociatedID {
	return o.v.Associations[toObjectType].Results
}

// str is a property's value, "" when absent or null.
func (o Object) str(name string) string {
	if p := o.properties()[name]; p != nil {
		return *p
	}
	return ""
}

// timeProp reads a time property (RFC 3339 or epoch milliseconds).
func (o Object) timeProp(name string) (time.Time, bool) {
	t := parseTime(o.str(name))
	return t, !t.IsZero()
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// FormatTime formats t as HubSpot's v3 APIs expect a time property
// (hs_timestamp): RFC 3339 in UTC, with milliseconds.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// Properties are the property values to create or update a record with.
// Sending "" clears a property.
type Properties map[string]string

// Well-known task properties.
const (
	TaskSubject  = "hs_task_subject"
	TaskBody     = "hs_task_body"
	TaskStatus   = "hs_task_status"
	TaskPriority = "hs_task_priority"
	TaskType     = "hs_task_type"
	// TaskDue is the due time (hs_timestamp); see FormatTime.
	TaskDue = "hs_timestamp"
	// OwnerID is the HubSpot owner of a record.
	OwnerID = "hubspot_owner_id"
	// ObjectID is the id property every record has.
	ObjectID = "hs_object_id"
)

// Well-known email properties.
const (
	EmailSubject   = "hs_email_subject"
	EmailText      = "hs_email_text"
	EmailHTML      = "hs_email_html"
	EmailDirection = "hs_email_direction"
	EmailStatus    = "hs_email_status"
	// EmailTimestamp is when the email was sent (hs_timestamp).
	EmailTimestamp = "hs_timestamp"
)

// Task is a v3 task. Its methods read the well-known properties; Property
// reads any other.
type Task struct{ Object }

// Subject returns hs_task_subject.
func (t Task) Subject() string { return t.str(TaskSubject) }

// Body returns hs_task_body.
func (t Task) Body() string { return t.str(TaskBody) }

// Status returns hs_task_status (NOT_STARTED, IN_PROGRESS, WAITING,
// COMPLETED, DEFERRED).
func (t Task) Status() string { return t.str(TaskStatus) }

// Priority returns hs_task_priority (NONE, LOW, MEDIUM, HIGH).
func (t Task) Priority() string { return t.str(TaskPriority) }

// Type returns hs_task_type (TODO, CALL, EMAIL, …).
func (t Task) Type() string { return t.str(TaskType) }

// Due returns hs_timestamp, the due time, and whether it is set.
func (t Task) Due() (time.Time, bool) { return t.timeProp(TaskDue) }

// Email is a v3 email engagement. Its methods read the well-known
// properties; Property reads any other.
type Email struct{ Object }

// Subject returns hs_email_subject.
func (e Email) Subject() string { return e.str(EmailSubject) }

// Text returns hs_email_text.
func (e Email) Text() string { return e.str(EmailText) }

// HTML returns hs_email_html.
func (e Email) HTML() string { return e.str(EmailHTML) }

// Direction returns hs_email_direction (EMAIL, INCOMING_EMAIL, FORWARDED_EMAIL).
func (e Email) Direction() string { return e.str(EmailDirection) }

// Status returns hs_email_status (SENT, BOUNCED, FAILED, SCHEDULED, SENDING).
func (e Email) Status() string { return e.str(EmailStatus) }

// Timestamp returns hs_timestamp and whether it is set.
func (e Email) Timestamp() (time.Time, bool) { return e.timeProp(EmailTimestamp) }

func joinList(s []string) *string {
	if len(s) == 0 {
		return nil
	}
	j := strings.Join(s, ",")
	return &j
}
