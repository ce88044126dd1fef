package hubspottest

import (
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The tasks and emails documents describe one API twice, with their own
// method names and parameter types; the adapters serve both from the one
// object store (v3.go), one line per operation. An emails parameter struct
// converts to the tasks one because their fields are the same.

var (
	_ tasks.ServerInterface  = tasksAPI{}
	_ emails.ServerInterface = emailsAPI{}
)

// tasksAPI serves the generated tasks.ServerInterface from a store.
type tasksAPI struct{ st *objectStore }

func (a tasksAPI) ListTasks(w http.ResponseWriter, r *http.Request, p tasks.ListTasksParams) {
	a.st.listObjects(w, r, p)
}
func (a tasksAPI) CreateTask(w http.ResponseWriter, r *http.Request) { a.st.createObject(w, r) }
func (a tasksAPI) BatchArchiveTasks(w http.ResponseWriter, r *http.Request) {
	a.st.batchArchive(w, r)
}
func (a tasksAPI) BatchCreateTasks(w http.ResponseWriter, r *http.Request) { a.st.batchCreate(w, r) }
func (a tasksAPI) BatchReadTasks(w http.ResponseWriter, r *http.Request)   { a.st.batchRead(w, r) }
func (a tasksAPI) BatchUpdateTasks(w http.ResponseWriter, r *http.Request) { a.st.batchUpdate(w, r) }
func (a tasksAPI) BatchUpsertTasks(w http.ResponseWriter, r *http.Request) { a.st.batchUpsert(w, r) }
func (a tasksAPI) SearchTasks(w http.ResponseWriter, r *http.Request)      { a.st.search(w, r) }
func (a tasksAPI) DeleteTask(w http.ResponseWriter, r *http.Request, id string) {
	a.st.archiveObject(w, r, id)
}
func (a tasksAPI) GetTask(w http.ResponseWriter, r *http.Request, id string, p tasks.GetTaskParams) {
	a.st.getObject(w, r, id, p)
}
func (a tasksAPI) UpdateTask(w http.ResponseWriter, r *http.Request, id string) {
	a.st.updateObject(w, r, id)
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

// emailsAPI serves the generated emails.ServerInterface from a store.
type emailsAPI struct{ st *objectStore }

func (a emailsAPI) ListEmailEngagements(w http.ResponseWriter, r *http.Request, p emails.ListEmailEngagementsParams) {
	a.st.listObjects(w, r, tasks.ListTasksParams(p))
}
func (a emailsAPI) CreateEmailEngagement(w http.ResponseWriter, r *http.Request) {
	a.st.createObject(w, r)
}
func (a emailsAPI) BatchArchiveEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchArchive(w, r)
}
func (a emailsAPI) BatchCreateEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchCreate(w, r)
}
func (a emailsAPI) BatchReadEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchRead(w, r)
}
func (a emailsAPI) BatchUpdateEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpdate(w, r)
}
func (a emailsAPI) BatchUpsertEmailEngagements(w http.ResponseWriter, r *http.Request) {
	a.st.batchUpsert(w, r)
}
func (a emailsAPI) SearchEmailEngagements(w http.ResponseWriter, r *http.Request) { a.st.search(w, r) }
func (a emailsAPI) DeleteEmailEngagement(w http.ResponseWriter, r *http.Request, id string) {
	a.st.archiveObject(w, r, id)
}
func (a emailsAPI) GetEmailEngagement(w http.ResponseWriter, r *http.Request, id string, p emails.GetEmailEngagementParams) {
	a.st.getObject(w, r, id, tasks.GetTaskParams(p))
}
func (a emailsAPI) UpdateEmailEngagement(w http.ResponseWriter, r *http.Request, id string) {
	a.st.updateObject(w, r, id)
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
