package hubspottest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/internal/props"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// The legacy v1 engagements API, serving the generated
// engagementsv1.ServerInterface. An engagement of a creatable type is the
// object of the same id (engagement.go); its side record, and every record
// of a type only v1 has, is kept as the generated OtherEngagement, the
// variant of the document's Engagement that can hold an engagement of any
// type (type is a plain string, metadata any object), so every field
// HubSpot sends, unknown ones included, survives; its JSON is kept too, to
// answer listings without encoding each record again.

var _ engagementsv1.ServerInterface = v1API{}

// noteLimit is the largest NOTE body, in UTF-16 code units (hs_note_body's
// in internal/props).
const noteLimit = props.MaxNoteBody

// dispositions are HubSpot's default call dispositions.
var dispositions = []engagementsv1.CallDisposition{
	{ID: ptr("9d9162e7-6cf3-4944-bf63-4dff82258764"), Label: ptr("Busy")},
	{ID: ptr("f240bbac-87c9-4f6e-bf70-924b57d47db7"), Label: ptr("Connected")},
	{ID: ptr("a4c4c377-d246-4b32-a13b-75a56a4cd0ff"), Label: ptr("Left live message")},
	{ID: ptr("b2cf5968-551e-4856-9783-52b3da59a7d0"), Label: ptr("Left voicemail")},
	{ID: ptr("73a0d17f-1163-4015-bdd5-ec830791da20"), Label: ptr("No answer")},
	{ID: ptr("17b47fee-58de-441e-a44c-c6300d46f273"), Label: ptr("Wrong number")},
}

// associationLists are the association lists every v1 record carries, by
// kind.
func associationLists(a *engagementsv1.Associations) map[string]**engagementsv1.IDList {
	return map[string]**engagementsv1.IDList{
		"contactIds": &a.ContactIds, "companyIds": &a.CompanyIds, "dealIds": &a.DealIds, "ownerIds": &a.OwnerIds,
		"workflowIds": &a.WorkflowIds, "ticketIds": &a.TicketIds, "contentIds": &a.ContentIds, "quoteIds": &a.QuoteIds,
	}
}

// associatedKind maps the objectType of the associated listing to its list.
var associatedKind = map[engagementsv1.AssociatedObjectType]string{"CONTACT": "contactIds", "COMPANY": "companyIds", "DEAL": "dealIds", "TICKET": "ticketIds", "QUOTE": "quoteIds"}

// v1API serves the generated engagementsv1.ServerInterface.
type v1API struct{ s *Server }

func (a v1API) ListCallDispositions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, dispositions)
}

// noteTooLong returns why the metadata of a record of type typ is refused,
// or "".
func noteTooLong(typ string, md map[string]engagementsv1.Extra) string {
	var body string
	if typ != "NOTE" || json.Unmarshal(md["body"], &body) != nil {
		return ""
	}
	if n := props.UTF16Len(body); n > noteLimit {
		return fmt.Sprintf("Note body is too long: %d characters, the limit is %d", n, noteLimit)
	}
	return ""
}

// readV1Input decodes a create body into the generated EngagementInput, reads
// it as the variant of its type (which checkRequest checked it against) and
// returns it as a record.
func readV1Input(raw []byte) (engagementsv1.OtherEngagement, error) {
	var in engagementsv1.EngagementInput
	var rec engagementsv1.OtherEngagement
	if err := in.UnmarshalJSON(raw); err != nil {
		return rec, err
	}
	var err error
	switch typ, _ := jsonPath(mustAny(raw), "engagement", "type").(string); typ {
	case "EMAIL":
		_, err = in.AsEmailEngagementInput()
	case "CALL":
		_, err = in.AsCallEngagementInput()
	case "MEETING":
		_, err = in.AsMeetingEngagementInput()
	case "TASK":
		_, err = in.AsTaskEngagementInput()
	case "NOTE":
		_, err = in.AsNoteEngagementInput()
	default:
		err = fmt.Errorf("unknown engagement type %q", typ)
	}
	if err != nil {
		return rec, err
	}
	body, _ := in.MarshalJSON()
	err = json.Unmarshal(body, &rec)
	return rec, err
}

func mustAny(raw []byte) any {
	var v any
	_ = json.Unmarshal(raw, &v)
	return v
}

func (a v1API) CreateEngagement(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if !decodeBody(w, r, &raw) {
		return
	}
	rec, err := readV1Input(raw)
	if err != nil {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: %v", err)
		return
	}
	if rec.Metadata == nil {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "engagement and metadata are required")
		return
	}
	if msg := noteTooLong(rec.Engagement.Type, *rec.Metadata); msg != "" {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "%s", msg)
		return
	}
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	e, bad := a.s.insertEngagement(rec, a.s.now())
	if bad != nil {
		badRequest(w, r, bad)
		return
	}
	writeJSON(w, http.StatusOK, e.answer())
}

// insertEngagement stores rec at time now, with the fields HubSpot fills
// in: an engagement of a creatable type as the object of its type, the
// rest as a record of its own. It returns HubSpot's answer when the object
// API would refuse the record's values. The server must be locked.
func (s *Server) insertEngagement(rec engagementsv1.OtherEngagement, at time.Time) (*engagement, *apiError) {
	now := ms(at)
	eng := &rec.Engagement
	eng.PortalID, eng.CreatedAt, eng.LastUpdated = &s.cfg.portalID, &now, &now
	if eng.Active == nil {
		eng.Active = ptr(true)
	}
	if eng.Timestamp == nil {
		eng.Timestamp = &now
	}
	if eng.OwnerID != nil {
		eng.CreatedBy, eng.ModifiedBy = eng.OwnerID, eng.OwnerID
	}
	if rec.Associations == nil {
		rec.Associations = &engagementsv1.Associations{}
	}
	for _, list := range associationLists(rec.Associations) {
		ids := []int64{}
		if *list != nil {
			// HubSpot drops the nulls some clients send; the generated
			// list reads them as 0, which is no id.
			ids = slices.DeleteFunc(append(ids, **list...), func(id int64) bool { return id == 0 })
		}
		*list = &ids
	}
	if rec.Attachments == nil {
		rec.Attachments = &[]engagementsv1.Attachment{}
	}
	objectType, ok := v1map.ObjectType(eng.Type)
	if !ok {
		id := s.newID()
		eng.ID = &id
		e := &engagement{id: id, lastUpdated: now}
		e.setRec(rec)
		s.addEngagement(e)
		return e, nil
	}
	b, _ := json.Marshal(rec)
	props, assoc, err := toObject(eng.Type, parseDoc(b))
	if err != nil {
		return nil, &apiError{Message: "Invalid input JSON: " + err.Error(), Category: "VALIDATION_ERROR"}
	}
	st := s.objects[objectType]
	if bad := st.check(props, -1); len(bad) > 0 {
		e := invalidValuesError(bad)
		return nil, &e
	}
	o := st.insert(props, assoc, at)
	eng.ID = &o.num
	e := s.v1[o.num]
	e.setRec(rec)
	e.snap, e.synced = st.snapshotOf(o, eng.Type), o.version
	return e, nil
}

// withEngagement finds the engagement id and calls h with the server
// locked, or answers 404.
func (a v1API) withEngagement(w http.ResponseWriter, r *http.Request, id int64, h func(*engagement)) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	e, ok := a.s.v1[id]
	if !ok || !e.live() {
		v1Error(w, r, http.StatusNotFound, "OBJECT_NOT_FOUND", "Object not found. objectId are usually numeric.")
		return
	}
	h(a.s.view(e))
}

func (a v1API) GetEngagement(w http.ResponseWriter, r *http.Request, id engagementsv1.EngagementID) {
	a.withEngagement(w, r, id, func(e *engagement) { writeJSON(w, http.StatusOK, e.answer()) })
}

func (a v1API) DeleteEngagement(w http.ResponseWriter, r *http.Request, id engagementsv1.EngagementID) {
	a.withEngagement(w, r, id, func(e *engagement) {
		if e.obj != nil {
			e.st.archive(e.obj, a.s.now())
		} else {
			e.gone = true
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// fixedFields are the engagement fields an update cannot change.
var fixedFields = []string{"id", "portalId", "type", "createdAt", "lastUpdated", "createdBy"}

// merge returns the JSON object base with the fields of patch, less skip.
func merge(base any, patch map[string]engagementsv1.Extra, skip []string) ([]byte, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range patch {
		if !slices.Contains(skip, k) {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// UpdateEngagement merges the body into the record: the fields of
// engagement and metadata key by key, attachments and other top-level
// fields replaced. Associations cannot be changed this way, as in HubSpot.
func (a v1API) UpdateEngagement(w http.ResponseWriter, r *http.Request, id engagementsv1.EngagementID) {
	var in engagementsv1.EngagementPatch
	if !decodeBody(w, r, &in) {
		return
	}
	a.withEngagement(w, r, id, func(e *engagement) {
		rec := e.rec
		if in.Engagement != nil {
			patch, _ := json.Marshal(in.Engagement)
			var fields map[string]engagementsv1.Extra
			_ = json.Unmarshal(patch, &fields)
			b, err := merge(rec.Engagement, fields, fixedFields)
			if err == nil {
				rec.Engagement = engagementsv1.OtherEngagement_Engagement{}
				err = json.Unmarshal(b, &rec.Engagement)
			}
			if err != nil {
				v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: %v", err)
				return
			}
		}
		if in.Metadata != nil {
			md := map[string]engagementsv1.Extra{}
			if rec.Metadata != nil {
				for k, v := range *rec.Metadata {
					md[k] = v
				}
			}
			var patch map[string]engagementsv1.Extra
			_ = json.Unmarshal(*in.Metadata, &patch)
			for k, v := range patch {
				md[k] = v
			}
			rec.Metadata = &md
		}
		if in.Attachments != nil {
			rec.Attachments = in.Attachments
		}
		if len(in.AdditionalProperties) > 0 {
			extra := map[string]engagementsv1.Extra{}
			for k, v := range rec.AdditionalProperties {
				extra[k] = v
			}
			for k, v := range in.AdditionalProperties {
				extra[k] = v
			}
			rec.AdditionalProperties = extra
		}
		if rec.Metadata != nil {
			if msg := noteTooLong(rec.Engagement.Type, *rec.Metadata); msg != "" {
				v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "%s", msg)
				return
			}
		}
		at := a.s.now()
		now := ms(at)
		rec.Engagement.ID, rec.Engagement.LastUpdated = &e.id, &now
		if rec.Engagement.OwnerID != nil {
			rec.Engagement.ModifiedBy = rec.Engagement.OwnerID
		}
		if e.obj != nil {
			if bad := a.s.updateObject(e, rec, at); bad != nil {
				badRequest(w, r, bad)
				return
			}
		}
		e.setRec(rec)
		e.lastUpdated = now
		if e.obj != nil {
			e.snap, e.synced = e.st.snapshotOf(e.obj, rec.Engagement.Type), e.obj.version
		}
		writeJSON(w, http.StatusOK, e.answer())
	})
}

// sorted returns the live engagements keep accepts, in the order of less
// (id order when less is nil). The server must be locked.
func (s *Server) sorted(keep func(*engagement) bool, less func(a, b *engagement) int) []*engagement {
	var out []*engagement
	for _, e := range s.v1order {
		if e.live() && (keep == nil || keep(e)) {
			out = append(out, e)
		}
	}
	if less != nil {
		slices.SortFunc(out, less)
	}
	return out
}

// answers returns es as the generated Engagement union. The server must be
// locked.
func (s *Server) answers(es []*engagement) []engagementsv1.Engagement {
	out := make([]engagementsv1.Engagement, len(es))
	for i, e := range es {
		out[i] = s.view(e).answer()
	}
	return out
}

// pagedByID answers a listing in id order where offset is the last id of
// the previous page (paged and associated).
func (a v1API) pagedByID(w http.ResponseWriter, limit *int, offset *int64, keep func(*engagement) bool) {
	n, after := cmp.Or(deref(limit), 100), deref(offset)
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	// One more than the page tells whether a next page exists.
	var page []*engagement
	from, _ := slices.BinarySearchFunc(a.s.v1order, after+1, func(e *engagement, id int64) int { return cmp.Compare(e.id, id) })
	for _, e := range a.s.v1order[from:] {
		if !e.live() || keep != nil && !keep(e) {
			continue
		}
		if page = append(page, e); len(page) > n {
			break
		}
	}
	more := len(page) > n
	page = page[:min(n, len(page))]
	if len(page) > 0 {
		after = page[len(page)-1].id
	}
	writeJSON(w, http.StatusOK, plainPage{Results: a.s.answers(page), HasMore: more, Offset: after})
}

func (a v1API) ListEngagements(w http.ResponseWriter, r *http.Request, p engagementsv1.ListEngagementsParams) {
	a.pagedByID(w, p.Limit, p.Offset, nil)
}

func (a v1API) ListAssociatedEngagements(w http.ResponseWriter, r *http.Request, typ engagementsv1.AssociatedObjectType, objectID int64, p engagementsv1.ListAssociatedEngagementsParams) {
	kind, ok := associatedKind[typ]
	if !ok {
		v1Error(w, r, http.StatusBadRequest, "", "Invalid enum constant '%s' for class ObjectType", typ)
		return
	}
	a.pagedByID(w, p.Limit, p.Offset, func(e *engagement) bool {
		list := *associationLists(a.s.view(e).rec.Associations)[kind]
		return list != nil && slices.Contains(*list, objectID)
	})
}

// recentCap is how many records recent/modified reaches at most.
const recentCap = 10000

func (a v1API) ListRecentEngagements(w http.ResponseWriter, r *http.Request, p engagementsv1.ListRecentEngagementsParams) {
	count, offset, since := cmp.Or(deref(p.Count), 20), deref(p.Offset), int64(-1<<63)
	if p.Since != nil {
		since = *p.Since
	}
	if offset < 0 {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "offset must be a non-negative integer, got %d", offset)
		return
	}
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	since = max(since, ms(a.s.now().Add(-30*24*time.Hour)))
	all := a.s.sorted(func(e *engagement) bool { return e.updated() > since },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(b.updated(), a.updated()), cmp.Compare(b.id, a.id))
		})
	total := int64(len(all))
	reach := min(len(all), recentCap)
	from := min(int(min(offset, int64(reach))), reach)
	to := min(from+count, reach)
	writeJSON(w, http.StatusOK, plainRecent{Results: a.s.answers(all[from:to]), HasMore: to < reach, Offset: int64(to), Total: &total})
}

// cursor is the opaque position modified/after hands back.
func cursor(e *engagement) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", e.updated(), e.id))
}

// parseAfter reads the after of modified/after: epoch ms or a cursor.
func parseAfter(v string) (lastUpdated, id int64, ok bool) {
	if v == "" {
		return -1 << 63, 0, true
	}
	if n, ok := parseInt(v); ok {
		return n, 1<<63 - 1, true
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return 0, 0, false
	}
	lu, idText, found := strings.Cut(string(b), ":")
	lastUpdated, ok1 := parseInt(lu)
	id, ok2 := parseInt(idText)
	return lastUpdated, id, found && ok1 && ok2
}

func (a v1API) ListEngagementsModifiedAfter(w http.ResponseWriter, r *http.Request, p engagementsv1.ListEngagementsModifiedAfterParams) {
	limit, after := cmp.Or(deref(p.Limit), 100), deref(p.After)
	lu, id, ok := parseAfter(after)
	if !ok {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "after must be epoch milliseconds or a cursor, got %q", after)
		return
	}
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	all := a.s.sorted(func(e *engagement) bool { return e.updated() > lu || e.updated() == lu && e.id > id },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(a.updated(), b.updated()), cmp.Compare(a.id, b.id))
		})
	n := min(limit, len(all))
	ans := plainModified{Results: a.s.answers(all[:n]), HasMore: n < len(all)}
	if n > 0 {
		after = cursor(all[n-1])
	}
	if after != "" {
		c, _ := json.Marshal(after)
		ans.After = (*engagementsv1.Cursor)(&c)
	}
	writeJSON(w, http.StatusOK, ans)
}
