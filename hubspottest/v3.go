package hubspottest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Object is a v3 record (a task or an email) as the server stores it.
type Object struct {
	ID string // the record's id, a numeric string
	// Properties holds the property values; a nil value is a property that
	// is null (never set), apart from "" (cleared).
	Properties map[string]*string
	CreatedAt  time.Time // when it was created
	UpdatedAt  time.Time // when it was last changed
	Archived   bool      // whether it was archived (deleted)
	// Associations maps an object type ("contacts") to the associated ids.
	Associations map[string][]string
}

// System properties every v3 record carries.
const (
	propID       = "hs_object_id"
	propCreated  = "hs_createdate"
	propModified = "hs_lastmodifieddate"
)

var systemProps = []string{propCreated, propModified, propID}

// batchLimit is the most inputs a v3 batch takes.
const batchLimit = 100

type historyEntry struct {
	Value      *string `json:"value"`
	Timestamp  string  `json:"timestamp"`
	SourceType string  `json:"sourceType"`
}

type assocEntry struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type object struct {
	num                  int64
	props                map[string]*string
	history              map[string][]historyEntry
	createdAt, updatedAt time.Time
	archivedAt           time.Time
	assoc                map[string][]assocEntry
}

func (o *object) id() string { return strconv.FormatInt(o.num, 10) }

// objectStore is the v3 API of one object type (tasks, emails); all its
// state is guarded by the server's lock.
type objectStore struct {
	s          *Server
	name       string   // in paths: "tasks"
	typeName   string   // in messages: "TASK"
	queryProps []string // what a search query looks into
	objs       map[int64]*object
	order      []*object // every record in id order (ids only grow)
}

func newObjectStore(s *Server, name, typeName string, queryProps []string) *objectStore {
	return &objectStore{s: s, name: name, typeName: typeName, queryProps: queryProps, objs: map[int64]*object{}}
}

func (st *objectStore) routes(mux *http.ServeMux) {
	base := "/crm/v3/objects/" + st.name
	mux.HandleFunc("GET "+base, st.list)
	mux.HandleFunc("POST "+base, st.create)
	mux.HandleFunc("GET "+base+"/{id}", st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		writeJSON(w, http.StatusOK, st.view(o, r.URL.Query()))
	}))
	mux.HandleFunc("PATCH "+base+"/{id}", st.update)
	mux.HandleFunc("DELETE "+base+"/{id}", st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		o.archivedAt = st.s.now()
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("POST "+base+"/batch/read", st.batchRead)
	mux.HandleFunc("POST "+base+"/batch/create", st.batchCreate)
	mux.HandleFunc("POST "+base+"/batch/update", st.batchUpdate)
	mux.HandleFunc("POST "+base+"/batch/archive", st.batchArchive)
	mux.HandleFunc("POST "+base+"/search", st.search)
	mux.HandleFunc("GET "+base+"/{id}/associations/{toType}", st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		writeJSON(w, http.StatusOK, assocList{Results: append([]assocEntry{}, o.assoc[r.PathValue("toType")]...)})
	}))
	assoc := base + "/{id}/associations/{toType}/{toId}/{assocType}"
	mux.HandleFunc("PUT "+assoc, st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		a := assocEntry{ID: r.PathValue("toId"), Type: r.PathValue("assocType")}
		t := r.PathValue("toType")
		if !slices.Contains(o.assoc[t], a) {
			o.assoc[t] = append(o.assoc[t], a)
		}
		writeJSON(w, http.StatusOK, a)
	}))
	mux.HandleFunc("DELETE "+assoc, st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		t := r.PathValue("toType")
		o.assoc[t] = slices.DeleteFunc(o.assoc[t], func(a assocEntry) bool { return a.ID == r.PathValue("toId") })
		w.WriteHeader(http.StatusNoContent)
	}))
}

// live returns the record id that is not archived, or nil. The server must
// be locked.
func (st *objectStore) live(id string) *object {
	n, ok := parseInt(id)
	if o := st.objs[n]; ok && o != nil && o.archivedAt.IsZero() {
		return o
	}
	return nil
}

// with finds the live record of the path's id and calls h with the server
// locked, or answers 404.
func (st *objectStore) with(h func(http.ResponseWriter, *http.Request, *object)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st.s.mu.Lock()
		defer st.s.mu.Unlock()
		o := st.live(r.PathValue("id"))
		if o == nil {
			notFound(w, r, r.PathValue("id"))
			return
		}
		h(w, r, o)
	}
}

// record is a v3 record as answered.
type record struct {
	ID                    string                    `json:"id"`
	Properties            map[string]*string        `json:"properties"`
	PropertiesWithHistory map[string][]historyEntry `json:"propertiesWithHistory,omitempty"`
	CreatedAt             string                    `json:"createdAt"`
	UpdatedAt             string                    `json:"updatedAt"`
	Archived              bool                      `json:"archived"`
	ArchivedAt            string                    `json:"archivedAt,omitempty"`
	Associations          map[string]assocList      `json:"associations,omitempty"`
}

type assocList struct {
	Results []assocEntry `json:"results"`
}

// shape says which parts of a record an answer carries.
type shape struct {
	all          bool     // every property (create and update answers)
	props        []string // else the system properties and these (null when unset)
	history      []string // propertiesWithHistory of these
	associations []string // associated ids of these object types
}

// view returns the record of o in the shape the query q asks for
// (properties, associations).
func (st *objectStore) view(o *object, q map[string][]string) record {
	return o.render(shape{props: splitList(q["properties"]), associations: splitList(q["associations"])})
}

func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func (o *object) render(sh shape) record {
	rec := record{ID: o.id(), CreatedAt: rfc3339(o.createdAt), UpdatedAt: rfc3339(o.updatedAt), Archived: !o.archivedAt.IsZero()}
	if rec.Archived {
		rec.ArchivedAt = rfc3339(o.archivedAt)
	}
	if sh.all {
		rec.Properties = maps.Clone(o.props)
	} else {
		rec.Properties = map[string]*string{}
		for _, p := range append(sh.props, systemProps...) {
			rec.Properties[p] = o.props[p]
		}
	}
	for _, p := range sh.history {
		if rec.PropertiesWithHistory == nil {
			rec.PropertiesWithHistory = map[string][]historyEntry{}
		}
		rec.PropertiesWithHistory[p] = append([]historyEntry{}, o.history[p]...)
	}
	for _, t := range sh.associations {
		if as := o.assoc[t]; len(as) > 0 {
			if rec.Associations == nil {
				rec.Associations = map[string]assocList{}
			}
			rec.Associations[t] = assocList{Results: slices.Clone(as)}
		}
	}
	return rec
}

// toProps converts the properties of a request, where HubSpot accepts
// strings, numbers, booleans and null.
func toProps(in map[string]any) map[string]*string {
	out := make(map[string]*string, len(in))
	for k, v := range in {
		if v == nil {
			out[k] = nil
			continue
		}
		s := fmt.Sprint(v)
		out[k] = &s
	}
	return out
}

// set merges props into o at time now ("" clears a value).
func (o *object) set(props map[string]*string, now time.Time) {
	for k, v := range props {
		if slices.Contains(systemProps, k) {
			continue
		}
		o.props[k] = v
		o.history[k] = append([]historyEntry{{Value: v, Timestamp: rfc3339(now), SourceType: "API"}}, o.history[k]...)
	}
	o.updatedAt = now
	modified := rfc3339(now)
	o.props[propModified] = &modified
}

// insert stores a new record with props created at now. The server must be
// locked.
func (st *objectStore) insert(props map[string]*string, now time.Time) *object {
	o := &object{num: st.s.nextV3, props: map[string]*string{}, history: map[string][]historyEntry{}, createdAt: now, assoc: map[string][]assocEntry{}}
	st.s.nextV3++
	id, created := o.id(), rfc3339(now)
	o.props[propID], o.props[propCreated] = &id, &created
	o.set(props, now)
	st.objs[o.num] = o
	st.order = append(st.order, o)
	return o
}

type objectInput struct {
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
}

func (st *objectStore) create(w http.ResponseWriter, r *http.Request) {
	var in objectInput
	if !decodeBody(w, r, &in) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	writeJSON(w, http.StatusCreated, st.insert(toProps(in.Properties), st.s.now()).render(shape{all: true}))
}

func (st *objectStore) update(w http.ResponseWriter, r *http.Request) {
	var in objectInput
	if !decodeBody(w, r, &in) {
		return
	}
	st.with(func(w http.ResponseWriter, r *http.Request, o *object) {
		o.set(toProps(in.Properties), st.s.now())
		writeJSON(w, http.StatusOK, o.render(shape{all: true}))
	})(w, r)
}

// collection is a v3 list or search answer.
type collection struct {
	Total   *int     `json:"total,omitempty"`
	Results []record `json:"results"`
	Paging  *paging  `json:"paging,omitempty"`
}

type paging struct {
	Next struct {
		After string `json:"after"`
		Link  string `json:"link,omitempty"`
	} `json:"next"`
}

func nextPage(after, link string) *paging {
	p := &paging{}
	p.Next.After, p.Next.Link = after, link
	return p
}

// sortedObjects returns the records keep accepts in id order. The server
// must be locked.
func (st *objectStore) sortedObjects(keep func(*object) bool) []*object {
	var out []*object
	for _, o := range st.objs {
		if keep(o) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b *object) int { return cmp.Compare(a.num, b.num) })
	return out
}

// list pages in id order; after is the id to start from (HubSpot hands back
// the last id plus one).
func (st *objectStore) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(w, r, "limit", 10, 100)
	if !ok {
		return
	}
	var after int64
	if v := q.Get("after"); v != "" {
		if after, ok = parseInt(v); !ok {
			validationError(w, r, "after must be a cursor this API returned, got %q", v)
			return
		}
	}
	archived := q.Get("archived") == "true"
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	// One more than the page tells whether a next page exists.
	var all []*object
	from, _ := slices.BinarySearchFunc(st.order, after, func(o *object, id int64) int { return cmp.Compare(o.num, id) })
	for _, o := range st.order[from:] {
		if o.archivedAt.IsZero() == archived {
			continue
		}
		if all = append(all, o); len(all) > int(limit) {
			break
		}
	}
	n := min(int(limit), len(all))
	ans := collection{Results: []record{}}
	for _, o := range all[:n] {
		ans.Results = append(ans.Results, st.view(o, q))
	}
	if n < len(all) {
		next := strconv.FormatInt(all[n-1].num+1, 10)
		q.Set("after", next)
		q.Set("limit", strconv.FormatInt(limit, 10))
		ans.Paging = nextPage(next, "http://"+r.Host+r.URL.Path+"?"+q.Encode())
	}
	writeJSON(w, http.StatusOK, ans)
}

// batchAnswer is the answer of a v3 batch.
type batchAnswer struct {
	Status      string       `json:"status"`
	Results     []record     `json:"results"`
	NumErrors   int          `json:"numErrors,omitempty"`
	Errors      []batchError `json:"errors,omitempty"`
	RequestedAt string       `json:"requestedAt"`
	StartedAt   string       `json:"startedAt"`
	CompletedAt string       `json:"completedAt"`
}

type batchError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context"`
}

type batchInput struct {
	// IDProperty, on a batch read, names the property whose value the
	// inputs' ids are (a unique property of the caller's) instead of
	// hs_object_id.
	IDProperty            string        `json:"idProperty"`
	Inputs                []objectInput `json:"inputs"`
	Properties            []string      `json:"properties"`
	PropertiesWithHistory []string      `json:"propertiesWithHistory"`
}

// batch decodes a batch body, checks its size and runs do on each input
// with the server locked; do returns the record or nil when the input's id
// is unknown. It answers 200 (or ok), or 207 when some ids are unknown.
func (st *objectStore) batch(w http.ResponseWriter, r *http.Request, ok int, do func(objectInput, *batchInput, time.Time) *object, sh func(*batchInput) shape) {
	var in batchInput
	if !decodeBody(w, r, &in) || !checkInputs(w, r, len(in.Inputs)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	now := st.s.now()
	ans := batchAnswer{Status: "COMPLETE", Results: []record{}, RequestedAt: rfc3339(now), StartedAt: rfc3339(now)}
	var missing []string
	for _, input := range in.Inputs {
		if o := do(input, &in, now); o != nil {
			ans.Results = append(ans.Results, o.render(sh(&in)))
		} else {
			missing = append(missing, input.ID)
		}
	}
	ans.CompletedAt = rfc3339(st.s.now())
	if len(missing) > 0 {
		ok = http.StatusMultiStatus
		ans.NumErrors = 1
		ans.Errors = []batchError{{Status: "error", Category: "OBJECT_NOT_FOUND",
			Message: fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", st.typeName),
			Context: map[string][]string{"ids": missing}}}
	}
	writeJSON(w, ok, ans)
}

// checkInputs answers 400 when a batch has no inputs or too many.
func checkInputs(w http.ResponseWriter, r *http.Request, n int) bool {
	switch {
	case n == 0:
		validationError(w, r, "No inputs provided. inputs must contain between 1 and %d elements", batchLimit)
	case n > batchLimit:
		validationError(w, r, "Batch input size of %d exceeds limit of %d", n, batchLimit)
	}
	return n > 0 && n <= batchLimit
}

func (st *objectStore) batchRead(w http.ResponseWriter, r *http.Request) {
	st.batch(w, r, http.StatusOK, func(in objectInput, b *batchInput, _ time.Time) *object {
		if b.IDProperty == "" || b.IDProperty == propID {
			return st.live(in.ID)
		}
		for _, o := range st.order {
			if v := o.props[b.IDProperty]; v != nil && *v == in.ID && o.archivedAt.IsZero() {
				return o
			}
		}
		return nil
	},
		func(b *batchInput) shape { return shape{props: b.Properties, history: b.PropertiesWithHistory} })
}

func (st *objectStore) batchCreate(w http.ResponseWriter, r *http.Request) {
	st.batch(w, r, http.StatusCreated, func(in objectInput, _ *batchInput, now time.Time) *object {
		return st.insert(toProps(in.Properties), now)
	}, func(*batchInput) shape { return shape{all: true} })
}

func (st *objectStore) batchUpdate(w http.ResponseWriter, r *http.Request) {
	st.batch(w, r, http.StatusOK, func(in objectInput, _ *batchInput, now time.Time) *object {
		o := st.live(in.ID)
		if o != nil {
			o.set(toProps(in.Properties), now)
		}
		return o
	}, func(*batchInput) shape { return shape{all: true} })
}

// batchArchive archives the inputs; unknown ids are ignored, as HubSpot does.
func (st *objectStore) batchArchive(w http.ResponseWriter, r *http.Request) {
	var in batchInput
	if !decodeBody(w, r, &in) || !checkInputs(w, r, len(in.Inputs)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	for _, input := range in.Inputs {
		if o := st.live(input.ID); o != nil {
			o.archivedAt = st.s.now()
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// export returns o as an Object. The server must be locked.
func (o *object) export() Object {
	obj := Object{ID: o.id(), Properties: maps.Clone(o.props), CreatedAt: o.createdAt, UpdatedAt: o.updatedAt, Archived: !o.archivedAt.IsZero(), Associations: map[string][]string{}}
	for t, as := range o.assoc {
		for _, a := range as {
			obj.Associations[t] = append(obj.Associations[t], a.ID)
		}
	}
	return obj
}

func (st *objectStore) get(id string) (Object, bool) {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	n, _ := parseInt(id)
	if o, ok := st.objs[n]; ok {
		return o.export(), true
	}
	return Object{}, false
}

func (st *objectStore) all() []Object {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	var out []Object
	for _, o := range st.sortedObjects(func(*object) bool { return true }) {
		out = append(out, o.export())
	}
	return out
}

func (st *objectStore) count() int {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	return len(st.sortedObjects(func(o *object) bool { return o.archivedAt.IsZero() }))
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
		ids[i] = st.insert(props(i, at), at).id()
	}
	return ids
}

// Task returns the task id, archived or not.
func (s *Server) Task(id string) (Object, bool) { return s.tasks.get(id) }

// Email returns the email id, archived or not.
func (s *Server) Email(id string) (Object, bool) { return s.emails.get(id) }

// Tasks returns every task, archived ones included, in id order.
func (s *Server) Tasks() []Object { return s.tasks.all() }

// Emails returns every email, archived ones included, in id order.
func (s *Server) Emails() []Object { return s.emails.all() }

// TaskCount returns how many tasks are not archived.
func (s *Server) TaskCount() int { return s.tasks.count() }

// EmailCount returns how many emails are not archived.
func (s *Server) EmailCount() int { return s.emails.count() }

func str(s string) *string { return &s }

// pick returns one of vs, drawn from the seeded generator. The server must
// be locked.
func (s *Server) pick(vs ...string) string { return vs[s.rng.IntN(len(vs))] }

// SeedTasks stores n tasks and returns their ids. Their properties
// (hs_task_subject, hs_task_body, hs_task_status, hs_task_priority,
// hs_task_type, hs_timestamp, and hubspot_owner_id, null for every third)
// are a function of the seed.
func (s *Server) SeedTasks(n int) []string {
	return s.tasks.seed(n, func(i int, at time.Time) map[string]*string {
		p := map[string]*string{
			"hs_task_subject":  str(fmt.Sprintf("Task %d: %s", i+1, s.pick(words...))),
			"hs_task_body":     str(s.pick(words...)),
			"hs_task_status":   str(s.pick("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
			"hs_task_priority": str(s.pick("NONE", "LOW", "MEDIUM", "HIGH")),
			"hs_task_type":     str(s.pick("TODO", "CALL", "EMAIL")),
			"hs_timestamp":     str(rfc3339(at.Add(24 * time.Hour))),
			"hubspot_owner_id": str("7001"),
		}
		if i%3 == 2 {
			p["hubspot_owner_id"] = nil
		}
		return p
	})
}

// SeedEmails stores n emails and returns their ids. Their properties
// (hs_email_subject, hs_email_text, hs_email_direction, hs_email_status,
// hs_timestamp) are a function of the seed.
func (s *Server) SeedEmails(n int) []string {
	return s.emails.seed(n, func(i int, at time.Time) map[string]*string {
		return map[string]*string{
			"hs_email_subject":   str(fmt.Sprintf("Email %d: %s", i+1, s.pick(words...))),
			"hs_email_text":      str(s.pick(words...)),
			"hs_email_direction": str(s.pick("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")),
			"hs_email_status":    str(s.pick("SENT", "BOUNCED", "FAILED")),
			"hs_timestamp":       str(rfc3339(at)),
		}
	})
}
