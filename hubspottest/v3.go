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

	"github.com/oapi-codegen/nullable"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The v3 objects API of one object type, written once for every type: the
// bodies it reads and the answers it writes are the generated types of the
// tasks document, whose shapes the emails document shares (adapters.go
// serves both through them), so a field renamed in a document breaks this
// file's build.

// batchLimit is the most inputs a v3 batch takes.
const batchLimit = 100

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

// inputProps returns the property values of a create or update. The
// generated input type holds strings only: HubSpot also takes numbers,
// booleans and null, which checkRequest turns into strings first.
func inputProps(m *map[string]string) map[string]*string {
	if m == nil {
		return map[string]*string{}
	}
	out := make(map[string]*string, len(*m))
	for k, v := range *m {
		out[k] = &v
	}
	return out
}

// shape says which parts of a record an answer carries.
type shape struct {
	all          bool     // every property (create and update answers)
	props        []string // else the system properties and these (null when unset)
	history      []string // propertiesWithHistory of these
	associations []string // associated ids of these object types
}

func splitList(v *string) []string {
	if v == nil {
		return nil
	}
	var out []string
	for p := range strings.SplitSeq(*v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// render returns o in the shape sh, as the generated record type.
func (st *objectStore) render(o *object, sh shape) tasks.Task {
	created, updated := o.createdAt.UTC(), o.updatedAt.UTC()
	t := tasks.Task{ID: ptr(o.id()), CreatedAt: &created, UpdatedAt: &updated, Archived: ptr(!o.live())}
	if !o.live() {
		t.ArchivedAt = ptr(o.archivedAt.UTC())
	}
	var props map[string]*string
	if sh.all {
		props = st.all(o)
	} else {
		props = make(map[string]*string, len(sh.props)+len(systemProps))
		for _, p := range slices.Concat(sh.props, systemProps) {
			props[p], _ = st.value(o, p)
		}
	}
	t.Properties = &props
	if len(sh.history) > 0 {
		hist := map[string][]tasks.ValueWithTimestamp{}
		for _, p := range sh.history {
			vs := []tasks.ValueWithTimestamp{}
			for _, h := range st.history(o, p) {
				v := tasks.ValueWithTimestamp{Timestamp: ptr(h.at.UTC()), SourceType: ptr(h.source), Value: nullable.NewNullNullable[string]()}
				if h.value != nil {
					v.Value = nullable.NewNullableWithValue(*h.value)
				}
				vs = append(vs, v)
			}
			hist[p] = vs
		}
		t.PropertiesWithHistory = &hist
	}
	for _, typ := range sh.associations {
		as := o.assoc[canonicalType(typ)]
		if len(as) == 0 {
			continue
		}
		if t.Associations == nil {
			t.Associations = &map[string]tasks.CollectionResponseAssociation{}
		}
		(*t.Associations)[typ] = tasks.CollectionResponseAssociation{Results: associationList(as)}
	}
	return t
}

func associationList(as []assocEntry) *[]tasks.Association {
	out := make([]tasks.Association, len(as))
	for i, a := range as {
		out[i] = tasks.Association{ID: ptr(a.id), Type: ptr(a.typ)}
	}
	return &out
}

// with finds the live record id and calls h with the server locked, or
// answers 404.
func (st *objectStore) with(w http.ResponseWriter, r *http.Request, id string, h func(*object)) {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	o := st.live(id)
	if o == nil {
		notFound(w, r, id)
		return
	}
	h(o)
}

func (st *objectStore) getObject(w http.ResponseWriter, r *http.Request, id string, p tasks.GetTaskParams) {
	st.with(w, r, id, func(o *object) {
		writeJSON(w, http.StatusOK, record(st.render(o, shape{props: splitList(p.Properties), associations: splitList(p.Associations)})))
	})
}

// check checks the properties of one input: HubSpot's answer to what it
// refuses, or nil.
func (st *objectStore) check(props map[string]*string, input int) []invalidValue {
	return st.props.checkAll(props, st.s.cfg.portalID, input)
}

func (st *objectStore) createObject(w http.ResponseWriter, r *http.Request) {
	var in tasks.SimplePublicObjectInput
	if !decodeBody(w, r, &in) {
		return
	}
	props := inputProps(in.Properties)
	if bad := st.check(props, -1); len(bad) > 0 {
		invalidValues(w, r, bad)
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	if c := st.conflictOf(props, nil, -1); c != nil {
		conflict(w, r, c)
		return
	}
	writeJSON(w, http.StatusCreated, record(st.render(st.insert(props, st.s.now()), shape{all: true})))
}

func (st *objectStore) updateObject(w http.ResponseWriter, r *http.Request, id string) {
	var in tasks.SimplePublicObjectInput
	if !decodeBody(w, r, &in) {
		return
	}
	props := inputProps(in.Properties)
	if bad := st.check(props, -1); len(bad) > 0 {
		invalidValues(w, r, bad)
		return
	}
	st.with(w, r, id, func(o *object) {
		if c := st.conflictOf(props, o, -1); c != nil {
			conflict(w, r, c)
			return
		}
		st.set(o, props, st.s.now())
		writeJSON(w, http.StatusOK, record(st.render(o, shape{all: true})))
	})
}

func (st *objectStore) archiveObject(w http.ResponseWriter, r *http.Request, id string) {
	st.with(w, r, id, func(o *object) {
		st.archive(o, st.s.now())
		w.WriteHeader(http.StatusNoContent)
	})
}

func nextPage(after, link string) *tasks.Paging {
	return &tasks.Paging{Next: &struct {
		After *string `json:"after,omitempty"`
		Link  *string `json:"link,omitempty"`
	}{After: &after, Link: orNil(link)}}
}

// listObjects pages in id order; after is the id to start from (HubSpot
// hands back the last id plus one).
func (st *objectStore) listObjects(w http.ResponseWriter, r *http.Request, p tasks.ListTasksParams) {
	limit := 10
	if p.Limit != nil {
		limit = *p.Limit
	}
	if limit < 1 || limit > 100 {
		validationError(w, r, "limit must be an integer between 1 and 100, got %d", limit)
		return
	}
	var after int64
	if p.After != nil {
		var ok bool
		if after, ok = parseInt(*p.After); !ok {
			validationError(w, r, "after must be a cursor this API returned, got %q", *p.After)
			return
		}
	}
	archived := p.Archived != nil && *p.Archived
	sh := shape{props: splitList(p.Properties), associations: splitList(p.Associations)}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	// One more than the page tells whether a next page exists.
	var page []*object
	from, _ := slices.BinarySearchFunc(st.order, after, func(o *object, id int64) int { return cmp.Compare(o.num, id) })
	for _, o := range st.order[from:] {
		if o.live() == archived {
			continue
		}
		if page = append(page, o); len(page) > limit {
			break
		}
	}
	n := min(limit, len(page))
	results := make([]tasks.Task, 0, n)
	for _, o := range page[:n] {
		results = append(results, st.render(o, sh))
	}
	ans := tasks.CollectionResponseTask{Results: &results}
	if n < len(page) {
		next := strconv.FormatInt(page[n-1].num+1, 10)
		q := r.URL.Query()
		q.Set("after", next)
		q.Set("limit", strconv.Itoa(limit))
		ans.Paging = nextPage(next, "http://"+r.Host+r.URL.Path+"?"+q.Encode())
	}
	writeRecords(w, http.StatusOK, &ans, &ans.Results)
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

// batchAnswer writes the answer of a batch: ok with the records found, or
// 207 naming the ids that are not.
func (st *objectStore) batchAnswer(w http.ResponseWriter, r *http.Request, ok int, begun time.Time, results []tasks.Task, missing []string) {
	ans := tasks.BatchResponseTask{Status: ptr("COMPLETE"), Results: &results,
		RequestedAt: ptr(begun.UTC()), StartedAt: ptr(begun.UTC()), CompletedAt: ptr(st.s.now().UTC())}
	if len(missing) > 0 {
		ok = http.StatusMultiStatus
		ans.NumErrors = ptr(1)
		ans.Errors = &[]tasks.StandardError{{Status: ptr("error"), Category: ptr("OBJECT_NOT_FOUND"),
			Message: ptr(fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", st.upper)),
			Context: &map[string][]string{"ids": missing}}}
	}
	writeRecords(w, ok, &ans, &ans.Results)
}

func (st *objectStore) batchRead(w http.ResponseWriter, r *http.Request) {
	var in tasks.BatchReadInput
	if !decodeBody(w, r, &in) {
		return
	}
	var inputs []string
	if in.Inputs != nil {
		for _, i := range *in.Inputs {
			inputs = append(inputs, deref(i.ID))
		}
	}
	if !checkInputs(w, r, len(inputs)) {
		return
	}
	idProp := deref(in.IDProperty)
	if idProp != "" && idProp != propID && !st.props.isUnique(idProp) {
		validationError(w, r, "%s is not a unique property of %s: idProperty must name a property with unique values", idProp, st.name)
		return
	}
	sh := shape{props: derefList(in.Properties), history: derefList(in.PropertiesWithHistory)}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	begun := st.s.now()
	results, missing := []tasks.Task{}, []string(nil)
	for _, id := range inputs {
		o := st.live(id)
		if idProp != "" && idProp != propID {
			o = st.byUnique(idProp, id)
		}
		if o == nil {
			missing = append(missing, id)
			continue
		}
		results = append(results, st.render(o, sh))
	}
	st.batchAnswer(w, r, http.StatusOK, begun, results, missing)
}

// checkBatch checks the property values of the inputs of a batch create or
// update and answers what HubSpot refuses: invalid values (400, each naming
// its input), a unique value used twice in the batch (400) or by another
// record (409). selves are the records the inputs update (nil for creates).
// The server must be locked.
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

func (st *objectStore) batchCreate(w http.ResponseWriter, r *http.Request) {
	var in tasks.BatchCreateInput
	if !decodeBody(w, r, &in) {
		return
	}
	var inputs []map[string]*string
	if in.Inputs != nil {
		for _, i := range *in.Inputs {
			inputs = append(inputs, inputProps(&i.Properties))
		}
	}
	if !checkInputs(w, r, len(inputs)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	if !st.checkBatch(w, r, inputs, nil) {
		return
	}
	begun := st.s.now()
	results := make([]tasks.Task, 0, len(inputs))
	for _, p := range inputs {
		results = append(results, st.render(st.insert(p, begun), shape{all: true}))
	}
	st.batchAnswer(w, r, http.StatusCreated, begun, results, nil)
}

func (st *objectStore) batchUpdate(w http.ResponseWriter, r *http.Request) {
	var in tasks.BatchUpdateInput
	if !decodeBody(w, r, &in) {
		return
	}
	var ids []string
	var inputs []map[string]*string
	if in.Inputs != nil {
		for _, i := range *in.Inputs {
			ids, inputs = append(ids, deref(i.ID)), append(inputs, inputProps(i.Properties))
		}
	}
	if !checkInputs(w, r, len(inputs)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(ids))
	for i, id := range ids {
		selves[i] = st.live(id)
	}
	if !st.checkBatch(w, r, inputs, selves) {
		return
	}
	begun := st.s.now()
	results, missing := []tasks.Task{}, []string(nil)
	for i, o := range selves {
		if o == nil {
			missing = append(missing, ids[i])
			continue
		}
		st.set(o, inputs[i], begun)
		results = append(results, st.render(o, shape{all: true}))
	}
	st.batchAnswer(w, r, http.StatusOK, begun, results, missing)
}

// batchArchive archives the inputs; unknown ids are ignored, as HubSpot does.
func (st *objectStore) batchArchive(w http.ResponseWriter, r *http.Request) {
	var in tasks.BatchArchiveInput
	if !decodeBody(w, r, &in) || !checkInputs(w, r, len(in.Inputs)) {
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	for _, input := range in.Inputs {
		if o := st.live(input.ID); o != nil {
			st.archive(o, st.s.now())
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (st *objectStore) listAssociations(w http.ResponseWriter, r *http.Request, id, toType string) {
	st.with(w, r, id, func(o *object) {
		writeJSON(w, http.StatusOK, tasks.CollectionResponseAssociation{Results: associationList(o.assoc[canonicalType(toType)])})
	})
}

// associate adds (or, with remove, removes) the association of the record
// id with toID of toType, after checking the association type as HubSpot
// does.
func (st *objectStore) associate(w http.ResponseWriter, r *http.Request, id, toType, toID, assocType string, remove bool) {
	st.with(w, r, id, func(o *object) {
		name, ok := st.associationType(toType, assocType)
		if !ok {
			writeError(w, r, http.StatusBadRequest, apiError{
				Message:     fmt.Sprintf("%s is not a valid association type between %s and %s", assocType, st.name, toType),
				Category:    "VALIDATION_ERROR",
				SubCategory: "crm.associations.INVALID_ASSOCIATION_TYPE",
				Context:     map[string][]string{"type": {assocType}, "fromObjectType": {st.name}, "toObjectType": {toType}},
			})
			return
		}
		t := canonicalType(toType)
		if remove {
			o.assoc[t] = slices.DeleteFunc(o.assoc[t], func(a assocEntry) bool { return a.id == toID })
			w.WriteHeader(http.StatusNoContent)
			return
		}
		a := assocEntry{id: toID, typ: name}
		if !slices.Contains(o.assoc[t], a) {
			o.assoc[t] = append(o.assoc[t], a)
		}
		writeJSON(w, http.StatusOK, tasks.Association{ID: &a.id, Type: &a.typ})
	})
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefList(p *[]string) []string { return deref(p) }

// batchUpsert updates the record whose unique property idProperty holds an
// input's id, or creates one with it; HubSpot refuses a property without
// unique values (hs_object_id included) as the key.
func (st *objectStore) batchUpsert(w http.ResponseWriter, r *http.Request) {
	var in tasks.BatchInputSimplePublicObjectBatchInputUpsert
	if !decodeBody(w, r, &in) || !checkInputs(w, r, len(in.Inputs)) {
		return
	}
	inputs := make([]map[string]*string, len(in.Inputs))
	for i, u := range in.Inputs {
		key := deref(u.IDProperty)
		if !slices.Contains(st.props.unique, key) {
			validationError(w, r, "Unable to perform update/upsert by non-unique or non-existent %s property %s", strings.ToLower(st.upper), key)
			return
		}
		inputs[i] = inputProps(&u.Properties)
		inputs[i][key] = ptr(u.ID)
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	selves := make([]*object, len(inputs))
	for i, u := range in.Inputs {
		selves[i] = st.byUnique(deref(u.IDProperty), u.ID)
	}
	if !st.checkBatch(w, r, inputs, selves) {
		return
	}
	begun := st.s.now()
	results := make([]tasks.SimplePublicUpsertObject, len(inputs))
	for i, o := range selves {
		isNew := o == nil
		if isNew {
			o = st.insert(inputs[i], begun)
		} else {
			st.set(o, inputs[i], begun)
		}
		t := st.render(o, shape{all: true})
		results[i] = tasks.SimplePublicUpsertObject{ID: t.ID, New: ptr(isNew), Properties: t.Properties,
			CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Archived: t.Archived}
	}
	ans := tasks.BatchResponseSimplePublicUpsertObject{Status: ptr("COMPLETE"), Results: &results,
		RequestedAt: ptr(begun.UTC()), StartedAt: ptr(begun.UTC()), CompletedAt: ptr(st.s.now().UTC())}
	writeJSON(w, http.StatusOK, ans)
}
