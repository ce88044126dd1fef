package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// On the 2026-03 wire the v1 engagements API is served on the object APIs
// that hold the same records: an engagement is the note, call, meeting,
// email or task of the same id, its fields the object's properties (one
// table, internal/v1map, maps them). The Engagement handed back is the v1
// JSON made from the object: the same accessors work, and JSON gives the
// v1 shape rather than bytes HubSpot sent.

// ErrNoObjectAPI is returned, wrapped in a *ValidationError, on the 2026-03
// wire for what a v1 request gives that no object record holds: a field
// with no property (uid), an association kind with no object association
// (ownerIds, workflowIds, contentIds), active false. (A type HubSpot keeps
// no object API for, such as PUBLISHING_TASK, is refused on every wire as
// an invalid engagement.type.)
var ErrNoObjectAPI = errors.New("hubspot: no object API holds this on the 2026-03 wire")

// associationTypes are the record types whose associations an engagement
// carries on the object APIs (v1 contactIds, companyIds, dealIds,
// ticketIds).
var associationTypes = []ObjectType{Contacts, Companies, Deals, Tickets}

// datedObjects are the object services of the engagement types, by object
// type, for a wire that serves Engagements on the object APIs.
func datedObjects(c *Client, apis map[ObjectType]objectAPI) map[string]*ObjectService[Object] {
	id := func(o Object) Object { return o }
	objs := make(map[string]*ObjectService[Object], len(apis))
	for t, api := range apis {
		objs[string(t)] = newObjectService(c, api, id)
	}
	return objs
}

func (s *EngagementsService) dated() bool { return s.objs != nil }

// engagementOf makes the v1 engagement of an object of objectType, with
// its associations (those it came with, unless assoc gives them).
func engagementOf(objectType string, o Object, assoc map[string][]string) (Engagement, error) {
	engType, _ := v1map.EngagementType(objectType)
	props := o.properties()
	if objectType == v1map.Emails {
		engType = emailType(props[EmailDirectionProperty])
	}
	rec, err := v1map.FromProperties(engType, props)
	if err != nil {
		return Engagement{}, fmt.Errorf("hubspot: %s %s as a v1 engagement: %w", objectType, o.ID(), err)
	}
	ids := assoc
	if ids == nil {
		ids = map[string][]string{}
		for _, t := range associationTypes {
			for _, a := range o.Associations(t) {
				ids[string(t)] = append(ids[string(t)], a.ID)
			}
		}
	}
	assocJSON, err := v1map.FromAssociations(engType, ids)
	if err != nil {
		return Engagement{}, fmt.Errorf("hubspot: %s %s as a v1 engagement: %w", objectType, o.ID(), err)
	}
	if rec.Engagement == nil {
		rec.Engagement = map[string]json.RawMessage{}
	}
	if _, ok := rec.Engagement["id"]; !ok {
		// The answer did not list hs_object_id: the record's id is it.
		if n, err := strconv.ParseInt(o.ID(), 10, 64); err == nil {
			rec.Engagement["id"], _ = json.Marshal(n)
		}
	}
	if _, ok := rec.Engagement["type"]; !ok {
		rec.Engagement["type"], _ = json.Marshal(engType)
	}
	doc := struct {
		Engagement   map[string]json.RawMessage `json:"engagement"`
		Associations map[string]json.RawMessage `json:"associations"`
		Attachments  json.RawMessage            `json:"attachments,omitempty"`
		Metadata     map[string]json.RawMessage `json:"metadata"`
	}{rec.Engagement, assocJSON, rec.Attachments, rec.Metadata}
	if doc.Metadata == nil {
		doc.Metadata = map[string]json.RawMessage{}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return Engagement{}, err
	}
	var e Engagement
	return e, e.UnmarshalJSON(b)
}

// emailType is the v1 type of an email: EMAIL, or INCOMING_EMAIL and
// FORWARDED_EMAIL by its direction.
func emailType(direction *string) string {
	if direction != nil {
		switch *direction {
		case string(EmailIncoming):
			return v1map.TypeIncomingEmail
		case string(EmailForwarded):
			return v1map.TypeForwardedEmail
		}
	}
	return v1map.TypeEmail
}

// v1Record is the v1 record of a create or update, at the JSON level.
func v1Record(engType EngagementType, ownerID *int64, timestamp *int64, active *bool, uid string, meta Metadata, attachments []int64) (v1map.Record, error) {
	rec := v1map.Record{Engagement: map[string]json.RawMessage{}, Metadata: map[string]json.RawMessage{}}
	put := func(k string, v any) {
		rec.Engagement[k], _ = json.Marshal(v)
	}
	if engType != "" {
		put("type", engType)
	}
	if ownerID != nil {
		put("ownerId", *ownerID)
	}
	if timestamp != nil {
		put("timestamp", *timestamp)
	}
	if active != nil {
		put("active", *active)
	}
	if uid != "" {
		put("uid", uid)
	}
	if meta != nil {
		w, err := metadataWire(meta)
		if err != nil {
			return rec, err
		}
		b, err := json.Marshal(w)
		if err != nil {
			return rec, err
		}
		if err := json.Unmarshal(b, &rec.Metadata); err != nil {
			return rec, err
		}
	}
	if len(attachments) > 0 {
		list := make([]map[string]int64, len(attachments))
		for i, id := range attachments {
			list[i] = map[string]int64{"id": id}
		}
		rec.Attachments, _ = json.Marshal(list)
	}
	return rec, nil
}

// mapError turns v1map's errors into the facade's: what a caller gave that
// no object property holds (a field, a type, active false) is a
// *ValidationError wrapping ErrNoObjectAPI; a malformed value is a
// *ValidationError alone.
func mapError(err error) error {
	var ue *v1map.UnmappedError
	var ve *v1map.ValueError
	var te *v1map.TypeError
	switch {
	case errors.As(err, &ue), errors.As(err, &te), errors.As(err, &ve) && ve.Unstorable:
		return fmt.Errorf("%w: %w", &ValidationError{Field: "engagement", Problem: err.Error()}, ErrNoObjectAPI)
	case errors.As(err, &ve):
		return &ValidationError{Field: "engagement", Problem: err.Error()}
	}
	return err
}

// readParams are what a read of an engagement's object asks for: every
// property the table maps, and its associations.
func readParams(objectType string) GetParams {
	engType, _ := v1map.EngagementType(objectType)
	names, _ := v1map.PropertyNames(engType)
	if objectType == v1map.Emails && !slices.Contains(names, EmailDirectionProperty) {
		names = append(slices.Clip(names), EmailDirectionProperty)
	}
	return GetParams{Properties: names, Associations: associationTypes}
}

func (s *EngagementsService) datedCreate(ctx context.Context, in EngagementInput) (Engagement, error) {
	if _, err := metadataWire(in.Metadata); err != nil {
		return Engagement{}, err
	}
	engType := in.Metadata.EngagementType()
	objectType, _ := v1map.ObjectType(string(engType))
	var ts *int64
	if !in.Timestamp.IsZero() {
		ts = ptr(Millis(in.Timestamp))
	}
	rec, err := v1Record(engType, nz(in.OwnerID), ts, in.Active, in.UID, in.Metadata, in.AttachmentIDs)
	if err != nil {
		return Engagement{}, err
	}
	props, _, err := v1map.ToProperties(string(engType), rec, v1map.ModeRequest)
	if err != nil {
		return Engagement{}, mapError(err)
	}
	assocJSON := map[string]json.RawMessage{}
	if b, err := json.Marshal(in.Associations); err == nil {
		_ = json.Unmarshal(b, &assocJSON)
	}
	assoc, _, err := v1map.ToAssociations(string(engType), assocJSON, v1map.ModeRequest)
	if err != nil {
		return Engagement{}, mapError(err)
	}
	targets := make([]AssociationTarget, len(assoc))
	made := map[string][]string{}
	for i, a := range assoc {
		id := strconv.FormatInt(a.ToID, 10)
		targets[i] = AssociationTarget{ObjectType: ObjectType(a.ToObjectType), ID: id, Type: AssociationTypeID(a.TypeID)}
		made[a.ToObjectType] = append(made[a.ToObjectType], id)
	}
	o, err := s.objs[objectType].Create(ctx, CreateInput{Properties: props, Associations: targets})
	if err != nil {
		return Engagement{}, err
	}
	// The 2026-03 create answer does not list the associations: they are
	// the ones the create made.
	return engagementOf(objectType, o, made)
}

// find reads the engagement of id, trying each object type in turn (one
// read per type at most: the id does not say its type); name is the
// caller's operation, for the error.
func (s *EngagementsService) find(ctx context.Context, name string, id int64) (string, Object, error) {
	idText := strconv.FormatInt(id, 10)
	for _, t := range v1map.ObjectTypes {
		o, err := s.objs[t].Get(ctx, idText, readParams(t))
		if err == nil {
			return t, o, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return "", Object{}, err
		}
	}
	return "", Object{}, &APIError{StatusCode: 404, Operation: name, Category: "OBJECT_NOT_FOUND",
		Message: fmt.Sprintf("no note, task, call, email or meeting has id %d", id)}
}

func (s *EngagementsService) datedGet(ctx context.Context, id int64) (Engagement, error) {
	t, o, err := s.find(ctx, "engagements.get", id)
	if err != nil {
		return Engagement{}, err
	}
	return engagementOf(t, o, nil)
}

func (s *EngagementsService) datedUpdate(ctx context.Context, id int64, upd EngagementUpdateInput) (Engagement, error) {
	var objectType string
	var engType EngagementType
	if upd.Metadata != nil {
		engType = upd.Metadata.EngagementType()
		objectType, _ = v1map.ObjectType(string(engType))
	} else {
		t, o, err := s.find(ctx, "engagements.update", id)
		if err != nil {
			return Engagement{}, err
		}
		objectType, engType = t, EngagementType(emailOr(t, o))
	}
	var ts *int64
	if upd.Timestamp != nil {
		ts = ptr(Millis(*upd.Timestamp))
	}
	rec, err := v1Record("", upd.OwnerID, ts, upd.Active, "", upd.Metadata, nil)
	if err != nil {
		return Engagement{}, err
	}
	props, _, err := v1map.ToProperties(string(engType), rec, v1map.ModeRequest)
	if err != nil {
		return Engagement{}, mapError(err)
	}
	idText := strconv.FormatInt(id, 10)
	svc := s.objs[objectType]
	if len(props) > 0 {
		if _, err := svc.Update(ctx, UpdateInput{ID: idText, Properties: props}); err != nil {
			return Engagement{}, err
		}
	}
	// The update answer has neither every mapped property nor the
	// associations: read the record back, as v1's update answer has it.
	got, err := svc.Get(ctx, idText, readParams(objectType))
	if err != nil {
		return Engagement{}, err
	}
	return engagementOf(objectType, got, nil)
}

// emailOr is the engagement type of an object found by id.
func emailOr(objectType string, o Object) string {
	if objectType == v1map.Emails {
		return emailType(o.properties()[EmailDirectionProperty])
	}
	t, _ := v1map.EngagementType(objectType)
	return t
}

func (s *EngagementsService) datedDelete(ctx context.Context, id int64) error {
	t, _, err := s.find(ctx, "engagements.delete", id)
	if err != nil {
		return err
	}
	return s.objs[t].Archive(ctx, strconv.FormatInt(id, 10))
}

// chained is a listing on the object APIs of every engagement type, one
// type after the other (in v1map.ObjectTypes order): each type's own
// listing, converted to engagements. Its cursor holds the type it stands
// in and that listing's own cursor.
//
// base is kept in the cursor (a search's lower bound), and given to source
// with each type's cursor: a resumed listing asks what the first one did.
//
// A type's listing that stops with an error (a cap) stops the whole
// listing with stop's version of it; known, when set, gives the
// associations a listing's records are known to have (search answers carry
// none).
func (s *EngagementsService) chained(ctx context.Context, name, kind, cursor, base string, source func(objectType, cursor, base string) *Pager[Object],
	stop func(error) error, known map[string][]string) *Pager[Engagement] {
	at, err := decodeCursor(kind, cursor)
	if err != nil {
		return errPager[Engagement](err)
	}
	if cursor == "" {
		at.Base = base
	}
	return newPager(ctx, s.c, name, at, func(ctx context.Context, at position) (fetched[Engagement], error) {
		i, inner := 0, ""
		if at.Token != "" {
			n, rest, _ := strings.Cut(at.Token, "|")
			var err error
			if i, err = strconv.Atoi(n); err != nil || i < 0 || i >= len(v1map.ObjectTypes) {
				return fetched[Engagement]{}, &ValidationError{Field: "Cursor", Problem: "not a cursor of this listing", Actual: at.Token}
			}
			inner = rest
		}
		// A type with nothing (left) to list hands over to the next type
		// in the same fetch: an empty page must not say there is more.
		for ; ; i, inner = i+1, "" {
			t := v1map.ObjectTypes[i]
			p := source(t, inner, at.Base)
			p.onPage = nil // the outer listing tells the Observer
			page, err := p.NextPage(ctx)
			if err != nil && !errors.Is(err, ErrNoMorePages) {
				return fetched[Engagement]{}, err
			}
			var items []Engagement
			if page != nil {
				for _, o := range page.Records {
					e, err := engagementOf(t, o, known)
					if err != nil {
						return fetched[Engagement]{}, err
					}
					items = append(items, e)
				}
			}
			next := position{Kind: kind, Base: at.Base, Read: at.Read + len(items)}
			if p.pending != nil {
				// The type's listing stopped at a cap: so does this one.
				err := p.pending
				if stop != nil {
					err = stop(err)
				}
				next.Done = true
				return fetched[Engagement]{items: items, next: next, stop: err}, nil
			}
			switch {
			case p.More():
				next.Token = strconv.Itoa(i) + "|" + p.Cursor()
			case i+1 < len(v1map.ObjectTypes):
				if len(items) == 0 {
					continue
				}
				next.Token = strconv.Itoa(i+1) + "|"
			default:
				next.Done = true
			}
			return fetched[Engagement]{items: items, next: next}, nil
		}
	})
}

func (s *EngagementsService) datedList(ctx context.Context, p EngagementListParams) *Pager[Engagement] {
	limit := min(cmpOr(p.Limit, MaxListLimit), MaxListLimit)
	return s.chained(ctx, "engagements.list", "v1.paged.2026-03", p.Cursor, "", func(t, cursor, _ string) *Pager[Object] {
		rp := readParams(t)
		return s.objs[t].List(ctx, ListParams{Limit: limit, Properties: rp.Properties, Associations: rp.Associations, Cursor: cursor})
	}, nil, nil)
}

// searched lists, type after type, the engagements a search finds: the
// search of the filter filter makes of base (kept in the cursor), in the
// order of sorts (hs_object_id when none). Search answers carry no
// associations: the records have those known gives, or none.
func (s *EngagementsService) searched(ctx context.Context, name, kind, cursor string, limit int, base string, filter func(base string) []Filter,
	sorts []Sort, stop func(error) error, known map[string][]string) *Pager[Engagement] {
	limit = min(cmpOr(limit, MaxSearchLimit), MaxSearchLimit)
	return s.chained(ctx, name, kind, cursor, base, func(t, cursor, base string) *Pager[Object] {
		var groups []FilterGroup
		if fs := filter(base); len(fs) > 0 {
			groups = []FilterGroup{{Filters: fs}}
		}
		return s.objs[t].Search(ctx, SearchParams{FilterGroups: groups, Sorts: sorts, Properties: readParams(t).Properties, Limit: limit, Cursor: cursor})
	}, stop, known)
}

// associationProperty is HubSpot's search pseudo-property of a record's
// associations with the v1 associated listing's object types.
var associationProperty = map[AssociatedObjectType]string{
	AssociatedContact: "associations.contact", AssociatedCompany: "associations.company",
	AssociatedDeal: "associations.deal", AssociatedTicket: "associations.ticket", AssociatedQuote: "associations.quote",
}

// associatedObject is the object type of each record type of the v1
// associated listing.
var associatedObject = map[AssociatedObjectType]string{
	AssociatedContact: v1map.Contacts, AssociatedCompany: v1map.Companies,
	AssociatedDeal: v1map.Deals, AssociatedTicket: v1map.Tickets, AssociatedQuote: v1map.Quotes,
}

func (s *EngagementsService) datedAssociated(ctx context.Context, objectType AssociatedObjectType, objectID int64, p EngagementListParams) *Pager[Engagement] {
	id := strconv.FormatInt(objectID, 10)
	filter := []Filter{{PropertyName: associationProperty[objectType], Operator: OpEQ, Value: id}}
	// Each record found is associated with the one asked about; the
	// search answer says nothing of its other associations.
	known := map[string][]string{associatedObject[objectType]: {id}}
	return s.searched(ctx, "engagements.associated", "v1.associated.2026-03."+string(objectType)+"."+id, p.Cursor, p.Limit, "",
		func(string) []Filter { return filter }, nil, nil, known)
}

// sinceFilter is the search filter of the records modified after base
// (epoch ms; every record when base is "").
func sinceFilter(base string) []Filter {
	if base == "" {
		return nil
	}
	return []Filter{{PropertyName: ModifiedProperty, Operator: OpGT, Value: base}}
}

func sinceBase(since int64) string {
	if since > 0 {
		return strconv.FormatInt(since, 10)
	}
	return ""
}

// datedRecent lists the engagements modified after since, newest first
// within each type (a search sorted on hs_lastmodifieddate), stopping with
// ErrRecentModifiedCap where HubSpot's search stops at 10,000 results, as
// v1's recent/modified does.
func (s *EngagementsService) datedRecent(ctx context.Context, cursor string, limit int, since int64) *Pager[Engagement] {
	return s.searched(ctx, "engagements.recent", "v1.recent.2026-03", cursor, limit, sinceBase(since), sinceFilter,
		[]Sort{{PropertyName: ModifiedProperty, Direction: Descending}},
		func(err error) error {
			if errors.Is(err, ErrSearchCap) {
				return fmt.Errorf("%w (on the 2026-03 wire: a search per type): %w", ErrRecentModifiedCap, err)
			}
			return err
		}, nil)
}

// datedModifiedAfter lists every engagement modified after since: a search
// per type in hs_object_id order, which reads past the 10,000-result cap.
func (s *EngagementsService) datedModifiedAfter(ctx context.Context, cursor string, limit int, since int64) *Pager[Engagement] {
	return s.searched(ctx, "engagements.modifiedAfter", "v1.modified.2026-03", cursor, limit, sinceBase(since), sinceFilter, nil, nil, nil)
}
