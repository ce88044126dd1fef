package hubspottest

import (
	"fmt"
	"net/http"
)

// The batch operations of the object APIs, on every wire (ops.go).

// batchLimit is the most inputs a batch takes.
const batchLimit = 100

// batchInputs reads a batch's inputs with read, answers 400 when there
// are none or too many, and collects the properties of each with props,
// which answers and returns false to refuse input i.
func batchInputs[T any](w http.ResponseWriter, r *http.Request, read func(http.ResponseWriter, *http.Request) ([]T, bool), props func(i int, in T) (map[string]*string, bool)) ([]T, []map[string]*string, bool) {
	in, ok := read(w, r)
	if !ok || !checkInputs(w, r, len(in)) {
		return nil, nil, false
	}
	inputs := make([]map[string]*string, len(in))
	for i, u := range in {
		if inputs[i], ok = props(i, u); !ok {
			return nil, nil, false
		}
	}
	return in, inputs, true
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
// for creates). creates says that an input without a record creates one
// (batch create and upsert): it must then carry the properties the account
// requires on create. The server must be locked.
func (st *objectStore) checkBatch(w http.ResponseWriter, r *http.Request, inputs []map[string]*string, selves []*object, creates bool) bool {
	var bad []invalidValue
	for i, p := range inputs {
		bad = append(bad, st.check(p, i)...)
	}
	if len(bad) > 0 {
		invalidValues(w, r, bad)
		return false
	}
	for i, p := range inputs {
		if creates && (selves == nil || selves[i] == nil) { // a record created
			bad = append(bad, st.missingRequired(r, p, i)...)
		}
	}
	if len(bad) > 0 {
		missingRequired(w, r, bad)
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
	var assoc []map[string][]assocEntry
	_, inputs, ok := batchInputs(w, r, wr.readBatchCreate, func(i int, c createInput) (map[string]*string, bool) {
		a, ok := st.resolveAssociations(w, r, c.assoc, i)
		assoc = append(assoc, a) // inputs come in order: assoc[i] is input i's
		return c.props, ok
	})
	if !ok {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	if !st.checkBatch(w, r, inputs, nil, true) {
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
	in, inputs, ok := batchInputs(w, r, wr.readBatchUpdate, func(_ int, u updateInput) (map[string]*string, bool) {
		return u.props, st.checkIDProperty(w, r, u.idProperty)
	})
	if !ok {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(in))
	for i, u := range in {
		selves[i] = st.find(u.id, u.idProperty, false)
	}
	if !st.checkBatch(w, r, inputs, selves, false) {
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
	in, inputs, ok := batchInputs(w, r, wr.readBatchUpsert, func(i int, u updateInput) (map[string]*string, bool) {
		if u.idProperty == "" {
			validationError(w, r, "inputs[%d].idProperty: a batch upsert names its records by a unique property", i)
			return nil, false
		}
		if !st.props.isUnique(u.idProperty) {
			st.notUnique(w, r, u.idProperty)
			return nil, false
		}
		u.props[u.idProperty] = ptr(u.id)
		return u.props, true
	})
	if !ok {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(in))
	for i, u := range in {
		selves[i] = st.byUnique(u.idProperty, u.id)
	}
	if !st.checkBatch(w, r, inputs, selves, true) {
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
