package hubspottest

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// The store keeps the records of every engagement object type the same way,
// by object type, whatever API serves them: the v3 APIs (tasks, emails and
// the generic objects API), the 2026-03 APIs of the five types, and the v1
// engagements API, which sees each record as the engagement of the same id
// (engagement.go).

// System properties every v3 record carries.
const (
	propID       = "hs_object_id"
	propCreated  = "hs_createdate"
	propModified = "hs_lastmodifieddate"
)

var systemProps = []string{propCreated, propModified, propID}

type historyEntry struct {
	value  *string
	at     time.Time
	source string
}

type assocEntry struct {
	id, typ string
}

type object struct {
	num                  int64
	props                map[string]*string // the values written; nil is null
	history              map[string][]historyEntry
	createdAt, updatedAt time.Time
	indexedAt            time.Time // when searches find this version (WithIndexLag)
	archivedAt           time.Time
	assoc                map[string][]assocEntry // by object type: "contacts"
	// version counts the changes of the record (properties, associations,
	// archiving), so that its v1 view knows when to follow.
	version int64
}

func (o *object) id() string { return strconv.FormatInt(o.num, 10) }

func (o *object) live() bool { return o.archivedAt.IsZero() }

// objectStore holds the records of one object type; all its state is
// guarded by the server's lock.
type objectStore struct {
	s        *Server
	name     string // in paths: "tasks"
	upper    string // in messages: "TASK"
	props    *propertySet
	defaults map[string]*string // the property defaults, shared by every record
	text     []string           // what a search query looks into
	body     string             // the property the body preview is made of
	objs     map[int64]*object
	order    []*object                     // every record in id order (ids only grow)
	index    map[string]map[string]*object // unique property → value → live record
}

func newObjectStore(s *Server, name string, custom []Property) *objectStore {
	k := objectKinds[name]
	defaults := maps.Clone(commonDefaults)
	maps.Copy(defaults, k.defaults)
	st := &objectStore{
		s: s, name: name, upper: k.upper, text: k.text, body: k.body,
		props:    newPropertySet(append(tableProps(props.All(name)), custom...), defaults),
		defaults: map[string]*string{},
		objs:     map[int64]*object{},
		index:    map[string]map[string]*object{},
	}
	for n, v := range defaults {
		st.defaults[n] = &v
	}
	for _, n := range st.props.unique {
		st.index[n] = map[string]*object{}
	}
	return st
}

// kind is the object type's name in HubSpot's messages: "Task".
func (st *objectStore) kind() string {
	return strings.ToUpper(st.upper[:1]) + strings.ToLower(st.upper[1:])
}

// value returns the property name of o: what HubSpot computes (the body
// preview, a task's completion), else what was written, else the default
// HubSpot set on create. ok is false when o does not carry the property.
func (st *objectStore) value(o *object, name string) (v *string, ok bool) {
	if v, ok := st.calculated(o, name); ok {
		return v, true
	}
	if v, ok := o.props[name]; ok {
		return v, true
	}
	v, ok = st.defaults[name]
	return v, ok
}

// calculated returns the property name of o when HubSpot computes it.
func (st *objectStore) calculated(o *object, name string) (*string, bool) {
	switch name {
	case "hs_body_preview", "hs_body_preview_html", "hs_body_preview_is_truncated":
		b := o.props[st.body]
		if b == nil || *b == "" {
			return nil, false
		}
		p := bodyPreview(*b)
		switch name {
		case "hs_body_preview_html":
			p = "<html>\n <head></head>\n <body>\n " + p + "\n </body>\n</html>"
		case "hs_body_preview_is_truncated":
			p = "false"
		}
		return &p, true
	case "hs_task_is_completed":
		if st.name != "tasks" {
			return nil, false
		}
		done := "0"
		if v, _ := st.value(o, "hs_task_status"); v != nil && *v == "COMPLETED" {
			done = "1"
		}
		return &done, true
	}
	return nil, false
}

// all returns every property o carries.
func (st *objectStore) all(o *object) map[string]*string {
	out := make(map[string]*string, len(st.defaults)+len(o.props)+4)
	maps.Copy(out, st.defaults)
	maps.Copy(out, o.props)
	for _, n := range []string{"hs_body_preview", "hs_body_preview_html", "hs_body_preview_is_truncated", "hs_task_is_completed"} {
		if v, ok := st.calculated(o, n); ok {
			out[n] = v
		}
	}
	return out
}

// byUnique returns the live record whose unique property name is v, or nil.
func (st *objectStore) byUnique(name, v string) *object {
	return st.index[name][v]
}

// uniqueConflict is a value of a unique property another record has.
type uniqueConflict struct {
	kind, property, value, existing string
	input                           int // which input of a batch, -1 for one record
}

// conflictOf returns the first value of props that a unique property of
// another live record than self already has, or nil.
func (st *objectStore) conflictOf(props map[string]*string, self *object, input int) *uniqueConflict {
	for _, n := range st.props.unique {
		v := props[n]
		if v == nil || *v == "" {
			continue
		}
		if o := st.index[n][*v]; o != nil && o != self {
			return &uniqueConflict{kind: st.kind(), property: n, value: *v, existing: o.id(), input: input}
		}
	}
	return nil
}

// insert stores a new record with props and the associations assoc (by
// object type), created at now, under the server's next id; the v1 API sees
// it as an engagement of the same id.
func (st *objectStore) insert(props map[string]*string, assoc map[string][]assocEntry, now time.Time) *object {
	o := &object{num: st.s.newID(), props: make(map[string]*string, len(props)+3), history: map[string][]historyEntry{}, createdAt: now, assoc: map[string][]assocEntry{}}
	id, created := o.id(), rfc3339(now)
	o.props[propID], o.props[propCreated] = &id, &created
	st.set(o, props, now)
	for t, as := range assoc {
		o.assoc[t] = append(o.assoc[t], as...)
	}
	st.objs[o.num] = o
	st.order = append(st.order, o)
	st.s.addEngagement(&engagement{id: o.num, obj: o, st: st, synced: -1})
	return o
}

// set merges props into o at time now ("" clears a value, nil makes it
// null) and keeps the unique values indexed.
func (st *objectStore) set(o *object, props map[string]*string, now time.Time) {
	for k, v := range props {
		if slices.Contains(systemProps, k) {
			continue
		}
		if idx := st.index[k]; idx != nil {
			if old := o.props[k]; old != nil && idx[*old] == o {
				delete(idx, *old)
			}
			if v != nil && *v != "" {
				idx[*v] = o
			}
		}
		o.props[k] = v
		o.history[k] = append([]historyEntry{{value: v, at: now, source: "API"}}, o.history[k]...)
	}
	o.updatedAt = now
	o.indexedAt = now.Add(st.s.cfg.indexLag)
	modified := rfc3339(now)
	o.props[propModified] = &modified
	o.version++
}

// archive archives o at now; its unique values are free again.
func (st *objectStore) archive(o *object, now time.Time) {
	o.archivedAt = now
	o.version++
	for n, idx := range st.index {
		if v := o.props[n]; v != nil && idx[*v] == o {
			delete(idx, *v)
		}
	}
}

// history returns the history of the property name of o, newest first; a
// default HubSpot set on create has one entry, at the creation.
func (st *objectStore) history(o *object, name string) []historyEntry {
	if h, ok := o.history[name]; ok {
		return h
	}
	if v, ok := st.value(o, name); ok {
		return []historyEntry{{value: v, at: o.createdAt, source: "API"}}
	}
	return nil
}

// sortedObjects returns the records keep accepts in id order.
func (st *objectStore) sortedObjects(keep func(*object) bool) []*object {
	var out []*object
	for _, o := range st.order {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// seed stores n records made by props and returns their ids; they are
// created in the n seconds before the clock's now, oldest first.
func (st *objectStore) seed(n int, props func(i int, at time.Time) map[string]*string) []string {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	now := st.s.now()
	ids := make([]string, n)
	for i := range n {
		at := now.Add(-time.Duration(n-i) * time.Second)
		ids[i] = st.insert(props(i, at), nil, at).id()
	}
	return ids
}

func (st *objectStore) exported(id string) (Object, bool) {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	n, _ := parseInt(id)
	if o, ok := st.objs[n]; ok {
		return st.export(o), true
	}
	return Object{}, false
}

func (st *objectStore) exportAll() []Object {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	out := make([]Object, 0, len(st.order))
	for _, o := range st.order {
		out = append(out, st.export(o))
	}
	return out
}

func (st *objectStore) count() int {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	n := 0
	for _, o := range st.order {
		if o.live() {
			n++
		}
	}
	return n
}
