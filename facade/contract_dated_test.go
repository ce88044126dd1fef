package facade_test

// The contract cases of Client.Engagements on the 2026-03 wire, where each
// v1 operation is served on the object APIs and no request goes to
// /engagements/v1 (Dispositions excepted: HubSpot has no dated endpoint).
// Their goldens are in testdata/contract/2026-03/v1/<op>/, a numbered
// sequence of exchanges where the operation sends several requests: a get
// by id reads notes, tasks, calls, emails and meetings in turn until one
// answers, an update reads the record back.
//
// The object answers hold the records of the v1 goldens
// (testdata/contract/v1) under the same ids, as HubSpot keeps one record
// behind both APIs. Each Engagement the facade returns is checked as in the
// v1 cases (checkEngagement: its JSON, ID, Type, OwnerID, Timestamp, typed
// metadata, associations) against the v1 record it must equal: the v1
// golden's record less what no object property holds (held), with the
// changes the case made. That proves the object → v1 conversion against
// what v1 itself answered.

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// The records of the dated cases besides noteID and callID: the email of
// v1/list and the meeting of v1/associated.
var (
	emailID   = int64(26470158433)
	meetingID = int64(26470158441)
)

// The untyped update's changes: the owner, and the time HubSpot answers.
const (
	newOwner      = int64(77367891)
	emailModified = "1740040202104" // 2025-02-20T08:30:02.104Z
)

// datedV1Cases are the cases of every dated wire, each with its goldens
// (testdata/contract/<version>/v1/).
func datedV1Cases() []contractCase {
	var cases []contractCase
	for _, v := range facade.APIVersions {
		if v != facade.APIv3 {
			cases = append(cases, datedV1CasesOn(v)...)
		}
	}
	return cases
}

func datedV1CasesOn(v facade.APIVersion) []contractCase {
	api := string(v) + "/v1"
	dated := func(op string, run func(t *testing.T, c *facade.Client, body any)) contractCase {
		return contractCase{api: api, op: op, version: v, run: run}
	}
	dispositions := dated("dispositions", checkDispositions)
	dispositions.legacy = "/calling/v1/"
	return []contractCase{
		// One create of a note, its four associations in the body with
		// HubSpot's default types (202, 190, 214, 228).
		dated("create", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Create(t.Context(), newNote)
			noErr(t, err)
			checkConverted(t, "create", e, converted{held(t, v1Golden(t, "create")), body})
		}),
		// The id is a call's: notes and tasks answer 404 first.
		dated("get", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Get(t.Context(), callID)
			noErr(t, err)
			checkConverted(t, "get", e, converted{held(t, v1Golden(t, "get")), body})
			eq(t, "Type", e.Type(), facade.TypeCall)
		}),
		// The metadata gives the type: a PATCH of the note, then a read.
		dated("update", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Update(t.Context(), noteUpdate)
			noErr(t, err)
			checkConverted(t, "update", e, converted{held(t, v1Golden(t, "update")), body})
			eq(t, "OwnerID", e.OwnerID(), newOwner)
		}),
		// No metadata: the email is found (notes, tasks and calls answer
		// 404), then patched and read back.
		dated("update-untyped", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Update(t.Context(), facade.EngagementUpdateInput{ID: emailID, OwnerID: ptr(newOwner)})
			noErr(t, err)
			want := held(t, v1Golden(t, "list", 1))
			set(t, want, json.Number(strconv.FormatInt(newOwner, 10)), "engagement", "ownerId")
			set(t, want, json.Number(emailModified), "engagement", "lastUpdated")
			checkConverted(t, "update", e, converted{want, body})
			eq(t, "Type", e.Type(), facade.TypeEmail)
		}),
		// The meeting is the last type tried: four 404s, then the archive.
		dated("archive", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, c.Engagements.Archive(t.Context(), meetingID))
		}),
		dispositions,
		// The notes, one a page: the second page is a new listing resumed
		// from the first one's cursor, which carries the notes' after.
		dated("list", func(t *testing.T, c *facade.Client, _ any) {
			cursor := checkNextPage(t, c.Engagements.List(t.Context(), facade.EngagementListParams{Limit: 1}),
				results(t, api, "list", 1, held(t, v1Golden(t, "list", 0))), checkConverted)
			checkNextPage(t, c.Engagements.List(t.Context(), facade.EngagementListParams{Limit: 1, Cursor: cursor}),
				results(t, api, "list", 2, held(t, v1Golden(t, "update"))), checkConverted)
		}),
		// A search per type on associations.contact: the contact's one
		// note, then (the next page) its one task.
		dated("associated", func(t *testing.T, c *facade.Client, _ any) {
			p := c.Engagements.Associated(t.Context(), facade.AssociatedContact, contactID, facade.EngagementListParams{Limit: 2})
			checkNextPage(t, p, results(t, api, "associated", 1, onTimeline(held(t, v1Golden(t, "update")), "contactIds", contactID)), checkConverted)
			checkNextPage(t, p, results(t, api, "associated", 2, onTimeline(held(t, v1Golden(t, "associated", 0)), "contactIds", contactID)), checkConverted)
		}),
		// Searches on hs_lastmodifieddate after since, newest first within
		// a type.
		dated("recent-modified", func(t *testing.T, c *facade.Client, _ any) {
			checkNextPage(t, c.Engagements.RecentlyModified(t.Context(), facade.RecentlyModifiedParams{Since: since, Count: 2}),
				results(t, api, "recent-modified", 0, searched(held(t, v1Golden(t, "list", 0))), searched(held(t, v1Golden(t, "update")))), checkConverted)
		}),
		dated("modified-after", func(t *testing.T, c *facade.Client, _ any) {
			checkNextPage(t, c.Engagements.ModifiedAfter(t.Context(), facade.ModifiedAfterParams{Since: since, Limit: 2}),
				results(t, api, "modified-after", 0, searched(held(t, v1Golden(t, "list", 0))), searched(held(t, v1Golden(t, "update")))), checkConverted)
		}),
		// The changes feed: the notes' search by hs_lastmodifieddate from
		// since, a page of 200 (not full: the notes' archived listing and
		// the other types come next).
		dated("changes", func(t *testing.T, c *facade.Client, _ any) {
			checkNextPage(t, c.Engagements.Changes(t.Context(), facade.EngagementChangesParams{Since: since}),
				results(t, api, "changes", 0, searched(held(t, v1Golden(t, "list", 0))), searched(held(t, v1Golden(t, "update")))), changeOf(checkConverted))
		}),
	}
}

// converted is what an Engagement of the dated wire must be: the v1 record
// it must equal, and the object record (HubSpot's answer) it was made from.
type converted struct {
	v1     map[string]any
	object any
}

// checkConverted checks e as the v1 cases do against the v1 record, and
// that its id is the object's.
func checkConverted(t *testing.T, what string, e facade.Engagement, want any) {
	t.Helper()
	w := want.(converted)
	checkEngagement(t, what, e, w.v1)
	eq(t, what+" ID (the object's id)", strconv.FormatInt(e.ID(), 10), str(t, w.object, "id"))
}

// results pairs the v1 records a listing page must give with the object
// records of the answer to exchange n of the dated operation op (0: its one
// exchange) in the goldens of api (<version>/v1), in order.
func results(t *testing.T, api, op string, n int, v1 ...map[string]any) []any {
	t.Helper()
	name := "response.json"
	if n > 0 {
		name = strconv.Itoa(n) + "." + name
	}
	resp := readResponse(t, filepath.Join(contractDir, api, op, name))
	objects := list(t, decodeAny(t, resp.Body), "results")
	if len(objects) != len(v1) {
		t.Fatalf("%s/%s has %d results, the case %d", op, name, len(objects), len(v1))
	}
	out := make([]any, len(v1))
	for i := range v1 {
		out[i] = converted{v1[i], objects[i]}
	}
	return out
}

// v1Golden returns the record of a v1 case's answer
// (testdata/contract/v1/<op>/response.json), or its result-th result.
func v1Golden(t *testing.T, op string, result ...int) any {
	t.Helper()
	resp := readResponse(t, filepath.Join(contractDir, "v1", op, "response.json"))
	body := decodeAny(t, resp.Body)
	for _, i := range result {
		body = at(t, body, "results", i)
	}
	return body
}

// What of a v1 record no object property holds, so that the dated wire
// cannot return it (HubSpot's object documentation has no property for it;
// internal/v1map's table lists each field with its property or none).
var (
	unheldTop        = []string{"scheduledTasks"}
	unheldEngagement = []string{"portalId", "createdBy", "modifiedBy", "uid", "teamId", "allAccessibleTeamIds",
		"queueMembershipIds", "source", "sourceId", "gdprDeleted"}
	// unheldMetadata are the metadata fields the table maps to no
	// property, by type.
	unheldMetadata = map[string][]string{
		"CALL":  {"source"},
		"TASK":  {"sendDefaultReminder"},
		"EMAIL": {"sentVia", "validationSkipped", "emailSendEventId"},
	}
	// heldAssociations are the v1 association kinds the object APIs hold
	// (contacts, companies, deals, tickets); ownerIds, workflowIds,
	// contentIds and marketingEventIds have no object association.
	heldAssociations = []string{"contactIds", "companyIds", "dealIds", "ticketIds"}
)

// held returns a copy of the v1 record rec without what no object property
// holds, and without the empty lists the object APIs leave out (association
// kinds with no association, no attachments). A record with an association
// the object APIs cannot hold fails the test: it is no record to compare.
func held(t *testing.T, rec any) map[string]any {
	t.Helper()
	b, err := json.Marshal(rec)
	noErr(t, err)
	out, _ := decodeAny(t, b).(map[string]any)
	eng, _ := out["engagement"].(map[string]any)
	meta, _ := out["metadata"].(map[string]any)
	assoc, _ := out["associations"].(map[string]any)
	if eng == nil || meta == nil || assoc == nil {
		t.Fatalf("%s is no v1 record", b)
	}
	for _, k := range unheldTop {
		delete(out, k)
	}
	for _, k := range unheldEngagement {
		delete(eng, k)
	}
	typ, _ := eng["type"].(string)
	for _, k := range unheldMetadata[typ] {
		delete(meta, k)
	}
	for k, ids := range assoc {
		n := len(ids.([]any))
		if n > 0 && !slices.Contains(heldAssociations, k) {
			t.Fatalf("%s: the object APIs hold no %s", b, k)
		}
		if n == 0 {
			delete(assoc, k)
		}
	}
	if a, ok := out["attachments"].([]any); ok && len(a) == 0 {
		delete(out, "attachments")
	}
	return out
}

// searched is a held record as a search finds it: a search answer carries
// no associations, and the facade reads none, so the engagements of the
// listings by search have none.
func searched(rec map[string]any) map[string]any {
	rec["associations"] = map[string]any{}
	return rec
}

// onTimeline is rec as the dated timeline returns it: a search answer's
// record, with the one association the search was filtered on.
func onTimeline(rec map[string]any, kind string, id int64) map[string]any {
	rec["associations"] = map[string]any{kind: []any{json.Number(strconv.FormatInt(id, 10))}}
	return rec
}

// set sets the value at path (keys of nested objects) in a decoded record.
func set(t *testing.T, rec map[string]any, v any, path ...string) {
	t.Helper()
	m := rec
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("set %v: %s is no object", path, k)
		}
		m = next
	}
	m[path[len(path)-1]] = v
}
