package hubspottest

import (
	"net/http"
	"strconv"

	"github.com/engagekit/hubspot-engagements/internal/v1map"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
)

// The association routes of the 2026-03 documents, which the five declare
// alike (with the object type in the path), so the server mounts them once:
// PUT with the association types in the body, PUT of the default type, and
// DELETE of every association between two records. A path may name either
// side first: note → contact, or contact → note.

// pair is two records an association path names: the engagement record
// (o of st) and the other one, with HubSpot's default association type
// between their types.
type pair struct {
	st       *objectStore
	o        *object
	target   string // the other record's type (contacts, …)
	targetID string
	at       v1map.AssociationType // from st's type to target
	reverse  bool                  // the path names the other record first
}

// pairOf resolves an association path, or answers what HubSpot does: 400
// for a type it cannot read or a pair of types with no default
// association, 404 for an engagement record that does not exist. The
// server must be locked.
func (s *Server) pairOf(w http.ResponseWriter, r *http.Request, fromType, fromID, toType, toID string) (pair, bool) {
	for _, t := range []string{fromType, toType} {
		if !knownType(t) {
			unknownType(w, r, t)
			return pair{}, false
		}
	}
	p := pair{st: s.objects[canonicalType(fromType)], target: canonicalType(toType)}
	engID, otherID := fromID, toID
	if p.st == nil {
		p.st, p.target, p.reverse = s.objects[canonicalType(toType)], canonicalType(fromType), true
		engID, otherID = toID, fromID
	}
	var ok bool
	if p.st != nil {
		p.at, ok = v1map.DefaultAssociation(p.st.name, p.target)
	}
	if !ok {
		invalidAssociation(w, r, "default", canonicalType(fromType), canonicalType(toType))
		return pair{}, false
	}
	if p.targetID, ok = targetID(otherID); !ok {
		validationError(w, r, "%q is not a record id", otherID)
		return pair{}, false
	}
	if p.o = p.st.find(engID, "", false); p.o == nil {
		notFound(w, r, engID)
		return pair{}, false
	}
	return p, true
}

// spec is the association type of the pair in the path's direction.
func (p pair) spec() v202603.AssociationSpec {
	id := p.at.TypeID
	if p.reverse {
		id = p.at.ReverseTypeID
	}
	return v202603.AssociationSpec{AssociationCategory: v202603.HUBSPOTDEFINED, AssociationTypeID: id}
}

// ids are the pair's ids in the path's order, as the generated type.
func (p pair) ids() (from, to v202603.PublicObjectID) {
	from, to = v202603.PublicObjectID{ID: p.o.id()}, v202603.PublicObjectID{ID: p.targetID}
	if p.reverse {
		from, to = to, from
	}
	return from, to
}

// datedAssociate associates two records with the association types in the
// body, each of which must be HubSpot's default one between their types
// in the path's direction; it answers the labels between the pair (none,
// for the default type).
func (s *Server) datedAssociate(w http.ResponseWriter, r *http.Request, objectType, objectID, toType, toID string) {
	var specs v202603.AssociateJSONBody
	if !decodeBody(w, r, &specs) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pairOf(w, r, objectType, objectID, toType, toID)
	if !ok {
		return
	}
	if len(specs) == 0 {
		validationError(w, r, "at least one association type is required")
		return
	}
	want := p.spec()
	for _, sp := range specs {
		if sp != want {
			invalidAssociation(w, r, string(sp.AssociationCategory)+" "+strconv.Itoa(int(sp.AssociationTypeID)), canonicalType(objectType), canonicalType(toType))
			return
		}
	}
	p.st.link(p.o, p.target, assocEntry{id: p.targetID, typ: p.at.Name})
	from, to := p.ids()
	writeJSON(w, http.StatusCreated, v202603.LabelsBetweenObjectPair{
		FromObjectID: from.ID, FromObjectTypeID: typeIDs[canonicalType(objectType)],
		ToObjectID: to.ID, ToObjectTypeID: typeIDs[canonicalType(toType)], Labels: []string{},
	})
}

// datedAssociateDefault associates two records with HubSpot's default
// association type and answers the association made, in both directions.
func (s *Server) datedAssociateDefault(w http.ResponseWriter, r *http.Request, fromType, fromID, toType, toID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	begun := s.now()
	p, ok := s.pairOf(w, r, fromType, fromID, toType, toID)
	if !ok {
		return
	}
	p.st.link(p.o, p.target, assocEntry{id: p.targetID, typ: p.at.Name})
	from, to := p.ids()
	back := p
	back.reverse = !p.reverse
	writeJSON(w, http.StatusOK, v202603.BatchResponsePublicDefaultAssociation{
		Status: v202603.BatchResponsePublicDefaultAssociationStatusCOMPLETE, RequestedAt: ptr(begun.UTC()),
		StartedAt: begun.UTC(), CompletedAt: s.now().UTC(),
		Results: []v202603.PublicDefaultAssociation{
			{From: from, To: to, AssociationSpec: p.spec()},
			{From: to, To: from, AssociationSpec: back.spec()},
		},
	})
}

// datedDissociate removes every association between two records.
func (s *Server) datedDissociate(w http.ResponseWriter, r *http.Request, objectType, objectID, toType, toID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pairOf(w, r, objectType, objectID, toType, toID)
	if !ok {
		return
	}
	p.st.unlink(p.o, p.target, p.targetID)
	w.WriteHeader(http.StatusNoContent)
}
