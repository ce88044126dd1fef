package hubspottest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The object APIs of every wire, written once. The v3 APIs (tasks, emails,
// and the generic objects API that serves notes, calls and meetings) and
// the 2026-03 APIs of the five types take the same requests and give the
// same answers, each in the generated types of its own document: an
// operation here reads its request through a wire (wire_v3.go,
// wire_dated.go) into the values below, works on the store, and writes its
// answer through the wire again.

// createInput is one record to create: its properties and the records to
// associate it with.
type createInput struct {
	props map[string]*string
	assoc []assocInput
}

// assocInput is one association of a create body.
type assocInput struct {
	toID  string
	types []assocSpec
}

// assocSpec is an association type as a body names it.
type assocSpec struct {
	category string
	typeID   int32
}

// updateInput is one record of a batch update or upsert: id names it, by
// the unique property idProperty when set.
type updateInput struct {
	id, idProperty string
	props          map[string]*string
}

// readInput is a batch read.
type readInput struct {
	ids        []string
	idProperty string
	archived   bool // a parameter, not in the body
	sh         shape
}

// listInput is a listing's parameters.
type listInput struct {
	limit    *int
	after    *string
	archived bool
	sh       shape
}

// getInput is a read's parameters.
type getInput struct {
	idProperty string
	archived   bool
	sh         shape
}

// shape says which parts of a record an answer carries.
type shape struct {
	all          bool     // every property (create and update answers)
	props        []string // else the system properties and these (null when unset)
	history      []string // propertiesWithHistory of these
	associations []string // associated ids of these object types
}

// view is a record as an answer carries it, for a wire to write.
type view struct {
	id               string
	created, updated time.Time
	archivedAt       time.Time // zero when live
	props            map[string]*string
	history          map[string][]historyEntry // by property, when asked
	assoc            map[string][]assocEntry   // by object type as asked, when any
}

// batchError is the per-input error of a batch that partly failed.
type batchError struct {
	message string
	ids     []string
}

// wire reads the requests and writes the answers of one family of
// documents in its generated types. A read decodes r's body (already
// checked against its document) or answers 400 and returns false.
type wire interface {
	readCreate(w http.ResponseWriter, r *http.Request) (createInput, bool)
	readUpdate(w http.ResponseWriter, r *http.Request) (map[string]*string, bool)
	readBatchRead(w http.ResponseWriter, r *http.Request) (readInput, bool)
	readBatchCreate(w http.ResponseWriter, r *http.Request) ([]createInput, bool)
	readBatchUpdate(w http.ResponseWriter, r *http.Request) ([]updateInput, bool)
	readBatchUpsert(w http.ResponseWriter, r *http.Request) ([]updateInput, bool)
	readBatchArchive(w http.ResponseWriter, r *http.Request) ([]string, bool)
	readSearch(w http.ResponseWriter, r *http.Request) (searchInput, bool)

	// writeRecord writes one record: read (read: with its associations),
	// or created or updated.
	writeRecord(w http.ResponseWriter, status int, v view, read bool)
	writePage(w http.ResponseWriter, vs []view, next, link string)
	writeBatch(w http.ResponseWriter, status int, vs []view, begun, done time.Time, failed *batchError)
	writeUpserted(w http.ResponseWriter, vs []view, created []bool, begun, done time.Time)
	writeFound(w http.ResponseWriter, vs []view, total int, next string)
}

// decodeBody decodes the JSON body of r, which checkRequest has already
// checked against the document, into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		validationError(w, r, "Invalid input JSON: %v", err)
		return false
	}
	return true
}

// read decodes the JSON body of r into the generated type T and converts
// it with conv, or answers 400 and returns false.
func read[T, V any](w http.ResponseWriter, r *http.Request, conv func(*T) V) (V, bool) {
	var in T
	if !decodeBody(w, r, &in) {
		var zero V
		return zero, false
	}
	return conv(&in), true
}

// each converts every element of xs with f.
func each[T, U any](xs []T, f func(T) U) []U {
	if xs == nil {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// inputProps returns the property values of a create or update. The
// generated input types hold strings only: HubSpot also takes numbers,
// booleans and null, which checkRequest turns into strings first.
func inputProps(m map[string]string) map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = &v
	}
	return out
}

// splitList reads a list parameter: comma-separated values, in one or
// repeated parameters.
func splitList(vs ...string) []string {
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

// view returns o in the shape sh.
func (st *objectStore) view(o *object, sh shape) view {
	v := view{id: o.id(), created: o.createdAt.UTC(), updated: o.updatedAt.UTC(), archivedAt: o.archivedAt.UTC()}
	if o.live() {
		v.archivedAt = time.Time{}
	}
	if sh.all {
		v.props = st.all(o)
	} else {
		v.props = make(map[string]*string, len(sh.props)+len(systemProps))
		for _, p := range slices.Concat(sh.props, systemProps) {
			v.props[p], _ = st.value(o, p)
		}
	}
	if len(sh.history) > 0 {
		v.history = make(map[string][]historyEntry, len(sh.history))
		for _, p := range sh.history {
			v.history[p] = st.history(o, p)
		}
	}
	for _, typ := range sh.associations {
		if as := o.assoc[canonicalType(typ)]; len(as) > 0 {
			if v.assoc == nil {
				v.assoc = map[string][]assocEntry{}
			}
			v.assoc[typ] = as
		}
	}
	return v
}

// find returns the record id names, by its id or by the value of the
// unique property idProperty; archived ones only, when archived. The
// server must be locked.
func (st *objectStore) find(id, idProperty string, archived bool) *object {
	var o *object
	if idProperty == "" || idProperty == propID {
		if n, ok := parseInt(id); ok {
			o = st.objs[n]
		}
	} else {
		o = st.byUnique(idProperty, id)
	}
	if o == nil || o.live() == archived {
		return nil
	}
	return o
}

// checkIDProperty answers HubSpot's 400 to an idProperty that names no
// property with unique values, and reports whether it is one (or none).
func (st *objectStore) checkIDProperty(w http.ResponseWriter, r *http.Request, idProperty string) bool {
	if idProperty == "" || idProperty == propID || st.props.isUnique(idProperty) {
		return true
	}
	st.notUnique(w, r, idProperty)
	return false
}

// notUnique is HubSpot's answer to a lookup by a property without unique
// values: "Unable to perform update/upsert by non-unique 0-2 property
// hs_object_id in portal ID 21939747", as HubSpot words it.
func (st *objectStore) notUnique(w http.ResponseWriter, r *http.Request, idProperty string) {
	validationError(w, r, "Unable to perform update/upsert by non-unique %s property %s in portal ID %d", typeIDs[st.name], idProperty, st.s.cfg.portalID)
}

// with calls h with the server locked and the record id names, or answers
// 404.
func (st *objectStore) with(w http.ResponseWriter, r *http.Request, id, idProperty string, archived bool, h func(*object)) {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	o := st.find(id, idProperty, archived)
	if o == nil {
		notFound(w, r, id)
		return
	}
	h(o)
}

func (st *objectStore) get(w http.ResponseWriter, r *http.Request, wr wire, id string, in getInput) {
	if !checkTypes(w, r, in.sh.associations) || !st.checkIDProperty(w, r, in.idProperty) {
		return
	}
	st.with(w, r, id, in.idProperty, in.archived, func(o *object) { wr.writeRecord(w, http.StatusOK, st.view(o, in.sh), true) })
}

// check checks the properties of one input: HubSpot's answer to what it
// refuses, or nil.
func (st *objectStore) check(props map[string]*string, input int) []invalidValue {
	return st.props.checkAll(props, st.s.cfg.portalID, input)
}

func (st *objectStore) create(w http.ResponseWriter, r *http.Request, wr wire) {
	in, ok := wr.readCreate(w, r)
	if !ok {
		return
	}
	if bad := st.check(in.props, -1); len(bad) > 0 {
		invalidValues(w, r, bad)
		return
	}
	if bad := st.missingRequired(r, in.props, -1); len(bad) > 0 {
		missingRequired(w, r, bad)
		return
	}
	assoc, ok := st.resolveAssociations(w, r, in.assoc, -1)
	if !ok {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	if c := st.conflictOf(in.props, nil, -1); c != nil {
		conflict(w, r, c)
		return
	}
	wr.writeRecord(w, http.StatusCreated, st.view(st.insert(in.props, assoc, st.s.now()), shape{all: true}), false)
}

func (st *objectStore) update(w http.ResponseWriter, r *http.Request, wr wire, id, idProperty string) {
	props, ok := wr.readUpdate(w, r)
	if !ok || !st.checkIDProperty(w, r, idProperty) {
		return
	}
	if bad := st.check(props, -1); len(bad) > 0 {
		invalidValues(w, r, bad)
		return
	}
	st.with(w, r, id, idProperty, false, func(o *object) {
		if c := st.conflictOf(props, o, -1); c != nil {
			conflict(w, r, c)
			return
		}
		st.set(o, props, st.s.now())
		wr.writeRecord(w, http.StatusOK, st.view(o, shape{all: true}), false)
	})
}

func (st *objectStore) archiveOne(w http.ResponseWriter, r *http.Request, id string) {
	st.with(w, r, id, "", false, func(o *object) {
		st.archive(o, st.s.now())
		w.WriteHeader(http.StatusNoContent)
	})
}

// list pages in id order; after is the id to start from (HubSpot hands
// back the last id plus one).
func (st *objectStore) list(w http.ResponseWriter, r *http.Request, wr wire, in listInput) {
	limit := 10
	if in.limit != nil {
		limit = *in.limit
	}
	if limit < 1 || limit > 100 {
		validationError(w, r, "limit must be an integer between 1 and 100, got %d", limit)
		return
	}
	var after int64
	if in.after != nil {
		var ok bool
		if after, ok = parseInt(*in.after); !ok {
			validationError(w, r, "after must be a cursor this API returned, got %q", *in.after)
			return
		}
	}
	if !checkTypes(w, r, in.sh.associations) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	// One more than the page tells whether a next page exists.
	var page []*object
	from, _ := slices.BinarySearchFunc(st.order, after, func(o *object, id int64) int { return cmp.Compare(o.num, id) })
	for _, o := range st.order[from:] {
		if o.live() == in.archived {
			continue
		}
		if page = append(page, o); len(page) > limit {
			break
		}
	}
	n := min(limit, len(page))
	vs := make([]view, n)
	for i, o := range page[:n] {
		vs[i] = st.view(o, in.sh)
	}
	next, link := "", ""
	if n < len(page) {
		next = strconv.FormatInt(page[n-1].num+1, 10)
		q := r.URL.Query()
		q.Set("after", next)
		q.Set("limit", strconv.Itoa(limit))
		link = "http://" + r.Host + r.URL.Path + "?" + q.Encode()
	}
	wr.writePage(w, vs, next, link)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
