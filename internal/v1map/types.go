package v1map

// Object types of the CRM object APIs that hold engagements
// (/crm/v3/objects/{type}, /crm/objects/2026-03/{type}).
const (
	Notes    = "notes"
	Calls    = "calls"
	Meetings = "meetings"
	Emails   = "emails"
	Tasks    = "tasks"
)

// The activity object types v1 has no engagement type for: their default
// association types are in the table below too.
const (
	Communications = "communications"
	PostalMail     = "postal_mail"
)

// Object types of the records an engagement can be associated with.
const (
	Contacts  = "contacts"
	Companies = "companies"
	Deals     = "deals"
	Tickets   = "tickets"
	Quotes    = "quotes"
)

// Engagement types of the v1 API. The three email types are one object type
// (emails) told apart by hs_email_direction.
const (
	TypeNote           = "NOTE"
	TypeCall           = "CALL"
	TypeMeeting        = "MEETING"
	TypeTask           = "TASK"
	TypeEmail          = "EMAIL"
	TypeIncomingEmail  = "INCOMING_EMAIL"
	TypeForwardedEmail = "FORWARDED_EMAIL"
)

// ObjectTypes are the five engagement object types, in the order a caller
// that has an id but no type should try them (one read per type at most: an
// id belongs to one engagement, whatever its type). Notes come first: they
// are the most numerous engagements (76 of 100 in the recorded v1 listing).
var ObjectTypes = [...]string{Notes, Tasks, Calls, Emails, Meetings}

// ObjectType returns the object type that stores engagements of type
// engType: NOTE → notes, CALL → calls, MEETING → meetings, TASK → tasks,
// EMAIL, INCOMING_EMAIL and FORWARDED_EMAIL → emails. ok is false for any
// other type (PUBLISHING_TASK and HubSpot's other internal types have no
// object API).
func ObjectType(engType string) (objectType string, ok bool) {
	for _, t := range typeObjects {
		if t.eng == engType {
			return t.object, true
		}
	}
	return "", false
}

// typeObjects pairs each v1 engagement type with its object type; the
// first pair of an object type gives its v1 type (EMAIL for emails).
var typeObjects = []struct{ eng, object string }{
	{TypeNote, Notes}, {TypeCall, Calls}, {TypeMeeting, Meetings}, {TypeTask, Tasks},
	{TypeEmail, Emails}, {TypeIncomingEmail, Emails}, {TypeForwardedEmail, Emails},
}

// EngagementType returns the v1 type of the records of an object type:
// notes → NOTE, …, emails → EMAIL. An email's exact type (INCOMING_EMAIL,
// FORWARDED_EMAIL) is its hs_email_direction, which FromProperties reads.
func EngagementType(objectType string) (engType string, ok bool) {
	for _, t := range typeObjects {
		if t.object == objectType {
			return t.eng, true
		}
	}
	return "", false
}

// AssociationCategory is the category of every association type in the
// table: types HubSpot defines, the same ids in every account.
const AssociationCategory = "HUBSPOT_DEFINED"

// AssociationType is HubSpot's default (unlabeled) association type from an
// engagement object type to a record type, and back.
type AssociationType struct {
	// From is the engagement object type (notes, …).
	From string
	// To is the associated object type (contacts, …).
	To string
	// TypeID is the associationTypeId from From to To, for create bodies
	// and association paths.
	TypeID int32
	// Name is the v3 association type name from From to To, which HubSpot
	// returns in an object's associations and accepts in v3 paths.
	Name string
	// ReverseTypeID is the associationTypeId from To to From.
	ReverseTypeID int32
	// ReverseName is the v3 name from To to From.
	ReverseName string
}

// associationTypes is HubSpot's table of default association type ids for
// the engagement types, from the "Association type ID values" section of
// https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide
// (tables "Note to object", "Call to object", …, and "Contact to object",
// "Company to object", "Deal to object", "Ticket to object", "Quote to
// object" for the reverse ids; page of March 30, 2026). The guide of each
// engagement uses the same ids in its create examples (note→company 190,
// note→deal 214, call→contact 194, call→ticket 220, email→deal 210,
// email→contact 198, meeting→contact 200, task→contact 204).
//
// Names: each engagement guide names x_to_contact (note_to_contact,
// call_to_contact, email_to_contact, task_to_contact) as accepted in
// association paths; the meetings object's names are meeting_event_to_…
// (HubSpot calls the object meeting_event internally: that is what it
// returns in an object's associations). The other names follow the same
// from_to_to pattern. Only tasks have a default association to quotes
// (task to quote 218, quote to task 217); no engagement has one to a
// workflow, an owner or a content page.
var associationTypes = [...]AssociationType{
	{Notes, Contacts, 202, "note_to_contact", 201, "contact_to_note"},
	{Notes, Companies, 190, "note_to_company", 189, "company_to_note"},
	{Notes, Deals, 214, "note_to_deal", 213, "deal_to_note"},
	{Notes, Tickets, 228, "note_to_ticket", 227, "ticket_to_note"},
	{Calls, Contacts, 194, "call_to_contact", 193, "contact_to_call"},
	{Calls, Companies, 182, "call_to_company", 181, "company_to_call"},
	{Calls, Deals, 206, "call_to_deal", 205, "deal_to_call"},
	{Calls, Tickets, 220, "call_to_ticket", 219, "ticket_to_call"},
	{Emails, Contacts, 198, "email_to_contact", 197, "contact_to_email"},
	{Emails, Companies, 186, "email_to_company", 185, "company_to_email"},
	{Emails, Deals, 210, "email_to_deal", 209, "deal_to_email"},
	{Emails, Tickets, 224, "email_to_ticket", 223, "ticket_to_email"},
	{Meetings, Contacts, 200, "meeting_event_to_contact", 199, "contact_to_meeting_event"},
	{Meetings, Companies, 188, "meeting_event_to_company", 187, "company_to_meeting_event"},
	{Meetings, Deals, 212, "meeting_event_to_deal", 211, "deal_to_meeting_event"},
	{Meetings, Tickets, 226, "meeting_event_to_ticket", 225, "ticket_to_meeting_event"},
	{Tasks, Contacts, 204, "task_to_contact", 203, "contact_to_task"},
	{Tasks, Companies, 192, "task_to_company", 191, "company_to_task"},
	{Tasks, Deals, 216, "task_to_deal", 215, "deal_to_task"},
	{Tasks, Tickets, 230, "task_to_ticket", 229, "ticket_to_task"},
	{Tasks, Quotes, 218, "task_to_quote", 217, "quote_to_task"},
	// "Communication (SMS, WhatsApp, or LinkedIn message) to object" and
	// "Postal mail to object" (no v1 engagement type: CRM objects only).
	{Communications, Contacts, 81, "communication_to_contact", 82, "contact_to_communication"},
	{Communications, Companies, 87, "communication_to_company", 88, "company_to_communication"},
	{Communications, Deals, 85, "communication_to_deal", 86, "deal_to_communication"},
	{Communications, Tickets, 83, "communication_to_ticket", 84, "ticket_to_communication"},
	{PostalMail, Contacts, 453, "postal_mail_to_contact", 454, "contact_to_postal_mail"},
	{PostalMail, Companies, 459, "postal_mail_to_company", 460, "company_to_postal_mail"},
	{PostalMail, Deals, 457, "postal_mail_to_deal", 458, "deal_to_postal_mail"},
	{PostalMail, Tickets, 455, "postal_mail_to_ticket", 456, "ticket_to_postal_mail"},
}

// AssociationTypes returns every default association type of the table.
func AssociationTypes() []AssociationType {
	out := make([]AssociationType, len(associationTypes))
	copy(out, associationTypes[:])
	return out
}

// DefaultAssociation returns HubSpot's default association type from an
// engagement object type to a record type. ok is false where HubSpot defines
// none (an engagement to a quote, except a task).
func DefaultAssociation(from, to string) (AssociationType, bool) {
	for _, a := range associationTypes {
		if a.From == from && a.To == to {
			return a, true
		}
	}
	return AssociationType{}, false
}
