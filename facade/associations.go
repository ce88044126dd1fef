package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// ObjectType names a kind of CRM record in HubSpot's object APIs.
type ObjectType string

// The object types this package reads and writes, and the ones their
// records are usually associated with.
const (
	Contacts  ObjectType = "contacts"
	Companies ObjectType = "companies"
	Deals     ObjectType = "deals"
	Tickets   ObjectType = "tickets"
	Emails    ObjectType = "emails"
	Tasks     ObjectType = "tasks"
	Notes     ObjectType = "notes"
	Calls     ObjectType = "calls"
	Meetings  ObjectType = "meetings"
	// Communications are WhatsApp, LinkedIn and SMS messages logged on
	// records.
	Communications ObjectType = "communications"
	// PostalMails are postal mail sent or received, logged on records.
	PostalMails ObjectType = "postal_mail"
)

// AssociationTypeID identifies a kind of association between two object
// types: one of HubSpot's defaults below (HUBSPOT_DEFINED), or the id of a
// label of the caller's (USER_DEFINED; see AssociationTarget.Category).
type AssociationTypeID int

// HubSpot's default association types from the activities this package
// writes to the records they are logged on (HUBSPOT_DEFINED).
const (
	NoteToContact    AssociationTypeID = 202
	NoteToCompany    AssociationTypeID = 190
	NoteToDeal       AssociationTypeID = 214
	NoteToTicket     AssociationTypeID = 228
	CallToContact    AssociationTypeID = 194
	CallToCompany    AssociationTypeID = 182
	CallToDeal       AssociationTypeID = 206
	CallToTicket     AssociationTypeID = 220
	EmailToContact   AssociationTypeID = 198
	EmailToCompany   AssociationTypeID = 186
	EmailToDeal      AssociationTypeID = 210
	EmailToTicket    AssociationTypeID = 224
	MeetingToContact AssociationTypeID = 200
	MeetingToCompany AssociationTypeID = 188
	MeetingToDeal    AssociationTypeID = 212
	MeetingToTicket  AssociationTypeID = 226
	TaskToContact    AssociationTypeID = 204
	TaskToCompany    AssociationTypeID = 192
	TaskToDeal       AssociationTypeID = 216
	TaskToTicket     AssociationTypeID = 230
	// HubSpot's associations guide ("Communication (SMS, WhatsApp, or
	// LinkedIn message) to object", "Postal mail to object").
	CommunicationToContact AssociationTypeID = 81
	CommunicationToCompany AssociationTypeID = 87
	CommunicationToDeal    AssociationTypeID = 85
	CommunicationToTicket  AssociationTypeID = 83
	PostalMailToContact    AssociationTypeID = 453
	PostalMailToCompany    AssociationTypeID = 459
	PostalMailToDeal       AssociationTypeID = 457
	PostalMailToTicket     AssociationTypeID = 455
)

// defaultAssociations are HubSpot's default association type for each
// pair of object types this package knows.
var defaultAssociations = map[[2]ObjectType]AssociationTypeID{
	{Notes, Contacts}: NoteToContact, {Notes, Companies}: NoteToCompany, {Notes, Deals}: NoteToDeal, {Notes, Tickets}: NoteToTicket,
	{Calls, Contacts}: CallToContact, {Calls, Companies}: CallToCompany, {Calls, Deals}: CallToDeal, {Calls, Tickets}: CallToTicket,
	{Emails, Contacts}: EmailToContact, {Emails, Companies}: EmailToCompany, {Emails, Deals}: EmailToDeal, {Emails, Tickets}: EmailToTicket,
	{Meetings, Contacts}: MeetingToContact, {Meetings, Companies}: MeetingToCompany, {Meetings, Deals}: MeetingToDeal, {Meetings, Tickets}: MeetingToTicket,
	{Tasks, Contacts}: TaskToContact, {Tasks, Companies}: TaskToCompany, {Tasks, Deals}: TaskToDeal, {Tasks, Tickets}: TaskToTicket,
	{Communications, Contacts}: CommunicationToContact, {Communications, Companies}: CommunicationToCompany,
	{Communications, Deals}: CommunicationToDeal, {Communications, Tickets}: CommunicationToTicket,
	{PostalMails, Contacts}: PostalMailToContact, {PostalMails, Companies}: PostalMailToCompany,
	{PostalMails, Deals}: PostalMailToDeal, {PostalMails, Tickets}: PostalMailToTicket,
}

// DefaultAssociationType returns HubSpot's default association type from
// records of from to records of to (for example TaskToContact), and whether
// there is one this package knows.
func DefaultAssociationType(from, to ObjectType) (AssociationTypeID, bool) {
	id, ok := defaultAssociations[[2]ObjectType{from, to}]
	return id, ok
}

// AssociationCategory says who defined an association type.
type AssociationCategory string

// The association categories.
const (
	HubSpotDefined    AssociationCategory = "HUBSPOT_DEFINED"
	UserDefined       AssociationCategory = "USER_DEFINED"
	IntegratorDefined AssociationCategory = "INTEGRATOR_DEFINED"
	// Work is the category of HubSpot's work associations, which 2026-09's
	// association listing reports; none is made through this package.
	Work AssociationCategory = "WORK"
)

// AssociationType is one kind of association between two records, as
// 2026-09's listing reports it.
type AssociationType struct {
	// TypeID identifies the type within its Category.
	TypeID AssociationTypeID `json:"typeId"`
	// Category is who defined the type.
	Category AssociationCategory `json:"category"`
	// Label is the type's label ("" for an unlabeled association).
	Label string `json:"label,omitempty"`
}

// labelledPage is a page of a record's associations with their types (a
// generated answer type of a version that has the listing).
type labelledPage interface {
	page() (results []AssociatedID, after string)
}

// AssociationTarget is the record at the other end of an association, and
// the kind of association.
type AssociationTarget struct {
	// ObjectType is the other record's type (Contacts, Companies, …).
	ObjectType ObjectType
	// ID is the other record's id.
	ID string
	// Type is the kind of association; 0 is HubSpot's default for the pair
	// of object types (DefaultAssociationType).
	Type AssociationTypeID
	// Category is who defined Type ("" is HubSpotDefined).
	Category AssociationCategory
}

// resolve fills the defaults of t for associations from records of from.
func (t AssociationTarget) resolve(field string, from ObjectType) (AssociationTarget, error) {
	// Both are path segments of Associate and Dissociate, and ids in a
	// create's body: checked alike.
	if err := validObjectID(field+".ObjectType", string(t.ObjectType)); err != nil {
		return t, err
	}
	if err := validObjectID(field+".ID", t.ID); err != nil {
		return t, err
	}
	if t.Category == "" {
		t.Category = HubSpotDefined
	}
	if err := checkEnum(field+".Category", t.Category, HubSpotDefined, UserDefined, IntegratorDefined); err != nil {
		return t, err
	}
	if t.Type == 0 {
		id, ok := DefaultAssociationType(from, t.ObjectType)
		if !ok {
			return t, &ValidationError{Field: field + ".Type", Problem: fmt.Sprintf("required: no default association type from %s to %s", from, t.ObjectType)}
		}
		t.Type = id
	}
	if t.Type < 0 {
		return t, &ValidationError{Field: field + ".Type", Problem: "must be a positive association type id", Actual: int(t.Type)}
	}
	return t, nil
}

// AssociatedID is a record another record is associated with.
type AssociatedID struct {
	// ID is the associated record's id.
	ID string `json:"id"`
	// Type is the association type HubSpot names (for example
	// "task_to_contact"), on v3 and 2026-03.
	Type string `json:"type,omitempty"`
	// Types are the association's types, with their categories and
	// labels, on 2026-09 and later.
	Types []AssociationType `json:"types,omitempty"`
}

// maxAssociationsPage is HubSpot's largest page of associations.
const maxAssociationsPage = 500

// ErrAssociationsTruncated is returned by Associations on the 2026-03 wire
// when the record carries more associations than one read returns: that
// API has no association listing to page through (the v3 wire has).
var ErrAssociationsTruncated = errors.New("hubspot: more associations than the 2026-03 API returns with a record")

// AssociationsParams are the parameters of Associations.
type AssociationsParams struct {
	// ToObjectType is the type of the associated records to list
	// (Contacts, Companies, …). Required.
	ToObjectType ObjectType
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// Associations lists the records of p.ToObjectType associated with the
// record. On v3 it pages through HubSpot's association listing, 500 a page
// (GET /crm/v3/objects/{type}/{id}/associations/{toObjectType}); on 2026-09
// through its listing with each association's types, categories and labels
// (GET /crm/objects/2026-09/{type}/{id}/associations/{toObjectType}); the
// 2026-03 API has no such listing, so it reads the record with its
// associations (GET /crm/objects/2026-03/{type}/{id}?associations=…), one
// page, and the listing ends with ErrAssociationsTruncated, after what it
// read, when HubSpot says there are more.
func (s *ObjectService[T]) Associations(ctx context.Context, id string, p AssociationsParams) *Pager[AssociatedID] {
	if err := validObjectID("id", id); err != nil {
		return errPager[AssociatedID](err)
	}
	to := string(p.ToObjectType)
	if err := validObjectID("ToObjectType", to); err != nil {
		return errPager[AssociatedID](err)
	}
	kind := string(s.api.version) + ".associations." + s.api.name + "." + to
	at, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return errPager[AssociatedID](err)
	}
	o := s.op("associations.list", opSafe)
	return newPager(ctx, s.c, o.Name, at, func(ctx context.Context, at position) (fetched[AssociatedID], error) {
		if s.api.assocLabels != nil {
			ans := s.api.newLabelled()
			err := s.c.send(ctx, o, func(server string) (*http.Request, error) {
				return s.api.assocLabels(server, id, to, at.Token)
			}, ans)
			if err != nil {
				return fetched[AssociatedID]{}, err
			}
			items, next := ans.page()
			return fetched[AssociatedID]{items: items, next: position{Kind: kind, Token: next, Read: at.Read + len(items), Done: next == ""}}, nil
		}
		if s.api.assocList == nil {
			rec, err := sendFor(ctx, s.c, o, func(server string) (*http.Request, error) {
				return s.api.get(server, id, getQuery{associations: []string{to}})
			}, s.shapes().record)
			if err != nil {
				return fetched[AssociatedID]{}, err
			}
			list := rec.v.Associations[to]
			f := fetched[AssociatedID]{items: list.Results, next: position{Kind: kind, Read: len(list.Results), Done: true}}
			if list.More {
				f.stop = fmt.Errorf("%w (%d read)", ErrAssociationsTruncated, len(list.Results))
			}
			return f, nil
		}
		var ans tasks.CollectionResponseAssociation
		err := s.c.send(ctx, o, func(server string) (*http.Request, error) {
			return s.api.assocList(server, id, to, at.Token)
		}, &ans)
		if err != nil {
			return fetched[AssociatedID]{}, err
		}
		page := v3AssociatedList(ans)
		next := page.After
		if !page.More {
			next = ""
		}
		return fetched[AssociatedID]{items: page.Results, next: position{Kind: kind, Token: next, Read: at.Read + len(page.Results), Done: next == ""}}, nil
	})
}

// Associate associates the record with another, with HubSpot's default
// association type for the pair unless to.Type says otherwise
// (PUT /crm/v3/objects/{type}/{id}/associations/{toObjectType}/{toObjectId}/{associationTypeId},
// or on 2026-03 PUT /crm/objects/2026-03/{type}/{id}/associations/{toObjectType}/{toObjectId}
// with the type in the body).
func (s *ObjectService[T]) Associate(ctx context.Context, id string, to AssociationTarget) error {
	return s.sendAssoc(ctx, "associations.create", id, to, func(server string, to AssociationTarget) (*http.Request, error) {
		if s.api.assocPut != nil {
			r, err := jsonBody(s.api.body.associate(to))
			if err != nil {
				return nil, err
			}
			return s.api.assocPut(server, id, string(to.ObjectType), to.ID, "application/json", r)
		}
		return s.api.assocCreate(server, id, string(to.ObjectType), to.ID, strconv.Itoa(int(to.Type)))
	})
}

// Dissociate removes an association. On v3 it removes the association of
// to's type (DELETE /crm/v3/objects/{type}/{id}/associations/{toObjectType}/{toObjectId}/{associationTypeId});
// on 2026-03 it removes every association between the two records
// (DELETE /crm/objects/2026-03/{type}/{id}/associations/{toObjectType}/{toObjectId}),
// the only removal that API has.
func (s *ObjectService[T]) Dissociate(ctx context.Context, id string, to AssociationTarget) error {
	return s.sendAssoc(ctx, "associations.delete", id, to, func(server string, to AssociationTarget) (*http.Request, error) {
		if s.api.assocDel != nil {
			return s.api.assocDel(server, id, string(to.ObjectType), to.ID)
		}
		return s.api.assocDelete(server, id, string(to.ObjectType), to.ID, strconv.Itoa(int(to.Type)))
	})
}

// sendAssoc checks id and resolves to, then sends the request req builds
// for the resolved target as operation name.
func (s *ObjectService[T]) sendAssoc(ctx context.Context, name, id string, to AssociationTarget, req func(server string, to AssociationTarget) (*http.Request, error)) error {
	to, err := s.target(id, to)
	if err != nil {
		return err
	}
	return s.c.send(ctx, s.op(name, opSafe), func(server string) (*http.Request, error) { return req(server, to) }, nil)
}

func (s *ObjectService[T]) target(id string, to AssociationTarget) (AssociationTarget, error) {
	if err := validObjectID("id", id); err != nil {
		return to, err
	}
	return to.resolve("to", s.ObjectType())
}
