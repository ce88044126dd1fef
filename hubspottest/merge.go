package hubspottest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// 2026-09's operations on the store: merge and GDPR delete.

// propMerged lists the ids merged into a record, separated by semicolons.
const propMerged = "hs_merged_object_ids"

// merge merges the record mergedID into primaryID, as HubSpot's 2026-09
// merge does: the primary record remains, keeps its values and takes the
// merged record's where it has none; it is associated with every record
// the merged one was; its hs_merged_object_ids gains the merged id; the
// merged record is gone. The answer is the primary record.
func (st *objectStore) merge(w http.ResponseWriter, r *http.Request, wr wire, primaryID, mergedID string) {
	if primaryID == mergedID {
		validationError(w, r, "Cannot merge object %s into itself", primaryID)
		return
	}
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	primary, merged := st.find(primaryID, "", false), st.find(mergedID, "", false)
	for id, o := range map[string]*object{primaryID: primary, mergedID: merged} {
		if o == nil {
			notFound(w, r, id)
			return
		}
	}
	now := st.s.now()
	fill := map[string]*string{}
	for k, v := range merged.props {
		if slices.Contains(systemProps, k) || v == nil || *v == "" {
			continue
		}
		if cur := primary.props[k]; cur == nil || *cur == "" {
			fill[k] = v
		}
	}
	ids := slices.DeleteFunc(strings.Split(deref(primary.props[propMerged]), ";"), func(s string) bool { return s == "" })
	fill[propMerged] = ptr(strings.Join(append(ids, merged.id()), ";"))
	// The merged record's unique values are freed before the primary
	// takes them.
	st.purge(merged, now)
	st.set(primary, fill, now)
	for to, es := range merged.assoc {
		for _, e := range es {
			st.link(primary, to, e)
		}
	}
	wr.writeRecord(w, http.StatusOK, st.view(primary, shape{all: true}), false)
}

// gdprDelete deletes a record permanently (204), found by its id or by
// its value of the unique property idProperty.
func (st *objectStore) gdprDelete(w http.ResponseWriter, r *http.Request, id, idProperty string) {
	if !st.checkIDProperty(w, r, idProperty) {
		return
	}
	st.with(w, r, id, idProperty, false, func(o *object) {
		st.purge(o, st.s.now())
		w.WriteHeader(http.StatusNoContent)
	})
}

// purge removes o from the store for good: no read, listing or search
// finds it, archived or not, on any wire. The server must be locked.
func (st *objectStore) purge(o *object, now time.Time) {
	st.archive(o, now)
	delete(st.objs, o.num)
	st.order = slices.DeleteFunc(st.order, func(x *object) bool { return x == o })
	delete(st.s.v1, o.num)
	st.s.v1order = slices.DeleteFunc(st.s.v1order, func(e *engagement) bool { return e.id == o.num })
}

// pageBounds reads a listing's after (an offset this server handed out)
// and limit (at most 500, 500 when absent) over n entries.
func pageBounds(after string, limit *int32, n int) (from, to int) {
	from, err := strconv.Atoi(after)
	if err != nil || from < 0 {
		from = 0
	}
	from = min(from, n)
	size := 500
	if limit != nil && *limit > 0 && *limit < 500 {
		size = int(*limit)
	}
	return from, min(from+size, n)
}
