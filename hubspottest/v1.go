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
	"unicode/utf16"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

// The legacy v1 engagements API, serving the generated
// engagementsv1.ServerInterface. A record is kept as the generated
// OtherEngagement, the variant of the document's Engagement that can hold
// an engagement of any type (type is a plain string, metadata any object),
// so every field HubSpot sends, unknown ones included, survives; its JSON is
// kept too, to answer listings without encoding each record again.

var _ engagementsv1.ServerInterface = v1API{}

type engagement struct {
	id          int64
	lastUpdated int64
	rec         engagementsv1.OtherEngagement
	raw         json.RawMessage // rec as answered
}

func (e *engagement) encode() {
	e.raw, _ = json.Marshal(e.rec)
}

// answer returns e as the generated Engagement union.
func (e *engagement) answer() engagementsv1.Engagement {
	var out engagementsv1.Engagement
	_ = out.UnmarshalJSON(e.raw)
	return out
}

// noteLimit is the largest NOTE body, in UTF-16 code units.
const noteLimit = 65536

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
	if n := len(utf16.Encode([]rune(body))); n > noteLimit {
		return fmt.Sprintf("Note body is too long: %d characters, the limit is %d", n, noteLimit)
	}
	return ""
}

// readInput decodes a create body into the generated EngagementInput, reads
// it as the variant of its type (which checkRequest checked it against) and
// returns it as a record.
func readInput(raw []byte) (engagementsv1.OtherEngagement, error) {
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
	rec, err := readInput(raw)
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
	writeJSON(w, http.StatusOK, a.s.insertEngagement(rec, ms(a.s.now())).answer())
}

// insertEngagement stores rec at time now (epoch ms), with the fields
// HubSpot fills in. The server must be locked.
func (s *Server) insertEngagement(rec engagementsv1.OtherEngagement, now int64) *engagement {
	id := s.nextV1
	s.nextV1++
	eng := &rec.Engagement
	eng.ID, eng.PortalID, eng.CreatedAt, eng.LastUpdated = &id, &s.cfg.portalID, &now, &now
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
	e := &engagement{id: id, lastUpdated: now, rec: rec}
	e.encode()
	s.v1[id] = e
	return e
}

// withEngagement finds the engagement id and calls h with the server
// locked, or answers 404.
func (a v1API) withEngagement(w http.ResponseWriter, r *http.Request, id int64, h func(*engagement)) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	e, ok := a.s.v1[id]
	if !ok {
		v1Error(w, r, http.StatusNotFound, "OBJECT_NOT_FOUND", "Object not found. objectId are usually numeric.")
		return
	}
	h(e)
}

func (a v1API) GetEngagement(w http.ResponseWriter, r *http.Request, id engagementsv1.EngagementID) {
	a.withEngagement(w, r, id, func(e *engagement) { writeJSON(w, http.StatusOK, e.answer()) })
}

func (a v1API) DeleteEngagement(w http.ResponseWriter, r *http.Request, id engagementsv1.EngagementID) {
	a.withEngagement(w, r, id, func(e *engagement) {
		delete(a.s.v1, e.id)
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
		now := ms(a.s.now())
		rec.Engagement.ID, rec.Engagement.LastUpdated = &e.id, &now
		if rec.Engagement.OwnerID != nil {
			rec.Engagement.ModifiedBy = rec.Engagement.OwnerID
		}
		e.rec, e.lastUpdated = rec, now
		e.encode()
		writeJSON(w, http.StatusOK, e.answer())
	})
}

// sorted returns the engagements keep accepts, in the order of less. The
// server must be locked.
func (s *Server) sorted(keep func(*engagement) bool, less func(a, b *engagement) int) []*engagement {
	var out []*engagement
	for _, e := range s.v1 {
		if keep == nil || keep(e) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, less)
	return out
}

func answers(es []*engagement) []engagementsv1.Engagement {
	out := make([]engagementsv1.Engagement, len(es))
	for i, e := range es {
		out[i] = e.answer()
	}
	return out
}

func byEngagementID(a, b *engagement) int { return cmp.Compare(a.id, b.id) }

// pagedByID answers a listing in id order where offset is the last id of
// the previous page (paged and associated).
func (a v1API) pagedByID(w http.ResponseWriter, limit *int, offset *int64, keep func(*engagement) bool) {
	n, after := cmp.Or(deref(limit), 100), deref(offset)
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	all := a.s.sorted(func(e *engagement) bool { return e.id > after && (keep == nil || keep(e)) }, byEngagementID)
	n = min(n, len(all))
	if n > 0 {
		after = all[n-1].id
	}
	writeJSON(w, http.StatusOK, plainPage{Results: answers(all[:n]), HasMore: n < len(all), Offset: after})
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
		list := *associationLists(e.rec.Associations)[kind]
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
	all := a.s.sorted(func(e *engagement) bool { return e.lastUpdated > since },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(b.lastUpdated, a.lastUpdated), cmp.Compare(b.id, a.id))
		})
	total := int64(len(all))
	reach := min(len(all), recentCap)
	from := min(int(min(offset, int64(reach))), reach)
	to := min(from+count, reach)
	writeJSON(w, http.StatusOK, plainRecent{Results: answers(all[from:to]), HasMore: to < reach, Offset: int64(to), Total: &total})
}

// cursor is the opaque position modified/after hands back.
func cursor(e *engagement) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", e.lastUpdated, e.id))
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
	all := a.s.sorted(func(e *engagement) bool { return e.lastUpdated > lu || e.lastUpdated == lu && e.id > id },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(a.lastUpdated, b.lastUpdated), cmp.Compare(a.id, b.id))
		})
	n := min(limit, len(all))
	ans := plainModified{Results: answers(all[:n]), HasMore: n < len(all)}
	if n > 0 {
		after = cursor(all[n-1])
	}
	if after != "" {
		c, _ := json.Marshal(after)
		ans.After = (*engagementsv1.Cursor)(&c)
	}
	writeJSON(w, http.StatusOK, ans)
}
