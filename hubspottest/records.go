package hubspottest

import (
	"fmt"
	"strconv"
	"time"
)

// Object is a v3 record (a task, an email, …) as the server stores it, for
// a test to read: Prop and Has read its properties, defaults HubSpot set on
// create and values it computes included.
type Object struct {
	ID        string    // the record's id, a numeric string
	Type      string    // its object type: "tasks", "emails", …
	CreatedAt time.Time // when it was created
	UpdatedAt time.Time // when it was last changed
	Archived  bool      // whether it was archived (deleted)
	// Associations maps an object type ("contacts") to the associated ids.
	Associations map[string][]string
	props        map[string]*string
}

// Prop returns the value of the property name, "" when it is not set.
func (o Object) Prop(name string) string {
	if v := o.props[name]; v != nil {
		return *v
	}
	return ""
}

// Has reports whether the property name is set: false when it never was or
// is null, true when it holds a value, even "" (a value cleared by an
// update).
func (o Object) Has(name string) bool { return o.props[name] != nil }

// Properties returns the properties that are set (see Has), by name.
func (o Object) Properties() map[string]string {
	out := make(map[string]string, len(o.props))
	for k, v := range o.props {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// export returns o as an Object. The server must be locked.
func (st *objectStore) export(o *object) Object {
	obj := Object{ID: o.id(), Type: st.name, CreatedAt: o.createdAt, UpdatedAt: o.updatedAt, Archived: !o.live(),
		Associations: map[string][]string{}, props: st.all(o)}
	for t, as := range o.assoc {
		for _, a := range as {
			obj.Associations[t] = append(obj.Associations[t], a.id)
		}
	}
	return obj
}

// Task returns the task id, archived or not.
func (s *Server) Task(id string) (Object, bool) { return s.tasks.exported(id) }

// Email returns the email id, archived or not.
func (s *Server) Email(id string) (Object, bool) { return s.emails.exported(id) }

// Tasks returns every task, archived ones included, in id order.
func (s *Server) Tasks() []Object { return s.tasks.exportAll() }

// Emails returns every email, archived ones included, in id order.
func (s *Server) Emails() []Object { return s.emails.exportAll() }

// TaskCount returns how many tasks are not archived.
func (s *Server) TaskCount() int { return s.tasks.count() }

// EmailCount returns how many emails are not archived.
func (s *Server) EmailCount() int { return s.emails.count() }

// Objects returns every record of objectType (one of ObjectTypes()), archived
// ones included, in id order.
func (s *Server) Objects(objectType string) []Object {
	if st := s.objects[objectType]; st != nil {
		return st.exportAll()
	}
	return nil
}

// Engagement is a v1 engagement as the server stores it, for a test to read
// without decoding JSON.
type Engagement struct {
	ID          int64
	Type        string // EMAIL, CALL, MEETING, TASK, NOTE, or a type only seeds have
	PortalID    int64
	Active      bool
	OwnerID     int64 // 0 when it has none
	Timestamp   time.Time
	CreatedAt   time.Time
	LastUpdated time.Time
	// Associations maps a kind ("contactIds", "companyIds", …) to the ids.
	Associations map[string][]int64
	// Metadata is the engagement's metadata: strings, numbers (float64),
	// booleans, nil, []any and map[string]any, as JSON has them.
	Metadata map[string]any
	// JSON is the engagement as HubSpot would send it.
	JSON []byte
}

// Meta returns the metadata field key as text ("" when absent or null),
// numbers without exponent.
func (e Engagement) Meta(key string) string {
	switch v := e.Metadata[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}
