package hubspottest

import (
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// Each wire is one generic document's generated server: the generic v3
// objects document (every v3 object type; the vendor tasks and emails
// documents describe the same routes, and checkRequest holds a request to
// the most specific document that has it) and one package per dated version
// (wire_dated.go). The adapters serve them from the one store (ops.go), one
// line per operation; a parameter struct converts to gen/tasks's, whose
// fields are the same.

var _ objectsv3.ServerInterface = objectsAPI{}

// objectsOf serves, on wire w, the operations the generic objects
// documents (v3's and every dated version's) declare alike: the store of
// the object type in the path answers them.
type objectsOf struct {
	s *Server
	w wire
}

// in calls h with the store of objectType, or answers HubSpot's 400.
func (a objectsOf) in(w http.ResponseWriter, r *http.Request, objectType string, h func(*objectStore)) {
	if st := a.s.objectStoreOf(w, r, objectType); st != nil {
		h(st)
	}
}

func (a objectsOf) Create(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.create(w, r, a.w) })
}
func (a objectsOf) BatchArchive(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchArchive(w, r, a.w) })
}
func (a objectsOf) BatchCreate(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchCreate(w, r, a.w) })
}
func (a objectsOf) BatchUpdate(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchUpdate(w, r, a.w) })
}
func (a objectsOf) BatchUpsert(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchUpsert(w, r, a.w) })
}
func (a objectsOf) Search(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.search(w, r, a.w) })
}
func (a objectsOf) Archive(w http.ResponseWriter, r *http.Request, typ, id string) {
	a.in(w, r, typ, func(st *objectStore) { st.archiveOne(w, r, id) })
}

// objectsAPI serves the generated generic v3 objectsv3.ServerInterface:
// the store of the object type in the path.
type objectsAPI struct{ objectsOf }

func (a objectsAPI) List(w http.ResponseWriter, r *http.Request, typ string, p objectsv3.ListParams) {
	a.in(w, r, typ, func(st *objectStore) { st.list(w, r, v3, v3List(tasks.ListTasksParams(p))) })
}
func (a objectsAPI) BatchRead(w http.ResponseWriter, r *http.Request, typ string, p objectsv3.BatchReadParams) {
	a.in(w, r, typ, func(st *objectStore) { st.batchRead(w, r, v3, deref(p.Archived)) })
}
func (a objectsAPI) Get(w http.ResponseWriter, r *http.Request, typ, id string, p objectsv3.GetParams) {
	a.in(w, r, typ, func(st *objectStore) { st.get(w, r, v3, id, v3Get(tasks.GetTaskParams(p))) })
}
func (a objectsAPI) Update(w http.ResponseWriter, r *http.Request, typ, id string, p objectsv3.UpdateParams) {
	a.in(w, r, typ, func(st *objectStore) { st.update(w, r, v3, id, deref(p.IDProperty)) })
}
func (a objectsAPI) ListAssociations(w http.ResponseWriter, r *http.Request, typ, id, to string, _ objectsv3.ListAssociationsParams) {
	a.in(w, r, typ, func(st *objectStore) { st.listAssociations(w, r, id, to) })
}
func (a objectsAPI) Dissociate(w http.ResponseWriter, r *http.Request, typ, id, to, toID, assocType string) {
	a.in(w, r, typ, func(st *objectStore) { st.associate(w, r, id, to, toID, assocType, true) })
}
func (a objectsAPI) Associate(w http.ResponseWriter, r *http.Request, typ, id, to, toID, assocType string) {
	a.in(w, r, typ, func(st *objectStore) { st.associate(w, r, id, to, toID, assocType, false) })
}
