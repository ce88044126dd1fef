// Package v1map is the one table between HubSpot's legacy v1 engagements
// and the CRM object APIs that hold the same records (notes, calls,
// meetings, emails, tasks; /crm/v3/objects/… and /crm/objects/2026-03/…),
// with the conversions both ways. The facade uses it to serve v1 calls on
// the object APIs, and hubspottest to serve one store through both.
//
// It works on JSON-level values, so that neither user depends on the
// other's types: a v1 record is a Record (the "engagement" and "metadata"
// objects field by field, raw JSON), and an object is its properties,
// text by property name. Every function is pure.
//
// # The table
//
// For each engagement type, Fields lists every v1 field the table knows
// with the object property that holds it (or none), who can write it, and
// how the value converts (Format): epoch milliseconds ↔ ISO 8601 times,
// integers ↔ decimal text, lists ↔ ";"-separated text, the EMAIL
// from/sender/to/cc/bcc ↔ the JSON text of hs_email_headers. Enumeration
// values (call and task status, task type and priority, email status) are
// the same on both sides and pass unchanged. Each mapping names its source
// in Field.Note: HubSpot's guide of the object, its call recordings guide,
// or what HubSpot's answers carry.
//
// Fields HubSpot has no property for: engagement.uid, portalId, createdBy,
// modifiedBy, teamId, allAccessibleTeamIds, source, sourceId, gdprDeleted,
// activityType (except CALL and MEETING), a TASK's attachments, and any
// metadata field the table does not name (emailSendEventId, …). A request
// that sets one is refused (*UnmappedError), since sending the rest would
// lose it silently; a stored record loses it, and ToProperties reports it.
// engagement.active has no property either: true is what every object
// record is, so it is accepted and always read back; false is refused in a
// request (*ValueError) and reported for a stored record.
//
// ToProperties and FromProperties are lossless where the property holds the
// value: v1 → properties → v1 gives the same value for every mapped field,
// with two documented equivalences (ownerId 0 is no owner; a TASK's empty
// attachments are none).
//
// # Types and associations
//
// ObjectType and EngagementType pair the types (NOTE ↔ notes, …; the three
// email types ↔ emails, told apart by hs_email_direction). AssociationTypes
// is HubSpot's table of default association type ids from each engagement
// object to contacts, companies, deals and tickets (and a task to quotes),
// with the reverse ids and v3 names; ToAssociations turns a v1
// "associations" object into the associations of a create body, and
// FromAssociations turns an object's associations back. ownerIds,
// workflowIds and contentIds have no object association.
//
// # The v1 operations on the object APIs
//
//   - create: one create of the object type, properties and associations in
//     the body (HubSpot's default association types).
//   - get, update, delete by id alone: the id does not say the object type,
//     so up to five reads (ObjectTypes, one per type at most) find it; then
//     one update or delete. This costs more than v1.
//   - paged listing of every engagement: one listing per object type, each
//     with its own cursor; v1's single offset has no equivalent, and the
//     order across types is not v1's.
//   - recently modified, modified after: a search per object type on
//     hs_lastmodifieddate (GT since, sorted descending; or ascending for
//     modified after), five searches per page under the search limit of 5
//     per second, 10,000 results per query.
//   - the associated timeline of a record: the 2026-03 object documents list
//     no associations of a record; a search per object type filtered on the
//     associations.{contact,company,deal,ticket} pseudo-property finds them,
//     five searches per page.
//   - call dispositions: no dated endpoint in 2026-03; HubSpot's calling
//     dispositions API exists only as 2027-03-beta (allowlisted apps), so
//     /calling/v1/dispositions stays.
package v1map
