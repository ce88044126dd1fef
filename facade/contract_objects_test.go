package facade_test

// The contract cases of the object services: one set of cases, generic over
// the object type and run on every wire, over one table of inputs per object
// type (contract_inputs_test.go).

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
)

// objectAPI is one object service (emails, tasks, notes, calls, meetings):
// how to reach it, its typed accessors and its fixed inputs, the same on
// every wire.
type objectAPI[T any] struct {
	name    string // the service's ObjectType
	svc     func(*facade.Client) *facade.ObjectService[T]
	object  func(T) facade.Object
	typed   func(t *testing.T, what string, rec T, want any)
	id      string
	cleared string // a property Update clears with ""
	in      objectInputs
}

// objectInputs are the fixed inputs of one object type's cases.
type objectInputs struct {
	create facade.Properties
	// associations go with create-associated, all of them, and with
	// batch-create-associated, one per input (input i takes the i-th).
	associations []facade.AssociationTarget
	update       facade.Properties
	get          facade.GetParams
	list         facade.ListParams
	search       facade.SearchParams
	batchRead    []string
	readParams   facade.BatchReadParams
	batchCreate  []facade.Properties
	batchUpdate  []facade.UpdateInput
	batchArchive []string
	// upsertProperty is a unique-value property of the caller's, the
	// idProperty of upserts.
	upsertProperty string
	upserts        []facade.UpsertInput
	assoc          facade.AssociationTarget // Type left 0: HubSpot's default for the pair
}

// uniqueProperty is the idProperty of batch-create-unique. Every input
// carries a distinct value; nothing is uncertain, so the case is exactly
// one batch create.
const uniqueProperty = facade.TimestampProperty

// objectCases is an objectAPI of any record type.
type objectCases interface {
	cases(v facade.APIVersion) []contractCase
}

func (a objectAPI[T]) check(t *testing.T, what string, rec T, want any) {
	t.Helper()
	checkObject(t, what, a.object(rec), want)
	a.typed(t, what, rec, want)
}

// created checks a created record: HubSpot's answer, and the properties
// it was created with.
func (a objectAPI[T]) created(t *testing.T, what string, rec T, props facade.Properties, want any) {
	t.Helper()
	a.check(t, what, rec, want)
	for k, v := range props {
		eq(t, what+" "+k, a.object(rec).Properties()[k], facade.PropertyValue{Value: v})
	}
}

// batchCreated checks the records of a batch create against the inputs,
// each matched to its result in HubSpot's answer by id.
func (a objectAPI[T]) batchCreated(t *testing.T, res *facade.BatchResult[T], err error, inputs []facade.Properties, body any) {
	t.Helper()
	noErr(t, err)
	results := list(t, body, "results")
	filled(t, res.Failures, res.Records, a.object)
	for i, props := range inputs {
		a.created(t, fmt.Sprintf("Records[%d]", i), res.Records[i], props, byID(t, results, a.object(res.Records[i]).ID()))
	}
}

func byID(t *testing.T, results []any, id string) any {
	t.Helper()
	for _, r := range results {
		if str(t, r, "id") == id {
			return r
		}
	}
	return nil
}

// failedIDs reads a 207 answer's per-input errors: id → category.
func failedIDs(t *testing.T, body any) map[string]string {
	t.Helper()
	failed := map[string]string{}
	for _, e := range list(t, body, "errors") {
		for _, id := range list(t, e, "context", "ids") {
			failed[id.(string)] = str(t, e, "category")
		}
	}
	return failed
}

func (a objectAPI[T]) cases(v facade.APIVersion) []contractCase {
	in := a.in
	api := string(v) + "/" + a.name
	mk := func(op string, run func(t *testing.T, svc *facade.ObjectService[T], body any)) contractCase {
		return contractCase{api: api, op: op, version: v, run: func(t *testing.T, c *facade.Client, body any) { run(t, a.svc(c), body) }}
	}
	cases := []contractCase{
		mk("create", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			rec, err := svc.Create(t.Context(), facade.CreateInput{Properties: in.create})
			noErr(t, err)
			a.created(t, "create", rec, in.create, body)
		}),
		mk("create-associated", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			rec, err := svc.Create(t.Context(), facade.CreateInput{Properties: in.create, Associations: in.associations})
			noErr(t, err)
			a.created(t, "create", rec, in.create, body)
		}),
		mk("get", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			rec, err := svc.Get(t.Context(), a.id, in.get)
			noErr(t, err)
			a.check(t, "get", rec, body)
			owner, ok := a.object(rec).Property(facade.OwnerIDProperty)
			eq(t, "hubspot_owner_id sent", ok, true)
			eq(t, "hubspot_owner_id (null)", owner, facade.PropertyValue{Null: true})
			if got := a.object(rec).Associations(facade.Contacts); len(got) != 1 || got[0].ID != strconv.FormatInt(contactID, 10) {
				t.Errorf("Associations(contacts) = %+v", got)
			}
		}),
		mk("update", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			rec, err := svc.Update(t.Context(), facade.UpdateInput{ID: a.id, Properties: in.update})
			noErr(t, err)
			a.check(t, "update", rec, body)
			v, ok := a.object(rec).Property(a.cleared)
			eq(t, a.cleared+" sent", ok, true)
			eq(t, a.cleared+` ("")`, v, facade.PropertyValue{Value: ""})
		}),
		mk("archive", func(t *testing.T, svc *facade.ObjectService[T], _ any) {
			noErr(t, svc.Archive(t.Context(), a.id))
		}),
		mk("list", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			checkNextPage(t, svc.List(t.Context(), in.list), list(t, body, "results"), a.check)
		}),
		mk("search", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			checkNextPage(t, svc.Search(t.Context(), in.search), list(t, body, "results"), a.check)
		}),
		mk("batch-read", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			res, err := svc.BatchRead(t.Context(), in.batchRead, in.readParams)
			failed := failedIDs(t, body)
			var be *facade.BatchError
			if len(failed) == 0 {
				noErr(t, err)
			} else if !errors.As(err, &be) || len(be.Failures) != len(failed) {
				t.Fatalf("err = %v, want a *BatchError with %d failures", err, len(failed))
			}
			if res == nil {
				t.Fatal("no result")
			}
			results := list(t, body, "results")
			for i, id := range in.batchRead {
				if cat, ok := failed[id]; ok {
					k := slices.IndexFunc(res.Failures, func(f facade.BatchFailure) bool { return f.Index == i })
					if k < 0 {
						t.Errorf("input %d (%s) failed at HubSpot but is not in Failures %+v", i, id, res.Failures)
						continue
					}
					f := res.Failures[k]
					var ae *facade.APIError
					if f.ID != id || !errors.As(f.Err, &ae) || ae.Category != cat || f.Uncertain() {
						t.Errorf("Failures[%d] = %+v, want id %s, an *APIError %s", k, f, id, cat)
					}
					continue
				}
				want := byID(t, results, id)
				if want == nil {
					t.Fatalf("response.json has no result for %s", id)
				}
				a.check(t, fmt.Sprintf("Records[%d]", i), res.Records[i], want)
			}
		}),
		mk("batch-create", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			res, err := svc.BatchCreate(t.Context(), createInputs(in.batchCreate), facade.BatchCreateParams{})
			a.batchCreated(t, res, err, in.batchCreate, body)
		}),
		mk("batch-create-associated", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			inputs := make([]facade.CreateInput, len(in.batchCreate))
			for i, p := range in.batchCreate {
				inputs[i] = facade.CreateInput{Properties: p, Associations: in.associations[i : i+1]}
			}
			res, err := svc.BatchCreate(t.Context(), inputs, facade.BatchCreateParams{})
			a.batchCreated(t, res, err, in.batchCreate, body)
		}),
		mk("batch-create-unique", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			res, err := svc.BatchCreate(t.Context(), createInputs(in.batchCreate), facade.BatchCreateParams{UniqueProperty: uniqueProperty})
			a.batchCreated(t, res, err, in.batchCreate, body)
		}),
		mk("batch-update", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			res, err := svc.BatchUpdate(t.Context(), in.batchUpdate)
			noErr(t, err)
			results := list(t, body, "results")
			filled(t, res.Failures, res.Records, a.object)
			for i, u := range in.batchUpdate {
				what := fmt.Sprintf("Records[%d]", i)
				eq(t, what+".ID", a.object(res.Records[i]).ID(), u.ID)
				a.created(t, what, res.Records[i], u.Properties, byID(t, results, u.ID))
			}
		}),
		mk("batch-upsert", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			res, err := svc.BatchUpsert(t.Context(), in.upserts, facade.BatchUpsertParams{IDProperty: in.upsertProperty})
			noErr(t, err)
			results := list(t, body, "results")
			filled(t, res.Failures, res.Records, a.object)
			if len(res.Created) != len(in.upserts) {
				t.Fatalf("%d Created flags for %d inputs", len(res.Created), len(in.upserts))
			}
			for i, u := range in.upserts {
				what := fmt.Sprintf("Records[%d]", i)
				o := a.object(res.Records[i])
				eq(t, what+" "+in.upsertProperty, o.Properties()[in.upsertProperty], facade.PropertyValue{Value: u.ID})
				want := byID(t, results, o.ID())
				a.created(t, what, res.Records[i], u.Properties, want)
				eq(t, fmt.Sprintf("Created[%d]", i), res.Created[i], at(t, want, "new") == true)
			}
		}),
		mk("batch-archive", func(t *testing.T, svc *facade.ObjectService[T], _ any) {
			noErr(t, svc.BatchArchive(t.Context(), in.batchArchive))
		}),
		mk("associations-list", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			ids, err := facade.ReadAll(svc.Associations(t.Context(), a.id, facade.AssociationsParams{ToObjectType: in.assoc.ObjectType}))
			if since2026_09(v) {
				// 2026-09's listing: each associated record with its types.
				noErr(t, err)
				var want []facade.AssociatedID
				for _, r := range list(t, at(t, body, "results")) {
					got := facade.AssociatedID{ID: str(t, r, "toObjectId")}
					for _, ty := range list(t, at(t, r, "associationTypes")) {
						label, _ := lookup(ty, "label").(string)
						n, _ := lookup(ty, "typeId").(json.Number).Int64()
						got.Types = append(got.Types, facade.AssociationType{TypeID: facade.AssociationTypeID(n), Category: facade.AssociationCategory(str(t, ty, "category")), Label: label})
					}
					want = append(want, got)
				}
				eq(t, "associations", fmt.Sprint(ids), fmt.Sprint(want))
				return
			}
			// v3 answers with HubSpot's association listing (one page
			// here); 2026-03 has none, and the facade reads the record
			// with its associations, which may be cut short.
			listing := body
			if v != facade.APIv3 {
				listing = at(t, body, "associations", string(in.assoc.ObjectType))
			}
			if after, _ := lookup(listing, "paging", "next", "after").(string); after != "" {
				if !errors.Is(err, facade.ErrAssociationsTruncated) {
					t.Errorf("err = %v, want ErrAssociationsTruncated: HubSpot says there are more", err)
				}
			} else {
				noErr(t, err)
			}
			jsonEqual(t, "associations", ids, at(t, listing, "results"))
		}),
		mk("associations-create", func(t *testing.T, svc *facade.ObjectService[T], _ any) {
			noErr(t, svc.Associate(t.Context(), a.id, in.assoc))
		}),
		mk("associations-delete", func(t *testing.T, svc *facade.ObjectService[T], _ any) {
			noErr(t, svc.Dissociate(t.Context(), a.id, in.assoc))
		}),
	}
	if !since2026_09(v) {
		return cases
	}
	return append(cases,
		// The record that remains, as HubSpot answers a merge.
		mk("merge", func(t *testing.T, svc *facade.ObjectService[T], body any) {
			rec, err := svc.Merge(t.Context(), facade.MergeInput{PrimaryID: a.id, MergedID: in.batchArchive[0]})
			noErr(t, err)
			a.check(t, "merge", rec, body)
		}),
		mk("gdpr-delete", func(t *testing.T, svc *facade.ObjectService[T], _ any) {
			noErr(t, svc.GDPRDelete(t.Context(), facade.GDPRDeleteInput{ID: a.id}))
		}),
	)
}

// since2026_09 reports whether v has 2026-09's operations (merge, GDPR
// delete, the labelled association listing).
func since2026_09(v facade.APIVersion) bool { return v != facade.APIv3 && v >= facade.API2026_09 }

// lookup walks a decoded JSON value by keys like at, and gives nil where a
// key is absent.
func lookup(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// filled fails unless every input of a batch has its record and none failed.
func filled[T any](t *testing.T, failures []facade.BatchFailure, records []T, object func(T) facade.Object) {
	t.Helper()
	if len(failures) != 0 {
		t.Fatalf("failures %+v", failures)
	}
	for i, r := range records {
		if object(r).ID() == "" {
			t.Fatalf("Records[%d] is empty: the answer's result was not matched to its input", i)
		}
	}
}

// checkObject checks every accessor of o against HubSpot's JSON record.
func checkObject(t *testing.T, what string, o facade.Object, want any) {
	t.Helper()
	if want == nil {
		t.Fatalf("%s: no such record in response.json", what)
	}
	jsonEqual(t, what, o, want)
	jsonEqual(t, what+" JSON()", o.JSON(), want)
	eq(t, what+" ID", o.ID(), str(t, want, "id"))
	eq(t, what+" Archived", o.Archived(), at(t, want, "archived") == true)
	eqTime(t, what+" CreatedAt", o.CreatedAt(), rfc3339(t, str(t, want, "createdAt")))
	eqTime(t, what+" UpdatedAt", o.UpdatedAt(), rfc3339(t, str(t, want, "updatedAt")))
	props, _ := at(t, want, "properties").(map[string]any)
	if len(o.Properties()) != len(props) {
		t.Errorf("%s: %d properties, want %d", what, len(o.Properties()), len(props))
	}
	for k, v := range props {
		got, ok := o.Property(k)
		wantV := facade.PropertyValue{Null: true}
		if s, isStr := v.(string); isStr {
			wantV = facade.PropertyValue{Value: s}
		}
		if !ok || got != wantV {
			t.Errorf("%s Property(%q) = %+v, %v; want %+v", what, k, got, ok, wantV)
		}
	}
	if _, ok := o.Property("hs_no_such_property"); ok {
		t.Errorf("%s: Property of an absent name reports it sent", what)
	}
	assoc, _ := at(t, want, "associations").(map[string]any)
	for toType, v := range assoc {
		jsonEqual(t, what+" Associations("+toType+")", o.Associations(facade.ObjectType(toType)), at(t, v, "results"))
	}
}

func rfc3339(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// propTime is a time property as HubSpot sends it: RFC 3339 or epoch ms.
func propTime(t *testing.T, want any, name string) (time.Time, bool) {
	t.Helper()
	s := str(t, want, "properties", name)
	if s == "" {
		return time.Time{}, false
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	return rfc3339(t, s), true
}

// --- typed accessors ----------------------------------------------------------

// accessor is a typed accessor's name, what it returned, and the property
// it reads.
type accessor struct{ name, got, property string }

// eqProps checks string accessors against their properties in HubSpot's
// JSON record ("" when absent or null).
func eqProps(t *testing.T, what string, want any, accessors ...accessor) {
	t.Helper()
	for _, a := range accessors {
		eq(t, what+" "+a.name, a.got, str(t, want, "properties", a.property))
	}
}

// eqTimeProp checks an accessor of a time property and its "set" flag.
func eqTimeProp(t *testing.T, what string, got time.Time, set bool, want any, name string) {
	t.Helper()
	wantT, wantSet := propTime(t, want, name)
	eq(t, what+" set", set, wantSet)
	eqTime(t, what, got, wantT)
}

func checkTask(t *testing.T, what string, r facade.Task, want any) {
	t.Helper()
	eqProps(t, what, want,
		accessor{"Subject", r.Subject(), facade.TaskSubjectProperty},
		accessor{"Body", r.Body(), facade.TaskBodyProperty},
		accessor{"Status", string(r.Status()), facade.TaskStatusProperty},
		accessor{"Priority", string(r.Priority()), facade.TaskPriorityProperty},
		accessor{"Type", string(r.Type()), facade.TaskTypeProperty})
	due, ok := r.Due()
	eqTimeProp(t, what+" Due", due, ok, want, facade.TimestampProperty)
}

func checkEmail(t *testing.T, what string, r facade.Email, want any) {
	t.Helper()
	eqProps(t, what, want,
		accessor{"Subject", r.Subject(), facade.EmailSubjectProperty},
		accessor{"Text", r.Text(), facade.EmailTextProperty},
		accessor{"HTML", r.HTML(), facade.EmailHTMLProperty},
		accessor{"Direction", string(r.Direction()), facade.EmailDirectionProperty},
		accessor{"Status", string(r.Status()), facade.EmailStatusProperty})
	ts, ok := r.Timestamp()
	eqTimeProp(t, what+" Timestamp", ts, ok, want, facade.TimestampProperty)
}

func checkNote(t *testing.T, what string, r facade.Note, want any) {
	t.Helper()
	eqProps(t, what, want, accessor{"Body", r.Body(), facade.NoteBodyProperty})
	ts, ok := r.Timestamp()
	eqTimeProp(t, what+" Timestamp", ts, ok, want, facade.TimestampProperty)
}

func checkCall(t *testing.T, what string, r facade.Call, want any) {
	t.Helper()
	eqProps(t, what, want,
		accessor{"Title", r.Title(), facade.CallTitleProperty},
		accessor{"Body", r.Body(), facade.CallBodyProperty},
		accessor{"Status", string(r.Status()), facade.CallStatusProperty},
		accessor{"Direction", string(r.Direction()), facade.CallDirectionProperty})
	ms, _ := strconv.ParseInt(str(t, want, "properties", facade.CallDurationProperty), 10, 64) // 0 when absent
	eq(t, what+" Duration", r.Duration(), time.Duration(ms)*time.Millisecond)
	ts, ok := r.Timestamp()
	eqTimeProp(t, what+" Timestamp", ts, ok, want, facade.TimestampProperty)
}

func checkMeeting(t *testing.T, what string, r facade.Meeting, want any) {
	t.Helper()
	eqProps(t, what, want,
		accessor{"Title", r.Title(), facade.MeetingTitleProperty},
		accessor{"Body", r.Body(), facade.MeetingBodyProperty},
		accessor{"Outcome", string(r.Outcome()), facade.MeetingOutcomeProperty})
	start, ok := r.Start()
	eqTimeProp(t, what+" Start", start, ok, want, facade.MeetingStartTimeProperty)
	end, ok := r.End()
	eqTimeProp(t, what+" End", end, ok, want, facade.MeetingEndTimeProperty)
}

func contractCases() []contractCase {
	cases := append(v1Cases(), datedV1Cases()...)
	for _, v := range facade.APIVersions {
		for _, a := range []objectCases{emailsAPI, tasksAPI, notesAPI, callsAPI, meetingsAPI, communicationsAPI, postalMailAPI} {
			cases = append(cases, a.cases(v)...)
		}
	}
	return cases
}
