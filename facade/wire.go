package facade

import (
	"io"
	"net/http"
)

// APIVersion selects which of HubSpot's APIs a Client speaks.
type APIVersion string

// The API versions a Client speaks.
const (
	// APIv3 is the numbered APIs: /crm/v3/objects/… for emails, tasks,
	// notes, calls and meetings, and the legacy /engagements/v1/… for
	// Engagements. HubSpot stops supporting them in September 2027.
	APIv3 APIVersion = "v3"
	// API2026_03 is the date-versioned APIs: /crm/objects/2026-03/… for
	// every object service, and Engagements served on them too (see
	// EngagementsService): no request goes to /crm/v3 or /engagements/v1.
	API2026_03 APIVersion = "2026-03"
	// API2026_09 is HubSpot's Current version (GA 2026-09-08), the one to
	// use for new code: /crm/objects/2026-09/… as API2026_03 is 2026-03.
	API2026_09 APIVersion = "2026-09"
)

// APIVersions lists the versions WithAPIVersion accepts.
var APIVersions = []APIVersion{APIv3, API2026_03, API2026_09}

// wires are the versions a Client speaks, each with its wire: adding a
// version is its constant (above, and in APIVersions) and a line here.
var wires = map[APIVersion]wire{
	APIv3:      {objects: wireObjects, api: v3API},
	API2026_03: {objects: wireObjects, api: v202603Package.api, engagementsOnObjects: true},
	API2026_09: {objects: wireObjects, api: v202609Package.api, engagementsOnObjects: true},
}

// wireObjects are the object types a Client serves (Client.Emails, …): one
// constant (associations.go), one property table (object.go) and a line
// here each.
var wireObjects = []ObjectType{Emails, Tasks, Notes, Calls, Meetings, Communications, PostalMails}

// wire is one API version: the object types it serves and the objectAPI of
// each.
type wire struct {
	objects []ObjectType
	api     func(objectType string) objectAPI
	// engagementsOnObjects: Engagements is served on the object APIs (no
	// /engagements/v1 request), as on 2026-03.
	engagementsOnObjects bool
}

// WithAPIVersion selects the wire: APIv3 (the default) or API2026_03. The
// services keep their API on both: only the requests change.
func WithAPIVersion(v APIVersion) Option {
	return func(s *settings) error {
		if _, ok := wires[v]; ok {
			s.version = v
			return nil
		}
		return &ValidationError{Field: "apiVersion", Problem: "unknown API version", Actual: string(v), Allowed: enumStrings(APIVersions)}
	}
}

// bodyFunc is a generated builder of a request with a JSON body.
type bodyFunc func(server, contentType string, body io.Reader) (*http.Request, error)

// listQuery and getQuery are the query of a list and a get, on any wire;
// each family converts them into its generated parameter types.
type listQuery struct {
	limit        int
	after        string
	properties   []string
	associations []string
	archived     bool
}

type getQuery struct {
	properties   []string
	associations []string
	archived     bool
}

// bodies builds the request bodies of one family of generated packages
// (v3: gen/tasks's types; 2026-03: gen/v202603's types): every object API
// of a family takes the same shapes (internal/gencheck proves it), and the
// two families differ.
type bodies struct {
	create       func(in CreateInput) any
	update       func(props Properties) any
	search       func(p SearchParams, at position) any
	batchRead    func(ids []string, idProperty string, props, history []string) any
	batchCreate  func(inputs []CreateInput) any
	batchUpdate  func(inputs []UpdateInput) any
	batchUpsert  func(idProperty string, inputs []UpsertInput) any
	batchArchive func(ids []string) any
	// associate is the body of an association PUT (2026-03 only; v3 puts
	// the association type in the path).
	associate func(t AssociationTarget) any
}

// objectAPI is one object API on one wire: its bodies, and the request
// builders of its generated package.
type objectAPI struct {
	name                                                           string
	version                                                        APIVersion
	body                                                           bodies
	list                                                           func(server string, q listQuery) (*http.Request, error)
	get                                                            func(server, id string, q getQuery) (*http.Request, error)
	create, search                                                 bodyFunc
	batchRead, batchCreate, batchUpdate, batchUpsert, batchArchive bodyFunc
	update                                                         func(server, id, contentType string, body io.Reader) (*http.Request, error)
	archive                                                        func(server, id string) (*http.Request, error)
	// v3: the association type is in the path; assocList pages HubSpot's
	// listing.
	assocList                func(server, id, toType, after string) (*http.Request, error)
	assocCreate, assocDelete func(server, id, toType, toID, assocType string) (*http.Request, error)
	// 2026-03: the association types are the PUT's body; DELETE removes
	// every association between the two records; there is no listing.
	assocPut func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error)
	assocDel func(server, id, toType, toID string) (*http.Request, error)
	// 2026-09 and later (nil before): merge, GDPR delete and the listing
	// of a record's associations with their types and labels.
	merge       func(server, primaryID, mergedID string) (*http.Request, error)
	gdprDelete  func(server, id, idProperty string) (*http.Request, error)
	assocLabels func(server, id, toType, after string) (*http.Request, error)
	newLabelled func() labelledPage
}

// wireAPIs returns the object APIs of version v, by object type.
func wireAPIs(v APIVersion) map[ObjectType]objectAPI {
	w := wires[v]
	apis := make(map[ObjectType]objectAPI, len(w.objects))
	for _, t := range w.objects {
		apis[t] = w.api(string(t))
	}
	return apis
}
