// Package specdocs lists the OpenAPI documents this module speaks, each with
// its overlay applied, as the generated packages embed them. The fake
// (hubspottest) serves them and the tests check wire traffic against them;
// the facade itself does not import this package, so a program that uses the
// client carries no OpenAPI parser.
package specdocs

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/engagekit/hubspot-engagements/gen/emails/emailsspec"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1/engagementsv1spec"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3/objectsv3spec"
	"github.com/engagekit/hubspot-engagements/gen/tasks/tasksspec"
	"github.com/engagekit/hubspot-engagements/gen/v202603/v202603spec"
	"github.com/engagekit/hubspot-engagements/gen/v202609/v202609spec"
)

// All loads the documents in the order a request is matched against them:
// the vendor v3 documents of tasks and emails before the generic v3 objects
// document, whose /crm/v3/objects/{objectType} paths match theirs too, then
// the hand-written v1 document and one document per dated version (its
// object documents merged, internal/oapigen). Adding a version is a line
// here. Each call parses the documents anew.
var All = []func() (*openapi3.T, error){
	tasksspec.GetSpec, emailsspec.GetSpec, objectsv3spec.GetSpec, engagementsv1spec.GetSpec,
	v202603spec.GetSpec, v202609spec.GetSpec,
}

// Doc is one document of All with a router that finds a request's operation
// in it by method and path alone: its servers are dropped, so a request to
// any host (the fake on 127.0.0.1, a prefixed test server) matches.
type Doc struct {
	Spec   *openapi3.T
	Router routers.Router
}

// Routers loads All once per process and returns its documents with their
// routers, in All's order. The documents are shared: callers only read them.
var Routers = sync.OnceValues(func() ([]Doc, error) {
	out := make([]Doc, 0, len(All))
	for _, get := range All {
		doc, err := get()
		if err != nil {
			return nil, err
		}
		doc.Servers = nil
		r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
		if err != nil {
			return nil, err
		}
		out = append(out, Doc{doc, r})
	}
	return out, nil
})
