package hubspottest

import (
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
	dcalls "github.com/engagekit/hubspot-engagements/gen/v202603/calls"
	demails "github.com/engagekit/hubspot-engagements/gen/v202603/emails"
	dmeetings "github.com/engagekit/hubspot-engagements/gen/v202603/meetings"
	dnotes "github.com/engagekit/hubspot-engagements/gen/v202603/notes"
	dtasks "github.com/engagekit/hubspot-engagements/gen/v202603/tasks"
)

// The documents describe one API many times over, each with its own method
// names and parameter types; the adapters serve every one from the one
// store (ops.go), one line per operation, through the wire of its family.
// A parameter struct of one document converts to its family's canonical
// one (gen/tasks, gen/v202603/tasks) because their fields are the same.

var (
	_ tasks.ServerInterface     = tasksAPI{}
	_ emails.ServerInterface    = emailsAPI{}
	_ objectsv3.ServerInterface = objectsAPI{}
	_ dtasks.ServerInterface    = datedTasksAPI{}
	_ demails.ServerInterface   = datedEmailsAPI{}
	_ dnotes.ServerInterface    = datedNotesAPI{}
	_ dcalls.ServerInterface    = datedCallsAPI{}
	_ dmeetings.ServerInterface = datedMeetingsAPI{}
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

// objectsAPI serves the generated generic v3 objectsv3.ServerInterface:
// the store of the object type in the path (notes, calls, meetings; tasks
// and emails have routes of their own, which the mux prefers).
type objectsAPI struct{ s *Server }

// in calls h with the store of objectType, or answers HubSpot's 400.
func (a objectsAPI) in(w http.ResponseWriter, r *http.Request, objectType string, h func(*objectStore)) {
	if st := a.s.objectStoreOf(w, r, objectType); st != nil {
		h(st)
	}
}

func (a objectsAPI) List(w http.ResponseWriter, r *http.Request, typ string, p objectsv3.ListParams) {
	a.in(w, r, typ, func(st *objectStore) { st.list(w, r, v3, v3List(tasks.ListTasksParams(p))) })
}
func (a objectsAPI) Create(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.create(w, r, v3) })
}
func (a objectsAPI) BatchArchive(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchArchive(w, r, v3) })
}
func (a objectsAPI) BatchCreate(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchCreate(w, r, v3) })
}
func (a objectsAPI) BatchRead(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchRead(w, r, v3, false) })
}
func (a objectsAPI) BatchUpdate(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchUpdate(w, r, v3) })
}
func (a objectsAPI) BatchUpsert(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.batchUpsert(w, r, v3) })
}
func (a objectsAPI) Search(w http.ResponseWriter, r *http.Request, typ string) {
	a.in(w, r, typ, func(st *objectStore) { st.search(w, r, v3) })
}
func (a objectsAPI) Archive(w http.ResponseWriter, r *http.Request, typ, id string) {
	a.in(w, r, typ, func(st *objectStore) { st.archiveOne(w, r, id) })
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

// datedAPI serves the operations every 2026-03 object document declares
// with the same parameters; the five adapters below add those whose
// parameter types are their own package's.
type datedAPI struct{ st *objectStore }

func (a datedAPI) Create(w http.ResponseWriter, r *http.Request) { a.st.create(w, r, dated) }
func (a datedAPI) BatchArchive(w http.ResponseWriter, r *http.Request) {
	a.st.batchArchive(w, r, dated)
}
func (a datedAPI) BatchCreate(w http.ResponseWriter, r *http.Request) { a.st.batchCreate(w, r, dated) }
func (a datedAPI) BatchUpdate(w http.ResponseWriter, r *http.Request) { a.st.batchUpdate(w, r, dated) }
func (a datedAPI) BatchUpsert(w http.ResponseWriter, r *http.Request) { a.st.batchUpsert(w, r, dated) }
func (a datedAPI) Search(w http.ResponseWriter, r *http.Request)      { a.st.search(w, r, dated) }
func (a datedAPI) Archive(w http.ResponseWriter, r *http.Request, id string) {
	a.st.archiveOne(w, r, id)
}
func (a datedAPI) AssociateDefault(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.st.s.datedAssociateDefault(w, r, from, fromID, to, toID)
}
func (a datedAPI) Dissociate(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.st.s.datedDissociate(w, r, from, fromID, to, toID)
}
func (a datedAPI) Associate(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.st.s.datedAssociate(w, r, from, fromID, to, toID)
}

type datedTasksAPI struct{ datedAPI }

func (a datedTasksAPI) List(w http.ResponseWriter, r *http.Request, p dtasks.ListParams) {
	a.st.list(w, r, dated, datedList(p))
}
func (a datedTasksAPI) BatchRead(w http.ResponseWriter, r *http.Request, p dtasks.BatchReadParams) {
	a.st.batchRead(w, r, dated, deref(p.Archived))
}
func (a datedTasksAPI) Get(w http.ResponseWriter, r *http.Request, id string, p dtasks.GetParams) {
	a.st.get(w, r, dated, id, datedGet(p))
}
func (a datedTasksAPI) Update(w http.ResponseWriter, r *http.Request, id string, p dtasks.UpdateParams) {
	a.st.update(w, r, dated, id, deref(p.IDProperty))
}

type datedEmailsAPI struct{ datedAPI }

func (a datedEmailsAPI) List(w http.ResponseWriter, r *http.Request, p demails.ListParams) {
	a.st.list(w, r, dated, datedList(dtasks.ListParams(p)))
}
func (a datedEmailsAPI) BatchRead(w http.ResponseWriter, r *http.Request, p demails.BatchReadParams) {
	a.st.batchRead(w, r, dated, deref(p.Archived))
}
func (a datedEmailsAPI) Get(w http.ResponseWriter, r *http.Request, id string, p demails.GetParams) {
	a.st.get(w, r, dated, id, datedGet(dtasks.GetParams(p)))
}
func (a datedEmailsAPI) Update(w http.ResponseWriter, r *http.Request, id string, p demails.UpdateParams) {
	a.st.update(w, r, dated, id, deref(p.IDProperty))
}

type datedNotesAPI struct{ datedAPI }

func (a datedNotesAPI) List(w http.ResponseWriter, r *http.Request, p dnotes.ListParams) {
	a.st.list(w, r, dated, datedList(dtasks.ListParams(p)))
}
func (a datedNotesAPI) BatchRead(w http.ResponseWriter, r *http.Request, p dnotes.BatchReadParams) {
	a.st.batchRead(w, r, dated, deref(p.Archived))
}
func (a datedNotesAPI) Get(w http.ResponseWriter, r *http.Request, id string, p dnotes.GetParams) {
	a.st.get(w, r, dated, id, datedGet(dtasks.GetParams(p)))
}
func (a datedNotesAPI) Update(w http.ResponseWriter, r *http.Request, id string, p dnotes.UpdateParams) {
	a.st.update(w, r, dated, id, deref(p.IDProperty))
}

type datedCallsAPI struct{ datedAPI }

func (a datedCallsAPI) List(w http.ResponseWriter, r *http.Request, p dcalls.ListParams) {
	a.st.list(w, r, dated, datedList(dtasks.ListParams(p)))
}
func (a datedCallsAPI) BatchRead(w http.ResponseWriter, r *http.Request, p dcalls.BatchReadParams) {
	a.st.batchRead(w, r, dated, deref(p.Archived))
}
func (a datedCallsAPI) Get(w http.ResponseWriter, r *http.Request, id string, p dcalls.GetParams) {
	a.st.get(w, r, dated, id, datedGet(dtasks.GetParams(p)))
}
func (a datedCallsAPI) Update(w http.ResponseWriter, r *http.Request, id string, p dcalls.UpdateParams) {
	a.st.update(w, r, dated, id, deref(p.IDProperty))
}

type datedMeetingsAPI struct{ datedAPI }

func (a datedMeetingsAPI) List(w http.ResponseWriter, r *http.Request, p dmeetings.ListParams) {
	a.st.list(w, r, dated, datedList(dtasks.ListParams(p)))
}
func (a datedMeetingsAPI) BatchRead(w http.ResponseWriter, r *http.Request, p dmeetings.BatchReadParams) {
	a.st.batchRead(w, r, dated, deref(p.Archived))
}
func (a datedMeetingsAPI) Get(w http.ResponseWriter, r *http.Request, id string, p dmeetings.GetParams) {
	a.st.get(w, r, dated, id, datedGet(dtasks.GetParams(p)))
}
func (a datedMeetingsAPI) Update(w http.ResponseWriter, r *http.Request, id string, p dmeetings.UpdateParams) {
	a.st.update(w, r, dated, id, deref(p.IDProperty))
}
