package hubspottest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

func str(s string) *string { return &s }

// pick returns one of vs, drawn from the seeded generator. The server must
// be locked.
func (s *Server) pick(vs ...string) string { return vs[s.rng.IntN(len(vs))] }

// words are what seeded texts are made of.
var words = []string{"follow up on the proposal", "call back next week", "send the contract", "Quarterly review", "café meeting notes", "renewal discussion"}

// SeedTasks stores n tasks and returns their ids. Their properties
// (hs_task_subject, hs_task_body, hs_task_status, hs_task_priority,
// hs_task_type, hs_timestamp, and hubspot_owner_id, null for every third)
// are a function of the seed; they carry the defaults HubSpot sets on
// create, like any task.
func (s *Server) SeedTasks(n int) []string {
	return s.tasks.seed(n, func(i int, at time.Time) map[string]*string {
		p := map[string]*string{
			"hs_task_subject":  str(fmt.Sprintf("Task %d: %s", i+1, s.pick(words...))),
			"hs_task_body":     str(s.pick(words...)),
			"hs_task_status":   str(s.pick("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
			"hs_task_priority": str(s.pick("NONE", "LOW", "MEDIUM", "HIGH")),
			"hs_task_type":     str(s.pick("TODO", "CALL", "EMAIL")),
			"hs_timestamp":     str(rfc3339(at.Add(24 * time.Hour))),
			"hubspot_owner_id": str("7001"),
		}
		if i%3 == 2 {
			p["hubspot_owner_id"] = nil
		}
		return p
	})
}

// SeedEmails stores n emails and returns their ids. Their properties
// (hs_email_subject, hs_email_text, hs_email_direction, hs_email_status,
// hs_timestamp) are a function of the seed.
func (s *Server) SeedEmails(n int) []string {
	return s.emails.seed(n, func(i int, at time.Time) map[string]*string {
		return map[string]*string{
			"hs_email_subject":   str(fmt.Sprintf("Email %d: %s", i+1, s.pick(words...))),
			"hs_email_text":      str(s.pick(words...)),
			"hs_email_direction": str(s.pick("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")),
			"hs_email_status":    str(s.pick("SENT", "BOUNCED", "FAILED")),
			"hs_timestamp":       str(rfc3339(at)),
		}
	})
}

// SeedEngagements stores n v1 engagements of type typ (any type, also ones
// like PUBLISHING_TASK that cannot be created through the API) and returns
// their ids. An engagement of a creatable type is the record of its object
// type, as if created through the v1 API. Their content is a function of the seed; their createdAt and
// lastUpdated lie in the n seconds before the clock's now, oldest first.
// Each is associated with one of the contacts 5001..5005, one of the
// companies 6001..6003 and the owner 7001.
func (s *Server) SeedEngagements(typ string, n int) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ids := make([]int64, n)
	for i := range n {
		at := now.Add(-time.Duration(n-i) * time.Second)
		in := map[string]any{
			"engagement":   map[string]any{"type": typ, "ownerId": int64(7001), "timestamp": ms(at)},
			"associations": map[string]any{"contactIds": []any{5001 + s.rng.Int64N(5)}, "companyIds": []any{6001 + s.rng.Int64N(3)}, "ownerIds": []any{int64(7001)}},
			"metadata":     s.seedMetadata(typ, i, ms(at)),
		}
		b, _ := json.Marshal(in)
		var rec engagementsv1.OtherEngagement
		if err := json.Unmarshal(b, &rec); err != nil {
			panic(fmt.Sprintf("hubspottest: seed %s: %v", typ, err))
		}
		e, bad := s.insertEngagement(rec, at)
		if bad != nil {
			panic(fmt.Sprintf("hubspottest: seed %s: %s", typ, bad.Message))
		}
		ids[i] = e.id
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
			"body": body, "disposition": *dispositions[s.rng.IntN(len(dispositions))].ID}
	case "MEETING":
		return map[string]any{"body": body, "title": body, "startTime": at, "endTime": at + 1800000}
	case "TASK":
		return map[string]any{"body": body, "subject": body, "status": "NOT_STARTED", "taskType": "TODO", "priority": "NONE", "forObjectType": "CONTACT", "reminders": []any{}}
	}
	return map[string]any{}
}

// export returns e as an Engagement. The server must be locked.
func (s *Server) export(e *engagement) Engagement {
	e = s.view(e)
	d := e.rec.Engagement
	v := Engagement{ID: e.id, Type: d.Type, PortalID: deref(d.PortalID), Active: deref(d.Active), OwnerID: deref(d.OwnerID),
		Timestamp: time.UnixMilli(deref(d.Timestamp)).UTC(), CreatedAt: time.UnixMilli(deref(d.CreatedAt)).UTC(),
		LastUpdated: time.UnixMilli(e.updated()).UTC(), Associations: map[string][]int64{}, Metadata: map[string]any{},
		JSON: append([]byte(nil), e.raw...)}
	if a := e.rec.Associations; a != nil {
		for kind, list := range associationLists(a) {
			if *list != nil {
				v.Associations[kind] = append([]int64{}, **list...)
			}
		}
		for kind, raw := range a.AdditionalProperties {
			var ids []int64
			if json.Unmarshal(raw, &ids) == nil {
				v.Associations[kind] = ids
			}
		}
	}
	if e.rec.Metadata != nil {
		for k, raw := range *e.rec.Metadata {
			var x any
			_ = json.Unmarshal(raw, &x)
			v.Metadata[k] = x
		}
	}
	return v
}

// Engagement returns the v1 engagement id, as the v1 API answers it: a
// record of any of the five object types, whichever API created it. ok is
// false when there is none or it was deleted (archived).
func (s *Server) Engagement(id int64) (Engagement, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.v1[id]
	if !ok || !e.live() {
		return Engagement{}, false
	}
	return s.export(e), true
}

// Engagements returns every v1 engagement that is not deleted, in id
// order: every live record of the five object types, and the seeded
// records of types only v1 has.
func (s *Server) Engagements() []Engagement {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Engagement
	for _, e := range s.sorted(nil, nil) {
		out = append(out, s.export(e))
	}
	return out
}

// EngagementCount returns how many v1 engagements are not deleted: the live
// records of the five object types, whichever API created them, and the
// seeded records of types only v1 has.
func (s *Server) EngagementCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.v1 {
		if e.live() {
			n++
		}
	}
	return n
}
