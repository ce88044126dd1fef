package hubspottest

import (
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The documents describe one API many times over, each with its own method
// names and parameter types; the adapters serve every one from the one
// store (ops.go), one line per operation, through the wire of its family.
// A parameter struct of one document converts to its family's canonical
// one (gen/tasks) because their fields are the same. A dated version is one
// generic package whose adapter is in its wire file (wire_dated.go).

var (
	_ tasks.ServerInterface     = tasksAPI{}
	_ emails.ServerInterface    = emailsAPI{}
	_ objectsv3.ServerInterface = objectsAPI{}
)

// tasksAPI serves the generated v3 tasks.ServerInterface from a store.
type tasksAPI struct{ st *objectStore }

func (a tasksAPI) ListTasks(w http.ResponseWriter, r *http.Request, p tasks.ListTasksParams) {
	a.st.list(w, r, v3, v3List(p))
}
func (a tasksAPI) CreateTask(w http.ResponseWriter, r *http.Request) { a.st.create(w, r, v3) }
func (a tasksAPI) BatchArchiveTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchArchive(w, r, v3)
}
func (a tasksAPI) BatchCreateTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchCreate(w, r, v3)
}
func (a tasksAPI) BatchReadTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchRead(w, r, v3, false)
}
func (a tasksAPI) BatchUpdateTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpdate(w, r, v3)
}
func (a tasksAPI) BatchUpsertTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpsert(w, r, v3)
}
func (a tasksAPI) SearchTasks(w http.ResponseWriter, r *http.Request) { a.st.search(w, r, v3) }
func (a tasksAPI) DeleteTask(w http.ResponseWriter, r *http.Request, id string) {
	a.st.archiveOne(w, r, id)
}
func (a tasksAPI) GetTask(w http.ResponseWriter, r *http.Request, id string, p tasks.GetTaskParams) {
	a.st.get(w, r, v3, id, v3Get(p))
}
func (a tasksAPI) UpdateTask(w http.ResponseWriter, r *http.Request, id string) {
	a.st.update(w, r, v3, id, "")
}
func (a tasksAPI) ListTaskAssociations(w http.ResponseWriter, r *http.Request, id, to string, _ tasks.ListTaskAssociationsParams) {
	a.st.listAssociations(w, r, id, to)
}
func (a tasksAPI) DeleteTaskAssociation(w http.ResponseWriter, r *http.Request, id, to, toID, typ string) {
	a.st.associate(w, r, id, to, toID, typ, true)
}
func (a tasksAPI) CreateTaskAssociation(w http.ResponseWriter, r *http.Request, id, to, toID, typ string) {
	a.st.associate(w, r, id, to, toID, typ, false)
}

// emailsAPI serves the generated v3 emails.ServerInterface from a store.
type emailsAPI struct{ st *objectStore }

func (a emailsAPI) ListEmailEngagements(w http.ResponseWriter, r *http.Request, p emails.ListEmailEngagementsParams) {
	a.st.list(w, r, v3, v3List(tasks.ListTasksParams(p)))
}
func (a emailsAPI) CreateEmailEngagement(w http.ResponseWriter, r *http.Request) {
	a.st.create(w, r, v3)
}
func (a emailsAPI) BatchArchiveEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchArchive(w, r, v3)
}
func (a emailsAPI) BatchCreateEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchCreate(w, r, v3)
}
func (a emailsAPI) BatchReadEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchRead(w, r, v3, false)
}
func (a emailsAPI) BatchUpdateEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpdate(w, r, v3)
}
func (a emailsAPI) BatchUpsertEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpsert(w, r, v3)
}
func (a emailsAPI) SearchEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.search(w, r, v3)
}
func (a emailsAPI) DeleteEmailEngagement(w http.ResponseWriter, r *http.Request, id string) {
	a.st.archiveOne(w, r, id)
}
func (a emailsAPI) GetEmailEngagement(w http.ResponseWriter, r *http.Request, id string, p emails.GetEmailEngagementParams) {
	a.st.get(w, r, v3, id, v3Get(tasks.GetTaskParams(p)))
}
func (a emailsAPI) UpdateEmailEngagement(w http.ResponseWriter, r *http.Request, id string) {
	a.st.update(w, r, v3, id, "")
}
func (a emailsAPI) ListEmailEngagementAssociations(w http.ResponseWriter, r *http.Request, id, to string, _ emails.ListEmailEngagementAssociationsParams) {
	a.st.listAssociations(w, r, id, to)
}
func (a emailsAPI) DeleteEmailEngagementAssociation(w http.ResponseWriter, r *http.Request, id, to, toID, typ string) {
	a.st.associate(w, r, id, to, toID, typ, true)
}
func (a emailsAPI) CreateEmailEngagementAssociation(w http.ResponseWriter, r *http.Request, id, to, toID, typ string) {
	a.st.associate(w, r, id, to, toID, typ, false)
}

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
// the store of the object type in the path (notes, calls, meetings; tasks
// and emails have routes of their own, which the mux prefers).
type objectsAPI struct{ objectsOf }

func (a objectsAPI) List(w http.ResponseWriter, r *http.Request, typ string, p objectsv3.ListParams) {
	a.in(w, r, typ, func(st *objectStore) { st.list(w, r, v3, v3List(tasks.ListTasksParams(p))) })
}
func (a objectsAPI) BatchRead(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchRead(w, r, v3, false) })
}
func (a objectsAPI) Get(w http.ResponseWriter, r *http.Request, typ, id string, p objectsv3.GetParams) {
	a.in(w, r, typ, func(st *objectStore) { st.get(w, r, v3, id, v3Get(tasks.GetTaskParams(p))) })
}
func (a objectsAPI) Update(w http.ResponseWriter, r *http.Request, typ, id string) {
	a.in(w, r, typ, func(st *objectStore) { st.update(w, r, v3, id, "") })
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
