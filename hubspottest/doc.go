// Package hubspottest is an in-process fake of HubSpot's engagement APIs for
// Go tests, on the three wires HubSpot serves them on: the legacy v1
// engagements API (create, get, update, delete, the paged, recent/modified,
// modified/after and associated listings, and call dispositions); the v3 CRM
// objects APIs (tasks and emails, and the generic /crm/v3/objects/{type} for
// notes, calls and meetings: list, create, get, update, archive, batch
// read/create/update/upsert/archive, search and associations); and the
// date-versioned 2026-03 and 2026-09 object APIs of the seven activity
// types (/crm/objects/2026-03/…, /crm/objects/2026-09/…, the same
// operations, with their association routes; on 2026-09 also merge — the
// primary record keeps its values, takes the merged one's where it has
// none and its associations, and lists it in hs_merged_object_ids —, GDPR
// delete, which removes a record for good, and the listing of a record's
// associations with their types). APIs lists them.
//
// # One store, three wires
//
// As in HubSpot, a record is one record whichever API made it: a v1
// engagement of type NOTE, CALL, MEETING, TASK or EMAIL (INCOMING_EMAIL,
// FORWARDED_EMAIL) is the note, call, meeting, task or email of the same id,
// and every API reads and changes it. v1 fields and object properties
// convert through internal/v1map, the one table between them (NOTE body ↔
// hs_note_body, timestamp ↔ hs_timestamp, ownerId ↔ hubspot_owner_id, …),
// and v1 associations through HubSpot's default association types
// (contactIds ↔ note_to_contact, …). What no property holds (engagement.uid,
// unknown fields, ownerIds, …) is kept beside the record, so the v1 API
// answers what it stored until another wire changes the record; then the
// fields whose property changed follow. Engagement types only v1 has
// (PUBLISHING_TASK, seeded by SeedEngagements) are v1 records alone.
// Server.Engagements lists every record as the v1 API sees it; Server.Tasks,
// Server.Objects and the rest as the object APIs do.
//
// Start one with New, which closes it when the test ends, point the code
// under test at Server.URL with the bearer token Server.Token, and inspect
// what it stored (Server.Task, Server.Engagement, …) and what it was asked
// (Server.Requests):
//
//	srv := hubspottest.New(t)
//	ids := srv.SeedTasks(3)
//	…
//	task, _ := srv.Task(ids[0])
//	if task.Prop("hs_task_status") != "COMPLETED" { … }
//
// NewServer does the same outside a test; Close it when done.
//
// The server is built from the same OpenAPI documents as the client
// (api/*.yaml and api/2026-03/*.json with their overlays): its routes and
// parameters are the server interfaces oapi-codegen generates from the
// generic ones (v1, the v3 objects document, one merged package per dated
// version), every request is checked against the most specific document
// that has its route, request bodies (the same JSON on every wire) are read
// into the 2026-03 types and answers written from each wire's own types,
// and every answer follows the documents and HubSpot's
// recorded behaviour: ids above 2^32, one sequence for every wire, times in
// epoch milliseconds (v1) and RFC 3339 to the millisecond (v3, 2026-03),
// HubSpot's error bodies, an X-HubSpot-Correlation-Id header on every answer,
// and HubSpot's paging rules and caps.
//
// # Validation
//
// Every request is checked against its document with kin-openapi before it
// is handled: parameters (types, enumerations, limits) and the JSON body
// (the v1 create against the variant of its engagement.type). A request
// that breaks its document is answered 400 with HubSpot's body: category
// VALIDATION_ERROR, a message naming the first problem and errors[] with
// one entry per problem, each naming where ("in": "limit",
// "inputs[0].properties.hs_task_subject"); v1 answers also carry a
// requestId, and an unknown v1 enumeration value gets Jackson's "Invalid
// enum constant" message, as from HubSpot. Like HubSpot, the server reads
// numbers and booleans where the documents want a string (a property value
// 42, a filter value true) as their text, and a null property value as "".
// Bodies are read up to 32 MiB.
//
// # Properties
//
// The server knows the properties HubSpot defines for tasks, emails, notes,
// calls and meetings (hs_task_*, hs_email_*, hs_note_body, hs_call_*,
// hs_meeting_*, and the common hs_timestamp, hubspot_owner_id,
// hs_object_id, hs_createdate, hs_lastmodifieddate, …; the table of
// internal/props, which the facade reads too) with their types:
// string, number, datetime, date, bool, or enumeration with its options
// (task status, priority and type, email direction and status, call
// direction and status, meeting outcome). It checks what HubSpot checks and
// answers as HubSpot does:
//
//   - an unknown property: 400 VALIDATION_ERROR, "Property values were not
//     valid: [{…"error":"PROPERTY_DOESNT_EXIST"…}]", with errors[] entries
//     of code PROPERTY_DOESNT_EXIST and context.propertyName;
//   - a value not among an enumeration's (or a bool's) options:
//     INVALID_OPTION, naming the options;
//   - a number property given anything but a number: INVALID_NUMBER; a
//     datetime given anything but RFC 3339, a date or epoch milliseconds:
//     INVALID_LONG; a date not at midnight UTC: INVALID_DATE;
//   - a non-text value with leading or trailing whitespace:
//     LEADING_TRAILING_WHITESPACE;
//   - on 2026-09 (and later dated versions), a create, batch create or
//     upsert creating a record without a property declared
//     RequiredOnCreate: 400 VALIDATION_ERROR, "The property values provided
//     are invalid", an errors[] entry of code MISSING_REQUIRED_PROPERTY
//     ("A value for region must be provided") naming it in
//     context.propertyName, as HubSpot's changelog shows; the older wires
//     accept it;
//   - a value another live record has in a unique property: 409 CONFLICT,
//     "Task already exists. Existing ID: 80000000001", with an errors[]
//     entry naming the property (the v3 overlays declare the 409).
//
// A v1 create or update of one of the five types is checked the same way,
// its fields converted to the properties they set: what the object API
// would refuse is answered 400, v1-shaped.
//
// A batch create or update is checked as a whole, as HubSpot does: one
// invalid input refuses the batch, and errors[] names each invalid input
// (in: "inputs[3]"); a unique value given to two inputs of a batch is
// refused too. Nothing of a refused request is stored.
//
// On create, a record gets the properties HubSpot sets (a task:
// hs_task_status NOT_STARTED, hs_task_family SALES, hs_task_is_completed
// "0", …; every record: hs_object_source INTEGRATION, …), and the ones
// HubSpot computes follow the record (hs_body_preview and its HTML from the
// body, a task's hs_task_is_completed from its status). Seeded records are
// records like any other: the API would accept their values.
//
// # Custom properties
//
// A test declares the properties of its own account with WithProperty,
// for example a property with unique values to create records
// idempotently (facade's BatchCreate with a unique property, engagements import
// --unique-property):
//
//	srv := hubspottest.New(t, hubspottest.WithProperty("tasks",
//		hubspottest.Property{Name: "import_key", Unique: true}))
//
// `engagements fake` takes the same declarations as flags:
// --property tasks:import_key:string:unique (see ParseProperty).
//
// # Associations
//
// The server knows HubSpot's default association types from each
// engagement object type to contacts, companies, deals and tickets (and
// from tasks to quotes), from internal/v1map (see AssociationType). The v3
// association paths take them by name or id (task_to_contact or 204); the
// 2026-03 PUT takes them in its body ([{"associationCategory":
// "HUBSPOT_DEFINED","associationTypeId":204}]), with either record first
// (contacts/5001/associations/tasks/… takes the reverse type); PUT …/default
// makes the default one and answers it in both directions; DELETE removes
// every association between the two records. Create bodies (one record or a
// batch, on both wires) make their associations in the same request; the
// type's id says the associated object type. Any other type is answered
// 400 VALIDATION_ERROR with subCategory
// crm.associations.INVALID_ASSOCIATION_TYPE ("bogus is not a valid
// association type between tasks and contacts"), and nothing is stored. A
// read's associations parameter (comma-separated on v3, repeated on
// 2026-03) returns the associated ids by type; a type HubSpot cannot read
// is answered 400 "Unable to infer object type from: false", as is an
// unknown type in a generic objects path (which also takes type ids:
// /crm/v3/objects/0-46).
//
// # Upsert
//
// Batch upsert, on every object API, creates or updates each input by the
// value of a unique property (idProperty; see WithProperty) and says which
// it did (new). A property without unique values, hs_object_id included,
// is refused as HubSpot refuses it: "Unable to perform update/upsert by
// non-unique 0-27 property hs_task_subject in portal ID 62515"; so are two
// inputs naming one record. The 2026-03 read and update also take
// idProperty.
//
// # Authentication
//
// A request without a registered bearer token (see Server.Token and
// Server.AddToken) is answered 401 with category INVALID_AUTHENTICATION.
//
// # Pagination
//
//   - v1 paged and associated: limit ≤ 250 (default 100); offset is the last
//     id of the previous page; hasMore.
//   - v1 recent/modified: count ≤ 100 (default 20), since (ms), offset is a
//     position, total; newest first; records of the last 30 days only and
//     never past the 10,000th (hasMore is false there).
//   - v1 modified/after: after is epoch ms or the previous answer's after
//     cursor; limit ≤ 1000; oldest modification first.
//   - object lists (v3 and 2026-03): limit ≤ 100 (default 10);
//     paging.next.after (last id + 1) and paging.next.link (absolute URL);
//     no paging on the last page.
//   - object searches: limit ≤ 200 (default 10); after is a numeric offset; total;
//     after+limit past 10,000 is answered 400 VALIDATION_ERROR. Without sorts,
//     results are in hs_object_id order, ascending; sorts put unset values
//     last and break ties by hs_object_id.
//
// # Search
//
// filterGroups are ORed, the filters of a group ANDed. HubSpot's
// pseudo-property associations.{type} (associations.contact,
// associations.company, …; the type by singular, plural or id) filters on
// the ids of the associated records: EQ and IN meet a record when one of
// them matches, NEQ and NOT_IN when none does. Values compare as
// numbers when both sides read as numbers or dates (RFC 3339, YYYY-MM-DD or
// epoch ms), else as case-insensitive text. CONTAINS_TOKEN matches the whole
// value, a whitespace-separated word or an alphanumeric run against the
// token, where * stands for any text. An unset value meets only
// NOT_HAS_PROPERTY, NEQ, NOT_IN and NOT_CONTAINS_TOKEN. query is a
// case-insensitive substring of the type's text properties (hs_task_subject,
// hs_task_body; hs_email_subject, hs_email_text, hs_email_html).
//
// # Rate limits
//
// Off by default. WithRateLimit sets a rolling window per token (search
// requests are not counted in it), WithSearchRateLimit another window for
// search requests (HubSpot: 5 per second; the same arguments as the
// facade's option), WithDailyLimit a daily count; Server.SetRateLimit changes
// the window while running and WithClock makes windows deterministic.
// Answers carry the X-HubSpot-RateLimit-* headers of the limits that are on
// (search answers only the daily pair); a refused request is answered 429
// with HubSpot's body (policyName TEN_SECONDLY_ROLLING or DAILY, or category
// RATE_LIMITS for search) and is not counted.
//
// # Faults
//
// WithLatency delays answers; WithFaults injects, deterministically from a
// seed, HTML gateway errors (502/503/504), dropped connections and creates
// whose answer is lost after they were stored. Server.FaultStats counts them.
// Requests refused for authentication never meet a fault.
package hubspottest
