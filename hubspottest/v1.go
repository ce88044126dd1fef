package hubspottest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// engagement is a v1 record, kept as the JSON document HubSpot would send
// (numbers as json.Number, unknown fields included) plus the fields the fake
// sorts and filters on.
type engagement struct {
	id          int64
	lastUpdated int64
	doc         map[string]any
}

// v1Types are the types an engagement can be created with.
var v1Types = []string{"EMAIL", "CALL", "MEETING", "TASK", "NOTE"}

// associationKinds are the association lists every v1 record carries.
var associationKinds = []string{"contactIds", "companyIds", "dealIds", "ownerIds", "workflowIds", "ticketIds", "contentIds", "quoteIds"}

// associatedKind maps the objectType of the associated listing to its list.
var associatedKind = map[string]string{"CONTACT": "contactIds", "COMPANY": "companyIds", "DEAL": "dealIds", "TICKET": "ticketIds", "QUOTE": "quoteIds"}

// noteLimit is the largest NOTE body, in UTF-16 code units.
const noteLimit = 65536

// dispositions are HubSpot's default call dispositions.
var dispositions = []map[string]string{
	{"id": "9d9162e7-6cf3-4944-bf63-4dff82258764", "label": "Busy"},
	{"id": "f240bbac-87c9-4f6e-bf70-924b57d47db7", "label": "Connected"},
	{"id": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "label": "Left live message"},
	{"id": "b2cf5968-551e-4856-9783-52b3da59a7d0", "label": "Left voicemail"},
	{"id": "73a0d17f-1163-4015-bdd5-ec830791da20", "label": "No answer"},
	{"id": "17b47fee-58de-441e-a44c-c6300d46f273", "label": "Wrong number"},
}

func (s *Server) v1Routes(mux *http.ServeMux) {
	const base = "/engagements/v1/engagements"
	mux.HandleFunc("POST "+base, s.createEngagement)
	mux.HandleFunc("GET "+base+"/{id}", s.withEngagement(false, func(w http.ResponseWriter, r *http.Request, e *engagement, _ map[string]any) {
		writeJSON(w, http.StatusOK, e.doc)
	}))
	mux.HandleFunc("PATCH "+base+"/{id}", s.withEngagement(true, s.updateEngagement))
	mux.HandleFunc("DELETE "+base+"/{id}", s.withEngagement(false, func(w http.ResponseWriter, r *http.Request, e *engagement, _ map[string]any) {
		delete(s.v1, e.id)
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("GET "+base+"/paged", func(w http.ResponseWriter, r *http.Request) { s.pagedByID(w, r, nil) })
	mux.HandleFunc("GET "+base+"/associated/{objectType}/{objectId}/paged", s.associated)
	mux.HandleFunc("GET "+base+"/recent/modified", s.recentModified)
	mux.HandleFunc("GET "+base+"/modified/after", s.modifiedAfter)
	mux.HandleFunc("GET /calling/v1/dispositions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, dispositions)
	})
}

// withEngagement decodes the JSON body when body is true, finds the
// engagement of the path's id and calls h with the server locked, or answers
// 404.
func (s *Server) withEngagement(body bool, h func(http.ResponseWriter, *http.Request, *engagement, map[string]any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if body && !decodeBody(w, r, &in) {
			return
		}
		id, _ := parseInt(r.PathValue("id"))
		s.mu.Lock()
		defer s.mu.Unlock()
		e, ok := s.v1[id]
		if !ok {
			v1Error(w, r, http.StatusNotFound, "OBJECT_NOT_FOUND", "Object not found. objectId are usually numeric.")
			return
		}
		h(w, r, e, in)
	}
}

// child returns m[key] as an object, nil when it is not one.
func child(m map[string]any, key string) map[string]any {
	c, _ := m[key].(map[string]any)
	return c
}

// checkNote returns why the metadata of a record of type typ is refused, or "".
func checkNote(typ string, md map[string]any) string {
	body, _ := md["body"].(string)
	if n := len(utf16.Encode([]rune(body))); typ == "NOTE" && n > noteLimit {
		return fmt.Sprintf("Note body is too long: %d characters, the limit is %d", n, noteLimit)
	}
	return ""
}

func (s *Server) createEngagement(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if !decodeBody(w, r, &in) {
		return
	}
	eng, md := child(in, "engagement"), child(in, "metadata")
	if eng == nil || md == nil {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "engagement and metadata are required")
		return
	}
	typ, _ := eng["type"].(string)
	if !slices.Contains(v1Types, typ) {
		v1Error(w, r, http.StatusBadRequest, "", "Invalid enum constant '%s' for class EngagementType", typ)
		return
	}
	if msg := checkNote(typ, md); msg != "" {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "%s", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.insertEngagement(in, ms(s.now())).doc)
}

// insertEngagement stores the record of the create body in at time now
// (epoch ms), with the fields HubSpot fills in. The server must be locked.
func (s *Server) insertEngagement(in map[string]any, now int64) *engagement {
	id := s.nextV1
	s.nextV1++
	doc := maps.Clone(in)
	eng := maps.Clone(child(in, "engagement"))
	eng["id"], eng["portalId"], eng["createdAt"], eng["lastUpdated"] = id, s.cfg.portalID, now, now
	if _, ok := eng["active"]; !ok {
		eng["active"] = true
	}
	if _, ok := eng["timestamp"]; !ok {
		eng["timestamp"] = now
	}
	if owner, ok := eng["ownerId"]; ok {
		eng["createdBy"], eng["modifiedBy"] = owner, owner
	}
	doc["engagement"] = eng
	assoc := maps.Clone(child(in, "associations"))
	if assoc == nil {
		assoc = map[string]any{}
	}
	for _, k := range associationKinds {
		ids := []any{}
		list, _ := assoc[k].([]any)
		for _, v := range list {
			if v != nil { // HubSpot drops the nulls some clients send
				ids = append(ids, v)
			}
		}
		assoc[k] = ids
	}
	doc["associations"] = assoc
	if _, ok := doc["attachments"]; !ok {
		doc["attachments"] = []any{}
	}
	e := &engagement{id: id, lastUpdated: now, doc: doc}
	s.v1[id] = e
	return e
}

// updateEngagement merges the body into the record: the fields of
// engagement and metadata key by key, other top-level fields replaced.
// Associations cannot be changed this way, as in HubSpot.
func (s *Server) updateEngagement(w http.ResponseWriter, r *http.Request, e *engagement, in map[string]any) {
	doc := maps.Clone(e.doc)
	for k, v := range in {
		switch k {
		case "associations":
		case "engagement", "metadata":
			patch, _ := v.(map[string]any)
			merged := maps.Clone(child(doc, k))
			if merged == nil {
				merged = map[string]any{}
			}
			maps.Copy(merged, patch)
			doc[k] = merged
		default:
			doc[k] = v
		}
	}
	eng := child(doc, "engagement")
	if msg := checkNote(fmt.Sprint(eng["type"]), child(doc, "metadata")); msg != "" {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "%s", msg)
		return
	}
	now := ms(s.now())
	eng["id"], eng["lastUpdated"] = e.id, now
	if owner, ok := eng["ownerId"]; ok {
		eng["modifiedBy"] = owner
	}
	e.doc, e.lastUpdated = doc, now
	writeJSON(w, http.StatusOK, doc)
}

// page is a v1 listing answer.
type page struct {
	Results []map[string]any `json:"results"`
	HasMore bool             `json:"hasMore"`
	Offset  *int64           `json:"offset,omitempty"`
	Total   *int             `json:"total,omitempty"`
	After   *string          `json:"after,omitempty"`
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

func docs(es []*engagement) []map[string]any {
	out := make([]map[string]any, len(es))
	for i, e := range es {
		out[i] = e.doc
	}
	return out
}

// pagedByID answers a listing in id order where offset is the last id of
// the previous page (paged and associated).
func (s *Server) pagedByID(w http.ResponseWriter, r *http.Request, keep func(*engagement) bool) {
	limit, ok := intParam(w, r, "limit", 100, 250)
	offset, ok2 := s.offsetParam(w, r, ok)
	if !ok2 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sorted(func(e *engagement) bool { return e.id > offset && (keep == nil || keep(e)) },
		func(a, b *engagement) int { return cmp.Compare(a.id, b.id) })
	n := min(int(limit), len(all))
	if n > 0 {
		offset = all[n-1].id
	}
	writeJSON(w, http.StatusOK, page{Results: docs(all[:n]), HasMore: n < len(all), Offset: &offset})
}

// offsetParam reads the int64 offset parameter (0 when absent); it does
// nothing when ok is false.
func (s *Server) offsetParam(w http.ResponseWriter, r *http.Request, ok bool) (int64, bool) {
	if !ok {
		return 0, false
	}
	v := r.URL.Query().Get("offset")
	if v == "" {
		return 0, true
	}
	n, ok := parseInt(v)
	if !ok || n < 0 {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "offset must be a non-negative integer, got %q", v)
	}
	return n, ok && n >= 0
}

func (s *Server) associated(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("objectType")
	kind, ok := associatedKind[typ]
	if !ok {
		v1Error(w, r, http.StatusBadRequest, "", "Invalid enum constant '%s' for class ObjectType", typ)
		return
	}
	objectID, ok := parseInt(r.PathValue("objectId"))
	if !ok {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "objectId must be numeric, got %q", r.PathValue("objectId"))
		return
	}
	want := json.Number(strconv.FormatInt(objectID, 10))
	s.pagedByID(w, r, func(e *engagement) bool {
		list, _ := child(e.doc, "associations")[kind].([]any)
		for _, v := range list {
			if n, ok := v.(json.Number); ok && n == want || v == objectID {
				return true
			}
		}
		return false
	})
}

// recentCap is how many records recent/modified reaches at most.
const recentCap = 10000

func (s *Server) recentModified(w http.ResponseWriter, r *http.Request) {
	count, ok := intParam(w, r, "count", 20, 100)
	offset, ok := s.offsetParam(w, r, ok)
	if !ok {
		return
	}
	since := int64(-1 << 63)
	if v := r.URL.Query().Get("since"); v != "" {
		if since, ok = parseInt(v); !ok {
			v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "since must be epoch milliseconds, got %q", v)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	since = max(since, ms(s.now().Add(-30*24*time.Hour)))
	all := s.sorted(func(e *engagement) bool { return e.lastUpdated > since },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(b.lastUpdated, a.lastUpdated), cmp.Compare(b.id, a.id))
		})
	total := len(all)
	reach := min(total, recentCap)
	from := min(int(offset), reach)
	to := min(from+int(count), reach)
	next := int64(to)
	writeJSON(w, http.StatusOK, page{Results: docs(all[from:to]), HasMore: to < reach, Offset: &next, Total: &total})
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

func (s *Server) modifiedAfter(w http.ResponseWriter, r *http.Request) {
	limit, ok := intParam(w, r, "limit", 100, 1000)
	if !ok {
		return
	}
	after := r.URL.Query().Get("after")
	lu, id, ok := parseAfter(after)
	if !ok {
		v1Error(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "after must be epoch milliseconds or a cursor, got %q", after)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sorted(func(e *engagement) bool { return e.lastUpdated > lu || e.lastUpdated == lu && e.id > id },
		func(a, b *engagement) int {
			return cmp.Or(cmp.Compare(a.lastUpdated, b.lastUpdated), cmp.Compare(a.id, b.id))
		})
	n := min(int(limit), len(all))
	p := page{Results: docs(all[:n]), HasMore: n < len(all)}
	if n > 0 {
		after = cursor(all[n-1])
	}
	if after != "" {
		p.After = &after
	}
	writeJSON(w, http.StatusOK, p)
}

// Engagement returns the v1 engagement id as HubSpot would send it.
func (s *Server) Engagement(id int64) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.v1[id]
	if !ok {
		return nil, false
	}
	b, _ := json.Marshal(e.doc)
	return b, true
}

// Engagements returns every v1 engagement, in id order, as HubSpot would
// send them.
func (s *Server) Engagements() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []json.RawMessage
	for _, e := range s.sorted(nil, func(a, b *engagement) int { return cmp.Compare(a.id, b.id) }) {
		b, _ := json.Marshal(e.doc)
		out = append(out, b)
	}
	return out
}

// EngagementCount returns how many v1 engagements the server holds.
func (s *Server) EngagementCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.v1)
}

// SeedEngagements stores n v1 engagements of type typ (any type, also ones
// like PUBLISHING_TASK that cannot be created through the API) and returns
// their ids. Their content is a function of the seed; their createdAt and
// lastUpdated lie in the n seconds before the clock's now, oldest first.
// Each is associated with one of the contacts 5001..5005, one of the
// companies 6001..6003 and the owner 7001.
func (s *Server) SeedEngagements(typ string, n int) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ids := make([]int64, n)
	for i := range n {
		at := ms(now.Add(-time.Duration(n-i) * time.Second))
		in := map[string]any{
			"engagement":   map[string]any{"type": typ, "ownerId": int64(7001), "timestamp": at},
			"associations": map[string]any{"contactIds": []any{5001 + s.rng.Int64N(5)}, "companyIds": []any{6001 + s.rng.Int64N(3)}, "ownerIds": []any{int64(7001)}},
			"metadata":     s.seedMetadata(typ, i, at),
		}
		ids[i] = s.insertEngagement(in, at).id
	}
	return ids
}

func (s *Server) seedMetadata(typ string, i int, at int64) map[string]any {
	body := fmt.Sprintf("%s %d: %s", strings.ToLower(typ), i+1, words[s.rng.IntN(len(words))])
	switch typ {
	case "NOTE":
		return map[string]any{"body": body}
	case "EMAIL":
		return map[string]any{"from": map[string]any{"email": "owner@example.com"}, "to": []any{map[string]any{"email": fmt.Sprintf("contact%d@example.com", i+1)}},
			"cc": []any{}, "bcc": []any{}, "subject": body, "text": body, "html": "<p>" + body + "</p>", "status": "SENT"}
	case "CALL":
		return map[string]any{"toNumber": "+15555550100", "fromNumber": "+15555550199", "status": "COMPLETED", "durationMilliseconds": 1000 * s.rng.Int64N(600),
			"body": body, "disposition": dispositions[s.rng.IntN(len(dispositions))]["id"]}
	case "MEETING":
		return map[string]any{"body": body, "title": body, "startTime": at, "endTime": at + 1800000}
	case "TASK":
		return map[string]any{"body": body, "subject": body, "status": "NOT_STARTED", "taskType": "TODO", "priority": "NONE", "forObjectType": "CONTACT", "reminders": []any{}}
	}
	return map[string]any{}
}

// words are what seeded texts are made of.
var words = []string{"follow up on the proposal", "call back next week", "send the contract", "Quarterly review", "café meeting notes", "renewal discussion"}
