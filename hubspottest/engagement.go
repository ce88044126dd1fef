package hubspottest

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// One store, three wires. As in HubSpot, a v1 engagement of one of the five
// creatable types is the note, call, meeting, email or task of the same id:
// the object store holds it, and the v1 API reads and writes it through
// internal/v1map, the one table between v1 fields and object properties.
//
// What no property holds (engagement.uid, portalId, createdBy, unknown
// fields, association kinds with no object association such as ownerIds,
// and the exact JSON a client sent) lives in the engagement's side record:
// the v1 record as the v1 API last wrote or answered it, with a snapshot of
// what the object held then. A v1 read answers the side record as it is
// while the object has not changed since (so the v1 API answers exactly
// what it always did); when another wire changed the object, the fields
// whose conversion changed follow the object and the rest stay. A record of
// a type only v1 has (PUBLISHING_TASK, seeded) lives in its side record
// alone.

// engagement is a record as the v1 API sees it. All its state is guarded
// by the server's lock.
type engagement struct {
	id  int64
	obj *object      // the record that holds it; nil for a type only v1 has
	st  *objectStore // obj's store
	rec engagementsv1.OtherEngagement
	raw json.RawMessage // rec as answered; nil until first made
	// synced is obj.version when rec last agreed with obj (-1: never), and
	// snap what obj held then.
	synced int64
	snap   snapshot
	// lastUpdated is the epoch ms of the last change of a v1-only record;
	// an object's is its updatedAt. gone is a deleted v1-only record (an
	// object is archived instead).
	lastUpdated int64
	gone        bool
}

// snapshot is what an object held that the v1 view is made of: the mapped
// properties and the associated ids by object type.
type snapshot struct {
	props map[string]*string
	assoc map[string][]string
}

func (e *engagement) live() bool {
	if e.obj != nil {
		return e.obj.live()
	}
	return !e.gone
}

// updated is the epoch ms of the last change.
func (e *engagement) updated() int64 {
	if e.obj != nil {
		return ms(e.obj.updatedAt)
	}
	return e.lastUpdated
}

// setRec makes rec the side record and encodes it.
func (e *engagement) setRec(rec engagementsv1.OtherEngagement) {
	e.rec = rec
	e.raw, _ = json.Marshal(rec)
}

// answer returns e as the generated Engagement union.
func (e *engagement) answer() engagementsv1.Engagement {
	var out engagementsv1.Engagement
	_ = out.UnmarshalJSON(e.raw)
	return out
}

// engTypeOf is the v1 type of an object: its object type's, and for an
// email its direction (EMAIL, INCOMING_EMAIL, FORWARDED_EMAIL).
func engTypeOf(st *objectStore, o *object) string {
	t, _ := v1map.EngagementType(st.name)
	if st.name == v1map.Emails {
		if d, _ := st.value(o, "hs_email_direction"); d != nil {
			if ot, ok := v1map.ObjectType(*d); ok && ot == v1map.Emails {
				return *d
			}
		}
	}
	return t
}

// mapping is what the table says of one engagement type: the properties
// its v1 view is made of, and those a v1 write sets.
type mapping struct {
	names    []string
	writable map[string]bool
}

// mappings are the engagement types' mappings, from internal/v1map.
var mappings = sync.OnceValue(func() map[string]mapping {
	out := map[string]mapping{}
	for _, t := range []string{v1map.TypeNote, v1map.TypeCall, v1map.TypeMeeting, v1map.TypeTask,
		v1map.TypeEmail, v1map.TypeIncomingEmail, v1map.TypeForwardedEmail} {
		names, _ := v1map.PropertyNames(t)
		fields, _ := v1map.Fields(t)
		m := mapping{names: names, writable: map[string]bool{}}
		for _, f := range fields {
			if f.Access == v1map.Writable {
				m.writable[f.Property] = true
			}
		}
		out[t] = m
	}
	return out
})

// snapshotOf returns what o holds that its v1 view is made of.
func (st *objectStore) snapshotOf(o *object, engType string) snapshot {
	names := mappings()[engType].names
	sn := snapshot{props: make(map[string]*string, len(names)), assoc: make(map[string][]string, len(targetSingular))}
	for _, n := range names {
		if v, ok := st.value(o, n); ok {
			sn.props[n] = v
		}
	}
	for t := range targetSingular {
		ids := []string{}
		for _, a := range o.assoc[t] {
			ids = append(ids, a.id)
		}
		sn.assoc[t] = ids
	}
	return sn
}

// fromProps is v1map.FromProperties, leaving out a property whose value it
// cannot read (a value another wire wrote in a form the table does not
// take), so that the rest of the record still reads.
func fromProps(engType string, props map[string]*string) v1map.Record {
	for {
		rec, err := v1map.FromProperties(engType, props)
		var ve *v1map.ValueError
		if err == nil || !errors.As(err, &ve) || props[ve.Property] == nil {
			return rec
		}
		props = maps.Clone(props)
		delete(props, ve.Property)
	}
}

// v1Doc is a v1 record at the JSON level: its top-level fields, and the
// engagement, metadata and associations objects field by field.
type v1Doc struct {
	top, engagement, metadata, associations map[string]json.RawMessage
}

func parseDoc(raw []byte) v1Doc {
	d := v1Doc{top: map[string]json.RawMessage{}}
	_ = json.Unmarshal(raw, &d.top)
	for key, m := range map[string]*map[string]json.RawMessage{"engagement": &d.engagement, "metadata": &d.metadata, "associations": &d.associations} {
		_ = json.Unmarshal(d.top[key], m)
		if *m == nil {
			*m = map[string]json.RawMessage{}
		}
	}
	return d
}

// record is the doc as internal/v1map reads it.
func (d v1Doc) record() v1map.Record {
	return v1map.Record{Engagement: d.engagement, Metadata: d.metadata, Attachments: d.top["attachments"]}
}

func (d v1Doc) encode() []byte {
	d.top["engagement"], _ = json.Marshal(d.engagement)
	d.top["metadata"], _ = json.Marshal(d.metadata)
	d.top["associations"], _ = json.Marshal(d.associations)
	b, _ := json.Marshal(d.top)
	return b
}

// follow makes the fields of section whose conversion changed from was to
// now take their new value (or go, when now has none).
func follow(section, was, now map[string]json.RawMessage) {
	for k := range joinKeys(was, now) {
		if bytes.Equal(was[k], now[k]) {
			continue
		}
		if v, ok := now[k]; ok {
			section[k] = v
		} else {
			delete(section, k)
		}
	}
}

func joinKeys(a, b map[string]json.RawMessage) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// view brings e's side record up to date with its object when the object
// changed since they last agreed, and returns e. The server must be locked.
func (s *Server) view(e *engagement) *engagement {
	o := e.obj
	if o == nil || o.version == e.synced {
		return e
	}
	engType := engTypeOf(e.st, o)
	now := e.st.snapshotOf(o, engType)
	doc := s.baseDoc(e, engType)
	if e.raw != nil {
		doc = parseDoc(e.raw)
	}
	was, cur := fromProps(engType, e.snap.props), fromProps(engType, now.props)
	follow(doc.engagement, was.Engagement, cur.Engagement)
	follow(doc.metadata, was.Metadata, cur.Metadata)
	if !bytes.Equal(was.Attachments, cur.Attachments) {
		doc.top["attachments"] = cmpOr(cur.Attachments, json.RawMessage("[]"))
	}
	wasA, _ := v1map.FromAssociations(engType, e.snap.assoc)
	curA, _ := v1map.FromAssociations(engType, now.assoc)
	follow(doc.associations, wasA, curA)
	var rec engagementsv1.OtherEngagement
	if err := json.Unmarshal(doc.encode(), &rec); err == nil {
		e.setRec(rec)
	}
	e.snap, e.synced = now, o.version
	return e
}

func cmpOr(v, or json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return or
	}
	return v
}

// baseDoc is the v1 record of an object no v1 request wrote: the fields
// HubSpot's v1 answers always have, the rest to follow from the object.
func (s *Server) baseDoc(e *engagement, engType string) v1Doc {
	d := v1Doc{top: map[string]json.RawMessage{"attachments": json.RawMessage("[]")}, metadata: map[string]json.RawMessage{},
		engagement: map[string]json.RawMessage{"active": json.RawMessage("true")}, associations: map[string]json.RawMessage{}}
	d.engagement["id"] = strconv.AppendInt(nil, e.id, 10)
	d.engagement["portalId"] = strconv.AppendInt(nil, s.cfg.portalID, 10)
	d.engagement["type"], _ = json.Marshal(engType)
	for kind := range associationLists(&engagementsv1.Associations{}) {
		d.associations[kind] = json.RawMessage("[]")
	}
	return d
}

// toObject converts a v1 record of type engType to the properties a v1
// write sets and the associations it makes, by object type. A value the
// table cannot convert is a *v1map.ValueError.
func toObject(engType string, d v1Doc) (map[string]*string, map[string][]assocEntry, error) {
	all, _, err := v1map.ToProperties(engType, d.record(), v1map.ModeRecord)
	if err != nil {
		return nil, nil, err
	}
	writable := mappings()[engType].writable
	props := make(map[string]*string, len(all))
	for k, v := range all {
		if writable[k] {
			props[k] = &v
		}
	}
	list, _, err := v1map.ToAssociations(engType, d.associations, v1map.ModeRecord)
	if err != nil {
		return nil, nil, err
	}
	objectType, _ := v1map.ObjectType(engType)
	assoc := map[string][]assocEntry{}
	for _, a := range list {
		at, _ := v1map.DefaultAssociation(objectType, a.ToObjectType)
		assoc[a.ToObjectType] = append(assoc[a.ToObjectType], assocEntry{id: strconv.FormatInt(a.ToID, 10), typ: at.Name})
	}
	return props, assoc, nil
}

// changes returns what a v1 update makes of the object's properties: the
// values from, converted, does not have as to, converted, has; a value to
// no longer has is cleared ("").
func changes(from, to map[string]*string) map[string]*string {
	out := map[string]*string{}
	for k, v := range to {
		if old, ok := from[k]; !ok || *old != *v {
			out[k] = v
		}
	}
	for k := range from {
		if _, ok := to[k]; !ok {
			out[k] = ptr("")
		}
	}
	return out
}

// updateObject writes a v1 update of e to e's object: rec is the record
// after the update, and the properties whose converted value it changed
// are set. It returns HubSpot's answer when the object API would refuse
// the new values. The server must be locked.
func (s *Server) updateObject(e *engagement, rec engagementsv1.OtherEngagement, at time.Time) *apiError {
	engType := rec.Engagement.Type
	before, _ := json.Marshal(e.rec)
	after, _ := json.Marshal(rec)
	from, _, _ := toObject(engType, parseDoc(before))
	to, _, err := toObject(engType, parseDoc(after))
	if err != nil {
		return &apiError{Message: "Invalid input JSON: " + err.Error(), Category: "VALIDATION_ERROR"}
	}
	ch := changes(from, to)
	if bad := e.st.check(ch, -1); len(bad) > 0 {
		e := invalidValuesError(bad)
		return &e
	}
	e.st.set(e.obj, ch, at)
	return nil
}
