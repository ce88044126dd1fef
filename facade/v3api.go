package facade

import (
	"io"
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// listQuery and getQuery have the fields of the generated list and get
// parameters of both packages, in their order, so that either converts.
type listQuery struct {
	Limit        *int
	After        *string
	Properties   *string
	Archived     *bool
	Associations *string
}

type getQuery struct {
	Properties   *string
	Archived     *bool
	Associations *string
}

type assocQuery struct {
	Limit *int
	After *string
}

type bodyFunc func(server, contentType string, body io.Reader) (*http.Request, error)

// objectAPI is the request builders of one v3 object type: the only place
// where the generated emails and tasks packages differ for the facade.
type objectAPI struct {
	name                                              string
	list                                              func(server string, q listQuery) (*http.Request, error)
	get                                               func(server, id string, q getQuery) (*http.Request, error)
	create, search                                    bodyFunc
	batchRead, batchCreate, batchUpdate, batchArchive bodyFunc
	update                                            func(server, id, contentType string, body io.Reader) (*http.Request, error)
	archive                                           func(server, id string) (*http.Request, error)
	assocList                                         func(server, id, toType string, q assocQuery) (*http.Request, error)
	assocCreate, assocDelete                          func(server, id, toType, toID, assocType string) (*http.Request, error)
}

var emailsAPI = objectAPI{
	name: "emails",
	list: func(server string, q listQuery) (*http.Request, error) {
		p := emails.ListEmailEngagementsParams(q)
		return emails.NewListEmailEngagementsRequest(server, &p)
	},
	get: func(server, id string, q getQuery) (*http.Request, error) {
		p := emails.GetEmailEngagementParams(q)
		return emails.NewGetEmailEngagementRequest(server, id, &p)
	},
	create: emails.NewCreateEmailEngagementRequestWithBody, search: emails.NewSearchEmailEngagementsRequestWithBody,
	batchRead: emails.NewBatchReadEmailEngagementsRequestWithBody, batchCreate: emails.NewBatchCreateEmailEngagementsRequestWithBody,
	batchUpdate: emails.NewBatchUpdateEmailEngagementsRequestWithBody, batchArchive: emails.NewBatchArchiveEmailEngagementsRequestWithBody,
	update: emails.NewUpdateEmailEngagementRequestWithBody, archive: emails.NewDeleteEmailEngagementRequest,
	assocList: func(server, id, toType string, q assocQuery) (*http.Request, error) {
		p := emails.ListEmailEngagementAssociationsParams(q)
		return emails.NewListEmailEngagementAssociationsRequest(server, id, toType, &p)
	},
	assocCreate: emails.NewCreateEmailEngagementAssociationRequest, assocDelete: emails.NewDeleteEmailEngagementAssociationRequest,
}

var tasksAPI = objectAPI{
	name: "tasks",
	list: func(server string, q listQuery) (*http.Request, error) {
		p := tasks.ListTasksParams(q)
		return tasks.NewListTasksRequest(server, &p)
	},
	get: func(server, id string, q getQuery) (*http.Request, error) {
		p := tasks.GetTaskParams(q)
		return tasks.NewGetTaskRequest(server, id, &p)
	},
	create: tasks.NewCreateTaskRequestWithBody, search: tasks.NewSearchTasksRequestWithBody,
	batchRead: tasks.NewBatchReadTasksRequestWithBody, batchCreate: tasks.NewBatchCreateTasksRequestWithBody,
	batchUpdate: tasks.NewBatchUpdateTasksRequestWithBody, batchArchive: tasks.NewBatchArchiveTasksRequestWithBody,
	update: tasks.NewUpdateTaskRequestWithBody, archive: tasks.NewDeleteTaskRequest,
	assocList: func(server, id, toType string, q assocQuery) (*http.Request, error) {
		p := tasks.ListTaskAssociationsParams(q)
		return tasks.NewListTaskAssociationsRequest(server, id, toType, &p)
	},
	assocCreate: tasks.NewCreateTaskAssociationRequest, assocDelete: tasks.NewDeleteTaskAssociationRequest,
}
