package facade

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

// EngagementsService is HubSpot's legacy v1 engagements API.
//
// Scopes: reading engagements needs crm.objects.contacts.read, writing
// them crm.objects.contacts.write (HubSpot checks the scopes of the objects
// behind them: the notes, calls, meetings, emails and tasks APIs); email
// content needs sales-email-read.
//
// On the 2026-03 wire (WithAPIVersion(API2026_03)) the same methods are
// served on the object APIs that hold the same records, and no request
// goes to /engagements/v1: Create is one create of the note, call,
// meeting, email or task, its associations in the create body (HubSpot's
// default association types); Get and Archive find the object type first
// (up to five reads, one per type, since an id does not say its type);
// Update finds the type unless the metadata gives it, then reads the
// record back (v1 answers with the whole record); List, RecentlyModified,
// ModifiedAfter and Associated list each object type in turn (notes,
// tasks, calls, emails, meetings), not in v1's order, the last three with
// a search per type (under the search limit of 5 per second). v1 fields no
// object property holds (uid, active false, ownerIds, …) are refused with
// a *ValidationError wrapping ErrNoObjectAPI. Dispositions keep
// /calling/v1/dispositions: HubSpot has no dated endpoint for them (its
// calling dispositions API is a 2027-03 beta).
type EngagementsService struct {
	c    *Client
	objs map[string]*ObjectService[Object] // the object services, on the 2026-03 wire
}

// EngagementInput is what Create sends. Metadata is required and gives the
// type; zero fields are not sent.
type EngagementInput struct {
	// Metadata is the typed details (*NoteMetadata, *CallMetadata, …) or
	// RawMetadata.
	Metadata Metadata
	// OwnerID is the HubSpot owner (for a TASK, the assignee).
	OwnerID int64
	// Timestamp is when the activity happened (default: now, by HubSpot).
	Timestamp time.Time
	// Active defaults to true at HubSpot when nil.
	Active *bool
	// UID is an optional identifier of the caller's.
	UID string
	// Associations are the records to show the engagement on.
	Associations Associations
	// AttachmentIDs are ids of files already uploaded to HubSpot.
	AttachmentIDs []int64
}

// EngagementUpdateInput is what Update sends: the engagement's id and only
// the fields that are set. A nil pointer is not sent; metadata fields left
// zero are not sent (HubSpot merges the metadata sent into what it has).
type EngagementUpdateInput struct {
	// ID is the engagement's id.
	ID        int64
	OwnerID   *int64
	Timestamp *time.Time
	Active    *bool
	Metadata  Metadata
}

func validID(field string, id int64) error {
	if id <= 0 {
		return &ValidationError{Field: field, Problem: "must be a positive id", Actual: id}
	}
	return nil
}

// ValidateEngagement checks in as Create does before sending it: a
// metadata of one of the five types, a NOTE body of at most MaxNoteBody
// UTF-16 code units, enumerated fields within their values. It returns a
// *ValidationError.
func ValidateEngagement(in EngagementInput) error {
	_, err := createBody(in)
	return err
}

// createBody is the create request of in, one variant of the spec's
// EngagementInput per type.
func createBody(in EngagementInput) (v1.EngagementInput, error) {
	var body v1.EngagementInput
	meta, err := metadataWire(in.Metadata)
	if err != nil {
		return body, err
	}
	d := v1.EngagementInputDetails{Active: in.Active, OwnerID: nz(in.OwnerID), UID: nz(in.UID)}
	if !in.Timestamp.IsZero() {
		d.Timestamp = ptr(Millis(in.Timestamp))
	}
	assoc := in.Associations.wireInput()
	var atts *[]v1.Attachment
	if len(in.AttachmentIDs) > 0 {
		list := make([]v1.Attachment, len(in.AttachmentIDs))
		for i, id := range in.AttachmentIDs {
			list[i].ID = ptr(id)
		}
		atts = &list
	}
	// Each variant's engagement is the common details with its type pinned:
	// the details carry over by their (generated) JSON names.
	switch m := meta.(type) {
	case v1.NoteMetadata:
		v := v1.NoteEngagementInput{Associations: assoc, Attachments: atts, Metadata: m}
		err = details(d, &v.Engagement, func() { v.Engagement.Type = v1.NoteEngagementInputEngagementTypeNOTE })
		err = firstErr(err, body.FromNoteEngagementInput(v))
	case v1.EmailMetadata:
		v := v1.EmailEngagementInput{Associations: assoc, Attachments: atts, Metadata: m}
		err = details(d, &v.Engagement, func() { v.Engagement.Type = v1.EmailEngagementInputEngagementTypeEMAIL })
		err = firstErr(err, body.FromEmailEngagementInput(v))
	case v1.CallMetadata:
		v := v1.CallEngagementInput{Associations: assoc, Attachments: atts, Metadata: m}
		err = details(d, &v.Engagement, func() { v.Engagement.Type = v1.CallEngagementInputEngagementTypeCALL })
		err = firstErr(err, body.FromCallEngagementInput(v))
	case v1.MeetingMetadata:
		v := v1.MeetingEngagementInput{Associations: assoc, Attachments: atts, Metadata: m}
		err = details(d, &v.Engagement, func() { v.Engagement.Type = v1.MeetingEngagementInputEngagementTypeMEETING })
		err = firstErr(err, body.FromMeetingEngagementInput(v))
	case v1.TaskMetadata:
		v := v1.TaskEngagementInput{Associations: assoc, Attachments: atts, Metadata: m}
		err = details(d, &v.Engagement, func() { v.Engagement.Type = v1.TaskEngagementInputEngagementTypeTASK })
		err = firstErr(err, body.FromTaskEngagementInput(v))
	}
	if err != nil {
		return body, fmt.Errorf("hubspot: encoding the engagement: %w", err)
	}
	return body, nil
}

// details copies the common engagement details into a variant's
// engagement, then pins its type.
func details[E any](d v1.EngagementInputDetails, dst *E, pin func()) error {
	b, err := json.Marshal(d)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	pin()
	return err
}

// Create creates an engagement (POST /engagements/v1/engagements; on
// 2026-03 the create of its object type). A create whose answer is lost is
// not retried: it fails with an *UncertainError.
func (s *EngagementsService) Create(ctx context.Context, in EngagementInput) (Engagement, error) {
	if s.dated() {
		return s.datedCreate(ctx, in)
	}
	body, err := createBody(in)
	if err != nil {
		return Engagement{}, err
	}
	var out Engagement
	err = s.c.send(ctx, op{Name: "engagements.create", Kind: opCreate}, func(server string) (*http.Request, error) {
		return v1.NewCreateEngagementRequest(server, body)
	}, &out)
	return out, markInputs(err, 0)
}

// Get reads one engagement (GET /engagements/v1/engagements/{engagementId};
// on 2026-03 up to five reads, one per object type, until one has the id).
func (s *EngagementsService) Get(ctx context.Context, id int64) (Engagement, error) {
	if err := validID("engagementId", id); err != nil {
		return Engagement{}, err
	}
	if s.dated() {
		return s.datedGet(ctx, id)
	}
	var out Engagement
	err := s.c.send(ctx, op{Name: "engagements.get", Kind: opSafe}, func(server string) (*http.Request, error) {
		return v1.NewGetEngagementRequest(server, id)
	}, &out)
	return out, err
}

// Update changes the fields upd sets on the engagement upd.ID and nothing else
// (PATCH /engagements/v1/engagements/{engagementId}; on 2026-03 the update
// of its object, found by id unless upd.Metadata gives the type, then a
// read of the whole record).
func (s *EngagementsService) Update(ctx context.Context, upd EngagementUpdateInput) (Engagement, error) {
	id := upd.ID
	if err := validID("engagementId", id); err != nil {
		return Engagement{}, err
	}
	if upd.OwnerID == nil && upd.Timestamp == nil && upd.Active == nil && upd.Metadata == nil {
		return Engagement{}, &ValidationError{Field: "update", Problem: "sets nothing"}
	}
	if s.dated() {
		if upd.Metadata != nil {
			if _, err := metadataWire(upd.Metadata); err != nil {
				return Engagement{}, err
			}
		}
		return s.datedUpdate(ctx, id, upd)
	}
	var body v1.EngagementPatch
	if upd.Metadata != nil {
		meta, err := metadataWire(upd.Metadata)
		if err != nil {
			return Engagement{}, err
		}
		raw, err := json.Marshal(meta)
		if err != nil {
			return Engagement{}, fmt.Errorf("hubspot: encoding the metadata: %w", err)
		}
		body.Metadata = ptr(v1.PatchMetadata(raw))
	}
	d := v1.EngagementPatchDetails{OwnerID: upd.OwnerID, Active: upd.Active}
	if upd.Timestamp != nil {
		d.Timestamp = ptr(Millis(*upd.Timestamp))
	}
	if d.OwnerID != nil || d.Active != nil || d.Timestamp != nil {
		body.Engagement = &d
	}
	if body.Engagement == nil && body.Metadata == nil {
		return Engagement{}, &ValidationError{Field: "update", Problem: "sets nothing"}
	}
	var out Engagement
	err := s.c.send(ctx, op{Name: "engagements.update", Kind: opSafe}, func(server string) (*http.Request, error) {
		return v1.NewUpdateEngagementRequest(server, id, body)
	}, &out)
	return out, err
}

// Archive deletes an engagement (DELETE /engagements/v1/engagements/{engagementId};
// on 2026-03 the archive of its object, found by id first).
func (s *EngagementsService) Archive(ctx context.Context, id int64) error {
	if err := validID("engagementId", id); err != nil {
		return err
	}
	if s.dated() {
		return s.datedDelete(ctx, id)
	}
	return s.c.send(ctx, op{Name: "engagements.delete", Kind: opSafe}, func(server string) (*http.Request, error) {
		return v1.NewDeleteEngagementRequest(server, id)
	}, nil)
}

// Disposition is a possible outcome of a call.
type Disposition struct {
	// ID is the GUID to put in CallMetadata.Disposition.
	ID string `json:"id"`
	// Label is the name HubSpot shows.
	Label string `json:"label"`
	// Deleted is true for a disposition the account removed.
	Deleted bool `json:"deleted,omitempty"`
}

// Dispositions lists the account's call dispositions
// (GET /calling/v1/dispositions, on every wire: HubSpot has no dated
// endpoint for them). HubSpot answers with all of them at once: the
// listing is one page.
func (s *EngagementsService) Dispositions(ctx context.Context) *Pager[Disposition] {
	const kind = "v1.dispositions"
	o := op{Name: "calling.dispositions", Kind: opSafe}
	return newPager(ctx, s.c, o.Name, position{Kind: kind}, func(ctx context.Context, at position) (fetched[Disposition], error) {
		var ans []v1.CallDisposition
		if err := s.c.send(ctx, o, v1.NewListCallDispositionsRequest, &ans); err != nil {
			return fetched[Disposition]{}, err
		}
		out := make([]Disposition, len(ans))
		for i, d := range ans {
			out[i] = Disposition{ID: deref(d.ID), Label: deref(d.Label), Deleted: deref(d.Deleted)}
		}
		return fetched[Disposition]{items: out, next: position{Kind: kind, Read: len(out), Done: true}}, nil
	})
}

// The v1 association kinds Associations names; HubSpot's other kinds
// (contentIds, quoteIds, …) go to Other.
func (a Associations) named() map[string]*[]int64 {
	return map[string]*[]int64{"contactIds": &a.ContactIDs, "companyIds": &a.CompanyIDs, "dealIds": &a.DealIDs,
		"ownerIds": &a.OwnerIDs, "workflowIds": &a.WorkflowIDs, "ticketIds": &a.TicketIDs}
}

// wire is the associations as the generated answer type holds them.
func (a Associations) wire() v1.Associations {
	w := v1.Associations{ContactIds: idList(a.ContactIDs), CompanyIds: idList(a.CompanyIDs), DealIds: idList(a.DealIDs),
		OwnerIds: idList(a.OwnerIDs), WorkflowIds: idList(a.WorkflowIDs), TicketIds: idList(a.TicketIDs)}
	for k, ids := range a.Other {
		if _, named := a.named()[k]; named {
			continue
		}
		raw, _ := json.Marshal(ids)
		if w.AdditionalProperties == nil {
			w.AdditionalProperties = map[string]v1.Extra{}
		}
		switch k {
		case "contentIds":
			w.ContentIds = idList(ids)
		case "quoteIds":
			w.QuoteIds = idList(ids)
		default:
			w.AdditionalProperties[k] = raw
		}
	}
	return w
}

// wireInput is the associations of a create (the spec's AssociationsInput,
// whose id lists also allow the nulls some clients send), nil when empty.
func (a Associations) wireInput() *v1.AssociationsInput {
	b, _ := json.Marshal(a.wire())
	if string(b) == "{}" {
		return nil
	}
	var in v1.AssociationsInput
	if json.Unmarshal(b, &in) != nil {
		return nil
	}
	return &in
}

func idList(ids []int64) *v1.IDList {
	if len(ids) == 0 {
		return nil
	}
	return &ids
}

// MarshalJSON encodes the named kinds and Other.
func (a Associations) MarshalJSON() ([]byte, error) { return json.Marshal(a.wire()) }

// UnmarshalJSON decodes the named kinds and keeps the others in Other.
func (a *Associations) UnmarshalJSON(b []byte) error {
	var w v1.Associations
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = Associations{ContactIDs: deref(w.ContactIds), CompanyIDs: deref(w.CompanyIds), DealIDs: deref(w.DealIds),
		OwnerIDs: deref(w.OwnerIds), WorkflowIDs: deref(w.WorkflowIds), TicketIDs: deref(w.TicketIds)}
	other := map[string][]int64{}
	if w.ContentIds != nil {
		other["contentIds"] = *w.ContentIds
	}
	if w.QuoteIds != nil {
		other["quoteIds"] = *w.QuoteIds
	}
	for k, raw := range w.AdditionalProperties {
		var ids []int64
		if err := json.Unmarshal(raw, &ids); err != nil {
			return fmt.Errorf("associations.%s: %w", k, err)
		}
		other[k] = ids
	}
	if len(other) > 0 {
		a.Other = other
	}
	return nil
}
