package facade_test

// The inputs of the object contract cases: one table per object type, the
// same on every wire. Ids, values and the answers in testdata/contract
// belong together: a response.json answers exactly these inputs.

import (
	"slices"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
)

// Records the inputs associate with, besides contactID.
const (
	companyID = "18923804553"
	dealID    = "14277061982"
)

// importKey is a property of the caller's with unique values, the
// idProperty of the upserts.
const importKey = "import_key"

var tasksAPI = objectAPI[facade.Task]{
	name:    "tasks",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Task] { return c.Tasks },
	object:  func(r facade.Task) facade.Object { return r.Object },
	typed:   checkTask,
	id:      "83461907221",
	cleared: facade.TaskBodyProperty,
	in: objectInputs{
		create: facade.Properties{
			facade.TimestampProperty:    facade.FormatTime(time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)),
			facade.TaskSubjectProperty:  "Send Q2 renewal proposal",
			facade.TaskBodyProperty:     "Brian asked for pricing on 50 seats.",
			facade.TaskStatusProperty:   "NOT_STARTED",
			facade.TaskPriorityProperty: "HIGH",
			facade.TaskTypeProperty:     "EMAIL",
			facade.OwnerIDProperty:      "77367890",
		},
		update: facade.Properties{facade.TaskStatusProperty: "COMPLETED", facade.TaskBodyProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ListParams{
			Limit:        2,
			Properties:   []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TaskPriorityProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.TaskStatusProperty, Operator: facade.OpIn, Values: []string{"NOT_STARTED", "WAITING"}},
					{PropertyName: facade.TimestampProperty, Operator: facade.OpBetween, Value: "1740787200000", HighValue: "1741392000000"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.TaskPriorityProperty, Operator: facade.OpEQ, Value: "HIGH"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.TimestampProperty, Direction: "DESCENDING"}},
			Properties: []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TaskPriorityProperty, facade.TaskBodyProperty, facade.TimestampProperty},
			Limit:      2,
		},
		batchRead:  []string{"83461907221", "83461907222", "83461907223"},
		readParams: facade.BatchReadParams{Properties: []string{facade.TaskSubjectProperty, facade.TaskStatusProperty}, PropertiesWithHistory: []string{facade.TaskStatusProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-03-03T09:00:00.000Z", facade.TaskSubjectProperty: "Prepare demo", facade.TaskTypeProperty: "TODO"},
			{facade.TimestampProperty: "2025-03-04T09:00:00.000Z", facade.TaskSubjectProperty: "Send contract", facade.TaskTypeProperty: "EMAIL", facade.TaskPriorityProperty: "LOW"},
		},
		batchUpdate: []facade.UpdateInput{
			{ID: "83461907221", Properties: facade.Properties{facade.TaskStatusProperty: "COMPLETED"}},
			{ID: "83461907222", Properties: facade.Properties{facade.TaskPriorityProperty: "LOW", facade.OwnerIDProperty: ""}},
		},
		batchArchive:   []string{"83461907222", "83461907223", "83461907224"},
		upsertProperty: importKey,
		upserts: []facade.UpsertInput{
			{ID: "crm-task-0001", Properties: facade.Properties{facade.TaskSubjectProperty: "Renew support plan", facade.TaskStatusProperty: "NOT_STARTED", facade.TimestampProperty: "2025-03-10T09:00:00.000Z"}},
			{ID: "crm-task-0002", Properties: facade.Properties{facade.TaskSubjectProperty: "Send contract", facade.TaskStatusProperty: "COMPLETED"}},
		},
		assoc: facade.AssociationTarget{ObjectType: facade.Contacts, ID: "51387242109"}, // sent as 204, task to contact
		associations: []facade.AssociationTarget{
			{ObjectType: facade.Contacts, ID: "51387242109"},                                                           // 204
			{ObjectType: facade.Companies, ID: companyID, Type: facade.TaskToCompany, Category: facade.HubSpotDefined}, // 192
		},
	},
}

var emailsAPI = objectAPI[facade.Email]{
	name:    "emails",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Email] { return c.Emails },
	object:  func(r facade.Email) facade.Object { return r.Object },
	typed:   checkEmail,
	id:      "83470215511",
	cleared: facade.EmailTextProperty,
	in: objectInputs{
		create: facade.Properties{
			facade.TimestampProperty:      facade.FormatTime(time.Date(2025, 2, 16, 16, 45, 0, 0, time.UTC)),
			facade.EmailDirectionProperty: "EMAIL",
			facade.EmailStatusProperty:    "SENT",
			facade.EmailSubjectProperty:   "Q2 renewal",
			facade.EmailTextProperty:      "Hi Brian, following up on our call.",
			facade.EmailHTMLProperty:      "<div>Hi Brian, following up on our call.</div>",
			facade.OwnerIDProperty:        "77367890",
			"hs_email_headers":            `{"from":{"email":"sam.seller@example.com","firstName":"Sam","lastName":"Seller"},"to":[{"email":"brian@buyer.example","firstName":"Brian","lastName":"Buyer"}],"cc":[],"bcc":[]}`,
		},
		update: facade.Properties{facade.EmailSubjectProperty: "Q2 renewal (revised)", facade.EmailTextProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailStatusProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ListParams{
			Limit:        2,
			Properties:   []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailStatusProperty, facade.TimestampProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.EmailDirectionProperty, Operator: facade.OpIn, Values: []string{"INCOMING_EMAIL", "FORWARDED_EMAIL"}},
					{PropertyName: facade.TimestampProperty, Operator: facade.OpBetween, Value: "2025-02-01T00:00:00.000Z", HighValue: "2025-03-01T00:00:00.000Z"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.EmailSubjectProperty, Operator: facade.OpContainsToken, Value: "proposal"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.TimestampProperty, Direction: "ASCENDING"}},
			Query:      "renewal",
			Properties: []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailTextProperty, facade.TimestampProperty},
			Limit:      2,
		},
		batchRead:  []string{"83470215511", "83470215512", "83470215513"},
		readParams: facade.BatchReadParams{Properties: []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty}, PropertiesWithHistory: []string{facade.EmailSubjectProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-02-20T10:00:00.000Z", facade.EmailDirectionProperty: "EMAIL", facade.EmailSubjectProperty: "Kickoff agenda"},
			{facade.TimestampProperty: "2025-02-20T11:00:00.000Z", facade.EmailDirectionProperty: "INCOMING_EMAIL", facade.EmailSubjectProperty: "Re: Kickoff agenda"},
		},
		batchUpdate: []facade.UpdateInput{
			{ID: "83470215511", Properties: facade.Properties{facade.EmailStatusProperty: "BOUNCED"}},
			{ID: "83470215512", Properties: facade.Properties{facade.EmailSubjectProperty: "Fwd: pricing (2)", facade.OwnerIDProperty: ""}},
		},
		batchArchive:   []string{"83470215512", "83470215513", "83470215514"},
		upsertProperty: importKey,
		upserts: []facade.UpsertInput{
			{ID: "crm-email-0001", Properties: facade.Properties{facade.EmailSubjectProperty: "Q2 renewal", facade.EmailStatusProperty: "SENT"}},
			{ID: "crm-email-0002", Properties: facade.Properties{facade.EmailSubjectProperty: "Re: Q2 renewal", facade.EmailDirectionProperty: "INCOMING_EMAIL", facade.TimestampProperty: "2025-02-17T08:12:00.000Z"}},
		},
		assoc: facade.AssociationTarget{ObjectType: facade.Contacts, ID: "51387242109"}, // sent as 198, email to contact
		associations: []facade.AssociationTarget{
			{ObjectType: facade.Contacts, ID: "51387242109"},                 // 198
			{ObjectType: facade.Deals, ID: dealID, Type: facade.EmailToDeal}, // 210
		},
	},
}

var notesAPI = objectAPI[facade.Note]{
	name:    "notes",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Note] { return c.Notes },
	object:  func(r facade.Note) facade.Object { return r.Object },
	typed:   checkNote,
	id:      "83480312201",
	cleared: facade.AttachmentIDsProperty,
	in: objectInputs{
		create: facade.Properties{
			facade.TimestampProperty:     facade.FormatTime(time.Date(2025, 2, 18, 9, 0, 0, 0, time.UTC)),
			facade.NoteBodyProperty:      noteBody,
			facade.OwnerIDProperty:       "77367890",
			facade.AttachmentIDsProperty: "187004315642",
		},
		associations: []facade.AssociationTarget{
			{ObjectType: facade.Contacts, ID: "51387242109"},                          // 202
			{ObjectType: facade.Companies, ID: companyID, Type: facade.NoteToCompany}, // 190
		},
		update: facade.Properties{facade.NoteBodyProperty: updatedBody, facade.AttachmentIDsProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.NoteBodyProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ListParams{
			Limit:        2,
			Properties:   []string{facade.NoteBodyProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.NoteBodyProperty, Operator: facade.OpContainsToken, Value: "renewal"},
					{PropertyName: facade.TimestampProperty, Operator: facade.OpGTE, Value: "1738368000000"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.OwnerIDProperty, Operator: facade.OpEQ, Value: "77367890"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.TimestampProperty, Direction: "DESCENDING"}},
			Properties: []string{facade.NoteBodyProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Limit:      2,
		},
		batchRead:  []string{"83480312201", "83480312202", "83480312203"},
		readParams: facade.BatchReadParams{Properties: []string{facade.NoteBodyProperty}, PropertiesWithHistory: []string{facade.NoteBodyProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-02-20T10:00:00.000Z", facade.NoteBodyProperty: "Kickoff: agreed on a pilot with 10 seats."},
			{facade.TimestampProperty: "2025-02-21T16:30:00.000Z", facade.NoteBodyProperty: "Legal review scheduled for next week.", facade.OwnerIDProperty: "77367891"},
		},
		batchUpdate: []facade.UpdateInput{
			{ID: "83480312201", Properties: facade.Properties{facade.NoteBodyProperty: "Pilot extended to 20 seats."}},
			{ID: "83480312202", Properties: facade.Properties{facade.OwnerIDProperty: ""}},
		},
		batchArchive:   []string{"83480312202", "83480312203", "83480312204"},
		upsertProperty: importKey,
		upserts: []facade.UpsertInput{
			{ID: "crm-note-0001", Properties: facade.Properties{facade.NoteBodyProperty: "Imported: first call notes.", facade.TimestampProperty: "2025-01-15T11:00:00.000Z"}},
			{ID: "crm-note-0002", Properties: facade.Properties{facade.NoteBodyProperty: "Imported: pricing discussion."}},
		},
		assoc: facade.AssociationTarget{ObjectType: facade.Contacts, ID: "51387242109"}, // sent as 202, note to contact
	},
}

var callsAPI = objectAPI[facade.Call]{
	name:    "calls",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Call] { return c.Calls },
	object:  func(r facade.Call) facade.Object { return r.Object },
	typed:   checkCall,
	id:      "83490412301",
	cleared: facade.CallBodyProperty,
	in: objectInputs{
		create: facade.Properties{
			facade.TimestampProperty:       facade.FormatTime(time.Date(2025, 2, 18, 15, 30, 0, 0, time.UTC)),
			facade.CallTitleProperty:       "Renewal call with Brian",
			facade.CallBodyProperty:        "Discussed pricing for 50 seats.",
			facade.CallDurationProperty:    "38000",
			facade.CallFromNumberProperty:  "+15559870000",
			facade.CallToNumberProperty:    "+15551230000",
			facade.CallStatusProperty:      "COMPLETED",
			facade.CallDirectionProperty:   "OUTBOUND",
			facade.CallDispositionProperty: "f240bbac-87c9-4f6e-bf70-924b57d47db7",
			facade.OwnerIDProperty:         "77367890",
		},
		associations: []facade.AssociationTarget{
			{ObjectType: facade.Contacts, ID: "51387242109"},                // 194
			{ObjectType: facade.Deals, ID: dealID, Type: facade.CallToDeal}, // 206
		},
		update: facade.Properties{facade.CallBodyProperty: "", facade.CallDispositionProperty: "9d9162e7-6cf3-4944-bf63-4dff82258764"},
		get: facade.GetParams{
			Properties:   []string{facade.CallTitleProperty, facade.CallStatusProperty, facade.CallDurationProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ListParams{
			Limit:        2,
			Properties:   []string{facade.CallTitleProperty, facade.CallDirectionProperty, facade.CallDurationProperty, facade.CallStatusProperty, facade.TimestampProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.CallDirectionProperty, Operator: facade.OpEQ, Value: "INBOUND"},
					{PropertyName: facade.CallDurationProperty, Operator: facade.OpGT, Value: "60000"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.CallStatusProperty, Operator: facade.OpIn, Values: []string{"NO_ANSWER", "BUSY"}},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.CallDurationProperty, Direction: "DESCENDING"}},
			Properties: []string{facade.CallTitleProperty, facade.CallDirectionProperty, facade.CallStatusProperty, facade.CallDurationProperty, facade.TimestampProperty},
			Limit:      2,
		},
		batchRead:  []string{"83490412301", "83490412302", "83490412303"},
		readParams: facade.BatchReadParams{Properties: []string{facade.CallTitleProperty, facade.CallStatusProperty}, PropertiesWithHistory: []string{facade.CallStatusProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-02-24T13:00:00.000Z", facade.CallTitleProperty: "Discovery call", facade.CallDirectionProperty: "OUTBOUND", facade.CallStatusProperty: "COMPLETED", facade.CallDurationProperty: "754000"},
			{facade.TimestampProperty: "2025-02-25T08:45:00.000Z", facade.CallTitleProperty: "Missed call from Brian", facade.CallDirectionProperty: "INBOUND", facade.CallStatusProperty: "NO_ANSWER"},
		},
		batchUpdate: []facade.UpdateInput{
			{ID: "83490412301", Properties: facade.Properties{facade.CallStatusProperty: "COMPLETED"}},
			{ID: "83490412302", Properties: facade.Properties{facade.CallTitleProperty: "Follow-up call", facade.OwnerIDProperty: ""}},
		},
		batchArchive:   []string{"83490412302", "83490412303", "83490412304"},
		upsertProperty: importKey,
		upserts: []facade.UpsertInput{
			{ID: "crm-call-0001", Properties: facade.Properties{facade.CallTitleProperty: "Imported call", facade.CallDurationProperty: "120000", facade.TimestampProperty: "2025-01-20T10:00:00.000Z"}},
			{ID: "crm-call-0002", Properties: facade.Properties{facade.CallStatusProperty: "BUSY"}},
		},
		assoc: facade.AssociationTarget{ObjectType: facade.Deals, ID: dealID}, // sent as 206, call to deal
	},
}

var meetingsAPI = objectAPI[facade.Meeting]{
	name:    "meetings",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Meeting] { return c.Meetings },
	object:  func(r facade.Meeting) facade.Object { return r.Object },
	typed:   checkMeeting,
	id:      "83500512401",
	cleared: facade.MeetingInternalNotesProperty,
	in: objectInputs{
		create: facade.Properties{
			facade.TimestampProperty:            "2025-03-04T14:00:00.000Z",
			facade.MeetingTitleProperty:         "Q2 renewal review",
			facade.MeetingBodyProperty:          "Walk through the proposal with Brian and finance.",
			facade.MeetingInternalNotesProperty: "Bring the 50-seat quote.",
			facade.MeetingExternalURLProperty:   "https://meet.example.com/q2-renewal",
			facade.MeetingLocationProperty:      "Remote",
			facade.MeetingStartTimeProperty:     "2025-03-04T14:00:00.000Z",
			facade.MeetingEndTimeProperty:       "2025-03-04T15:00:00.000Z",
			facade.MeetingOutcomeProperty:       "SCHEDULED",
			facade.OwnerIDProperty:              "77367890",
		},
		associations: []facade.AssociationTarget{
			{ObjectType: facade.Contacts, ID: "51387242109"},                             // 200
			{ObjectType: facade.Companies, ID: companyID, Type: facade.MeetingToCompany}, // 188
		},
		update: facade.Properties{facade.MeetingOutcomeProperty: "COMPLETED", facade.MeetingInternalNotesProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.MeetingTitleProperty, facade.MeetingOutcomeProperty, facade.MeetingStartTimeProperty, facade.MeetingEndTimeProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ListParams{
			Limit:        2,
			Properties:   []string{facade.MeetingTitleProperty, facade.MeetingOutcomeProperty, facade.MeetingStartTimeProperty, facade.MeetingEndTimeProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.MeetingStartTimeProperty, Operator: facade.OpBetween, Value: "2025-03-01T00:00:00.000Z", HighValue: "2025-03-31T23:59:59.999Z"},
					{PropertyName: facade.MeetingOutcomeProperty, Operator: facade.OpNEQ, Value: "CANCELED"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.MeetingOutcomeProperty, Operator: facade.OpEQ, Value: "RESCHEDULED"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.MeetingStartTimeProperty, Direction: "ASCENDING"}},
			Query:      "renewal",
			Properties: []string{facade.MeetingTitleProperty, facade.MeetingBodyProperty, facade.MeetingOutcomeProperty, facade.MeetingStartTimeProperty, facade.MeetingEndTimeProperty},
			Limit:      2,
		},
		batchRead:  []string{"83500512401", "83500512402", "83500512403"},
		readParams: facade.BatchReadParams{Properties: []string{facade.MeetingTitleProperty, facade.MeetingOutcomeProperty}, PropertiesWithHistory: []string{facade.MeetingOutcomeProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-03-06T10:00:00.000Z", facade.MeetingTitleProperty: "Onboarding kickoff", facade.MeetingStartTimeProperty: "2025-03-06T10:00:00.000Z", facade.MeetingEndTimeProperty: "2025-03-06T10:30:00.000Z"},
			{facade.TimestampProperty: "2025-03-07T15:00:00.000Z", facade.MeetingTitleProperty: "Security review", facade.MeetingOutcomeProperty: "SCHEDULED"},
		},
		batchUpdate: []facade.UpdateInput{
			{ID: "83500512401", Properties: facade.Properties{facade.MeetingOutcomeProperty: "NO_SHOW"}},
			{ID: "83500512402", Properties: facade.Properties{facade.MeetingLocationProperty: "Room 4", facade.OwnerIDProperty: ""}},
		},
		batchArchive:   []string{"83500512402", "83500512403", "83500512404"},
		upsertProperty: importKey,
		upserts: []facade.UpsertInput{
			{ID: "crm-meeting-0001", Properties: facade.Properties{facade.MeetingTitleProperty: "Imported demo", facade.MeetingStartTimeProperty: "2025-01-22T16:00:00.000Z", facade.TimestampProperty: "2025-01-22T16:00:00.000Z"}},
			{ID: "crm-meeting-0002", Properties: facade.Properties{facade.MeetingOutcomeProperty: "CANCELED"}},
		},
		assoc: facade.AssociationTarget{ObjectType: facade.Companies, ID: companyID}, // sent as 188, meeting to company
	},
}

// likeNotes are the notes' inputs for another object type with a body and
// a timestamp (communications, postal mail): the note body renamed body,
// the association types of the notes' targets those of from. Their goldens
// are the notes' made the same way (testdata/contract/README.md).
func likeNotes(from facade.ObjectType, body string) objectInputs {
	in := notesAPI.in
	name := func(n string) string {
		if n == facade.NoteBodyProperty {
			return body
		}
		return n
	}
	names := func(ns []string) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = name(n)
		}
		return out
	}
	props := func(p facade.Properties) facade.Properties {
		out := facade.Properties{}
		for k, v := range p {
			out[name(k)] = v
		}
		return out
	}
	in.create, in.update = props(in.create), props(in.update)
	in.associations = slices.Clone(in.associations)
	for i, a := range in.associations {
		if a.Type != 0 {
			in.associations[i].Type, _ = facade.DefaultAssociationType(from, a.ObjectType)
		}
	}
	in.get.Properties, in.list.Properties = names(in.get.Properties), names(in.list.Properties)
	in.search.Properties = names(in.search.Properties)
	in.search.FilterGroups = slices.Clone(in.search.FilterGroups)
	for i, g := range in.search.FilterGroups {
		fs := slices.Clone(g.Filters)
		for j := range fs {
			fs[j].PropertyName = name(fs[j].PropertyName)
		}
		in.search.FilterGroups[i].Filters = fs
	}
	in.readParams = facade.BatchReadParams{Properties: names(in.readParams.Properties), PropertiesWithHistory: names(in.readParams.PropertiesWithHistory)}
	in.batchCreate = slices.Clone(in.batchCreate)
	for i, p := range in.batchCreate {
		in.batchCreate[i] = props(p)
	}
	in.batchUpdate = slices.Clone(in.batchUpdate)
	for i, u := range in.batchUpdate {
		in.batchUpdate[i].Properties = props(u.Properties)
	}
	in.upserts = slices.Clone(in.upserts)
	for i, u := range in.upserts {
		in.upserts[i].Properties = props(u.Properties)
	}
	return in
}

var communicationsAPI = objectAPI[facade.Communication]{
	name:   "communications",
	svc:    func(c *facade.Client) *facade.ObjectService[facade.Communication] { return c.Communications },
	object: func(r facade.Communication) facade.Object { return r.Object },
	typed: func(t *testing.T, what string, r facade.Communication, want any) {
		ts, ok := r.Timestamp()
		eqPropsAndTime(t, what, want, ts, ok, accessor{"Body", r.Body(), facade.CommunicationBodyProperty},
			accessor{"Channel", string(r.Channel()), facade.CommunicationChannelProperty},
			accessor{"LoggedFrom", string(r.LoggedFrom()), facade.CommunicationLoggedFromProperty})
	},
	id:      notesAPI.id,
	cleared: notesAPI.cleared,
	in:      likeNotes(facade.Communications, facade.CommunicationBodyProperty),
}

var postalMailAPI = objectAPI[facade.PostalMail]{
	name:   "postal_mail",
	svc:    func(c *facade.Client) *facade.ObjectService[facade.PostalMail] { return c.PostalMail },
	object: func(r facade.PostalMail) facade.Object { return r.Object },
	typed: func(t *testing.T, what string, r facade.PostalMail, want any) {
		ts, ok := r.Timestamp()
		eqPropsAndTime(t, what, want, ts, ok, accessor{"Body", r.Body(), facade.PostalMailBodyProperty})
	},
	id:      notesAPI.id,
	cleared: notesAPI.cleared,
	in:      likeNotes(facade.PostalMails, facade.PostalMailBodyProperty),
}

// eqPropsAndTime checks string accessors and the hs_timestamp accessor.
func eqPropsAndTime(t *testing.T, what string, want any, ts time.Time, set bool, accessors ...accessor) {
	t.Helper()
	eqProps(t, what, want, accessors...)
	eqTimeProp(t, what+" Timestamp", ts, set, want, facade.TimestampProperty)
}
