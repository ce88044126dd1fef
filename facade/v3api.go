package facade

import (
	"io"
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// bodyFunc is a generated builder of a request with a JSON body.
type bodyFunc func(server, contentType string, body io.Reader) (*http.Request, error)

// objectAPI is the request builders of one object API: the only place where
// the generated packages of the object types differ for the facade. Bodies
// and query parameters are built from the generated types of one package
// (gen/tasks): the others' are the same shapes (internal/gencheck proves
// it), and their parameter structs convert.
type objectAPI struct {
	name                                              string
	list                                              func(server string, q tasks.ListTasksParams) (*http.Request, error)
	get                                               func(server, id string, q tasks.GetTaskParams) (*http.Request, error)
	create, search                                    bodyFunc
	batchRead, batchCreate, batchUpdate, batchArchive bodyFunc
	update                                            func(server, id, contentType string, body io.Reader) (*http.Request, error)
	archive                                           func(server, id string) (*http.Request, error)
	assocList                                         func(server, id, toType string, q tasks.ListTaskAssociationsParams) (*http.Request, error)
	assocCreate, assocDelete                          func(server, id, toType, toID, assocType string) (*http.Request, error)
}

var emailsAPI = objectAPI{
	name: "emails",
	list: func(server string, q tasks.ListTasksParams) (*http.Request, error) {
		p := emails.ListEmailEngagementsParams(q)
		return emails.NewListEmailEngagementsRequest(server, &p)
	},
	get: func(server, id string, q tasks.GetTaskParams) (*http.Request, error) {
		p := emails.GetEmailEngagementParams(q)
		return emails.NewGetEmailEngagementRequest(server, id, &p)
	},
	create: emails.NewCreateEmailEngagementRequestWithBody, search: emails.NewSearchEmailEngagementsRequestWithBody,
	batchRead: emails.NewBatchReadEmailEngagementsRequestWithBody, batchCreate: emails.NewBatchCreateEmailEngagementsRequestWithBody,
	batchUpdate: emails.NewBatchUpdateEmailEngagementsRequestWithBody, batchArchive: emails.NewBatchArchiveEmailEngagementsRequestWithBody,
	update: emails.NewUpdateEmailEngagementRequestWithBody, archive: emails.NewDeleteEmailEngagementRequest,
	assocList: func(server, id, toType string, q tasks.ListTaskAssociationsParams) (*http.Request, error) {
		p := emails.ListEmailEngagementAssociationsParams(q)
		return emails.NewListEmailEngagementAssociationsRequest(server, id, toType, &p)
	},
	assocCreate: emails.NewCreateEmailEngagementAssociationRequest, assocDelete: emails.NewDeleteEmailEngagementAssociationRequest,
}

var tasksAPI = objectAPI{
	name: "tasks",
	list: func(server string, q tasks.ListTasksParams) (*http.Request, error) {
		return tasks.NewListTasksRequest(server, &q)
	},
	get: func(server, id string, q tasks.GetTaskParams) (*http.Request, error) {
		return tasks.NewGetTaskRequest(server, id, &q)
	},
	create: tasks.NewCreateTaskRequestWithBody, search: tasks.NewSearchTasksRequestWithBody,
	batchRead: tasks.NewBatchReadTasksRequestWithBody, batchCreate: tasks.NewBatchCreateTasksRequestWithBody,
	batchUpdate: tasks.NewBatchUpdateTasksRequestWithBody, batchArchive: tasks.NewBatchArchiveTasksRequestWithBody,
	update: tasks.NewUpdateTaskRequestWithBody, archive: tasks.NewDeleteTaskRequest,
	assocList: func(server, id, toType string, q tasks.ListTaskAssociationsParams) (*http.Request, error) {
		return tasks.NewListTaskAssociationsRequest(server, id, toType, &q)
	},
	assocCreate: tasks.NewCreateTaskAssociationRequest, assocDelete: tasks.NewDeleteTaskAssociationRequest,
}
