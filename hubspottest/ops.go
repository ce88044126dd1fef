package hubspottest

import (
	"cmp"
	"encoding/json"
	"fmt"
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

// batchLimit is the most inputs a batch takes.
const batchLimit = 100

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

// notFoundInBatch is the per-input error of a batch naming missing ids.
func (st *objectStore) notFoundInBatch(missing []string) *batchError {
	if len(missing) == 0 {
		return nil
	}
	return &batchError{ids: missing,
		message: fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", st.upper)}
}

// batchStatus is ok, or 207 when some inputs failed.
func batchStatus(ok int, failed *batchError) int {
	if failed != nil {
		return http.StatusMultiStatus
	}
	return ok
}

// batchRead reads a batch by id or unique value; archived ones only, when
// archived.
func (st *objectStore) batchRead(w http.ResponseWriter, r *http.Request, wr wire, archived bool) {
	in, ok := wr.readBatchRead(w, r)
	if !ok || !checkInputs(w, r, len(in.ids)) {
		return
	}
	in.archived = archived
	if in.idProperty != "" && in.idProperty != propID && !st.props.isUnique(in.idProperty) {
		validationError(w, r, "%s is not a unique property of %s: idProperty must name a property with unique values", in.idProperty, st.name)
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	begun := st.s.now()
	var vs []view
	var missing []string
	for _, id := range in.ids {
		o := st.find(id, in.idProperty, in.archived)
		if o == nil {
			missing = append(missing, id)
			continue
		}
		vs = append(vs, st.view(o, in.sh))
	}
	failed := st.notFoundInBatch(missing)
	wr.writeBatch(w, batchStatus(http.StatusOK, failed), vs, begun, st.s.now(), failed)
}

// checkBatch checks the property values of the inputs of a batch create,
// update or upsert and answers what HubSpot refuses: invalid values (400,
// each naming its input), a unique value used twice in the batch (400) or
// by another record (409). selves are the records the inputs update (nil
// for creates). The server must be locked.
func (st *objectStore) checkBatch(w http.ResponseWriter, r *http.Request, inputs []map[string]*string, selves []*object) bool {
	var bad []invalidValue
	for i, p := range inputs {
		bad = append(bad, st.check(p, i)...)
	}
	if len(bad) > 0 {
		invalidValues(w, r, bad)
		return false
	}
	seen := map[[2]string]int{}
	for i, p := range inputs {
		var self *object
		if selves != nil {
			self = selves[i]
		}
		if c := st.conflictOf(p, self, i); c != nil {
			conflict(w, r, c)
			return false
		}
		for _, n := range st.props.unique {
			if v := p[n]; v != nil && *v != "" {
				if j, dup := seen[[2]string{n, *v}]; dup {
					validationError(w, r, "Duplicate value %q of unique property %s in inputs[%d] and inputs[%d]", *v, n, j, i)
					return false
				}
				seen[[2]string{n, *v}] = i
			}
		}
	}
	return true
}

func (st *objectStore) batchCreate(w http.ResponseWriter, r *http.Request, wr wire) {
	in, ok := wr.readBatchCreate(w, r)
	if !ok || !checkInputs(w, r, len(in)) {
		return
	}
	inputs := make([]map[string]*string, len(in))
	assoc := make([]map[string][]assocEntry, len(in))
	for i, c := range in {
		inputs[i] = c.props
		if assoc[i], ok = st.resolveAssociations(w, r, c.assoc, i); !ok {
			return
		}
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	if !st.checkBatch(w, r, inputs, nil) {
		return
	}
	begun := st.s.now()
	vs := make([]view, len(inputs))
	for i, p := range inputs {
		vs[i] = st.view(st.insert(p, assoc[i], begun), shape{all: true})
	}
	wr.writeBatch(w, http.StatusCreated, vs, begun, st.s.now(), nil)
}

func (st *objectStore) batchUpdate(w http.ResponseWriter, r *http.Request, wr wire) {
	in, ok := wr.readBatchUpdate(w, r)
	if !ok || !checkInputs(w, r, len(in)) {
		return
	}
	inputs := make([]map[string]*string, len(in))
	for i, u := range in {
		if !st.checkIDProperty(w, r, u.idProperty) {
			return
		}
		inputs[i] = u.props
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(in))
	for i, u := range in {
		selves[i] = st.find(u.id, u.idProperty, false)
	}
	if !st.checkBatch(w, r, inputs, selves) {
		return
	}
	begun := st.s.now()
	var vs []view
	var missing []string
	for i, o := range selves {
		if o == nil {
			missing = append(missing, in[i].id)
			continue
		}
		st.set(o, inputs[i], begun)
		vs = append(vs, st.view(o, shape{all: true}))
	}
	failed := st.notFoundInBatch(missing)
	wr.writeBatch(w, batchStatus(http.StatusOK, failed), vs, begun, st.s.now(), failed)
}

// batchUpsert updates the record whose unique property idProperty holds an
// input's id, or creates one with it; each result says which (new).
// HubSpot refuses a property without unique values (hs_object_id
// included) as the key, and two inputs naming one record.
func (st *objectStore) batchUpsert(w http.ResponseWriter, r *http.Request, wr wire) {
	in, ok := wr.readBatchUpsert(w, r)
	if !ok || !checkInputs(w, r, len(in)) {
		return
	}
	inputs := make([]map[string]*string, len(in))
	for i, u := range in {
		if u.idProperty == "" {
			validationError(w, r, "inputs[%d].idProperty: a batch upsert names its records by a unique property", i)
			return
		}
		if !st.props.isUnique(u.idProperty) {
			st.notUnique(w, r, u.idProperty)
			return
		}
		inputs[i] = u.props
		inputs[i][u.idProperty] = ptr(u.id)
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(in))
	for i, u := range in {
		selves[i] = st.byUnique(u.idProperty, u.id)
	}
	if !st.checkBatch(w, r, inputs, selves) {
		return
	}
	begun := st.s.now()
	vs := make([]view, len(in))
	created := make([]bool, len(in))
	for i, o := range selves {
		if created[i] = o == nil; created[i] {
			o = st.insert(inputs[i], nil, begun)
		} else {
			st.set(o, inputs[i], begun)
		}
		vs[i] = st.view(o, shape{all: true})
	}
	wr.writeUpserted(w, vs, created, begun, st.s.now())
}

// batchArchive archives the inputs; unknown ids are ignored, as HubSpot does.
func (st *objectStore) batchArchive(w http.ResponseWriter, r *http.Request, wr wire) {
	ids, ok := wr.readBatchArchive(w, r)
	if !ok || !checkInputs(w, r, len(ids)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	for _, id := range ids {
		if o := st.find(id, "", false); o != nil {
			st.archive(o, st.s.now())
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// link associates o with the record id of type to (canonical) as typ,
// once. The server must be locked.
func (st *objectStore) link(o *object, to string, e assocEntry) {
	if !slices.Contains(o.assoc[to], e) {
		o.assoc[to] = append(o.assoc[to], e)
		o.version++
	}
}

// unlink removes every association of o with the record id of type to.
// The server must be locked.
func (st *objectStore) unlink(o *object, to, id string) {
	n := len(o.assoc[to])
	if o.assoc[to] = slices.DeleteFunc(o.assoc[to], func(a assocEntry) bool { return a.id == id }); len(o.assoc[to]) != n {
		o.version++
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
