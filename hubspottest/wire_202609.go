package hubspottest

import (
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
	"github.com/engagekit/hubspot-engagements/gen/v202609"
)

// The 2026-09 wire: gen/v202609's routes on the store every wire serves.
// Its parameters have 2026-03's shapes, so they convert; its bodies and
// answers are the dated wire's (the same JSON).

// v202609API serves the generated v202609.ServerInterface.
type v202609API struct{ datedOf }

var _ v202609.ServerInterface = v202609API{}

func (a v202609API) List(w http.ResponseWriter, r *http.Request, typ string, p v202609.ListParams) {
	v202603API(a).List(w, r, typ, v202603.ListParams(p))
}
func (a v202609API) BatchRead(w http.ResponseWriter, r *http.Request, typ string, p v202609.BatchReadParams) {
	v202603API(a).BatchRead(w, r, typ, v202603.BatchReadParams(p))
}
func (a v202609API) Get(w http.ResponseWriter, r *http.Request, typ, id string, p v202609.GetParams) {
	v202603API(a).Get(w, r, typ, id, v202603.GetParams(p))
}
func (a v202609API) Update(w http.ResponseWriter, r *http.Request, typ, id string, p v202609.UpdateParams) {
	v202603API(a).Update(w, r, typ, id, v202603.UpdateParams(p))
}

// Merge, GdprDelete and AssociationsWithLabels, 2026-09's new operations,
// are not served yet: the fake answers 501, so a test that uses them fails
// saying so rather than passing on an invented answer.
func (a v202609API) Merge(w http.ResponseWriter, r *http.Request, _ string) { notServed(w, r) }
func (a v202609API) GdprDelete(w http.ResponseWriter, r *http.Request, _ string) {
	notServed(w, r)
}
func (a v202609API) AssociationsWithLabels(w http.ResponseWriter, r *http.Request, _, _, _ string, _ v202609.AssociationsWithLabelsParams) {
	notServed(w, r)
}

func notServed(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, http.StatusNotImplemented, apiError{Message: "hubspottest does not serve " + r.Method + " " + r.URL.Path + " yet", Category: "NOT_IMPLEMENTED"})
}
