package facade_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// TestMergeAndGDPRDeleteOnlyFrom2026_09: on the wires HubSpot has no merge
// or GDPR delete on, both fail with a *ValidationError wrapping
// ErrNotOnThisVersion and send nothing.
func TestMergeAndGDPRDeleteOnlyFrom2026_09(t *testing.T) {
	for _, v := range []facade.APIVersion{facade.APIv3, facade.API2026_03} {
		c, rec := fakeClient(t, v)
		_, mergeErr := c.Notes.Merge(t.Context(), facade.MergeInput{PrimaryID: "1", MergedID: "2"})
		gdprErr := c.Tasks.GDPRDelete(t.Context(), facade.GDPRDeleteInput{ID: "1"})
		for name, err := range map[string]error{"Merge": mergeErr, "GDPRDelete": gdprErr} {
			var ve *facade.ValidationError
			if !errors.Is(err, facade.ErrNotOnThisVersion) || !errors.As(err, &ve) || ve.Actual != string(v) {
				t.Errorf("%s %s: err = %v, want a *ValidationError naming %s and wrapping ErrNotOnThisVersion", v, name, err, v)
			}
		}
		if len(rec.sent) != 0 {
			t.Errorf("%s: %d requests sent", v, len(rec.sent))
		}
	}
}

// TestMergeGDPRDeleteAndLabelsOn2026_09 against the fake: a merge keeps
// the primary record and its values, takes the merged record's where the
// primary has none and its associations, and lists it in
// hs_merged_object_ids; the merged record is gone. Associations lists each
// associated record with its types. GDPRDelete leaves nothing, not even in
// the recycling bin.
func TestMergeGDPRDeleteAndLabelsOn2026_09(t *testing.T) {
	c, _ := fakeClient(t, facade.API2026_09)
	ctx := t.Context()
	primary, err := c.Notes.Create(ctx, facade.CreateInput{Properties: facade.Properties{facade.NoteBodyProperty: "kept"},
		Associations: []facade.AssociationTarget{{ObjectType: facade.Contacts, ID: "5001"}}})
	if err != nil {
		t.Fatal(err)
	}
	merged, err := c.Notes.Create(ctx, facade.CreateInput{Properties: facade.Properties{facade.NoteBodyProperty: "dropped", facade.AttachmentIDsProperty: "77"},
		Associations: []facade.AssociationTarget{{ObjectType: facade.Contacts, ID: "5002"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Notes.Merge(ctx, facade.MergeInput{PrimaryID: primary.ID(), MergedID: primary.ID()}); err == nil {
		t.Error("a record merged into itself")
	}
	got, err := c.Notes.Merge(ctx, facade.MergeInput{PrimaryID: primary.ID(), MergedID: merged.ID()})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID() != primary.ID() || got.Body() != "kept" {
		t.Errorf("merged record %s %q, want %s \"kept\"", got.ID(), got.Body(), primary.ID())
	}
	read, err := c.Notes.Get(ctx, primary.ID(), facade.GetParams{Properties: []string{facade.AttachmentIDsProperty, "hs_merged_object_ids"}})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := read.Property(facade.AttachmentIDsProperty); a.Value != "77" {
		t.Errorf("attachments %q, want the merged record's 77", a.Value)
	}
	if m, _ := read.Property("hs_merged_object_ids"); m.Value != merged.ID() {
		t.Errorf("hs_merged_object_ids %q, want %s", m.Value, merged.ID())
	}
	if _, err := c.Notes.Get(ctx, merged.ID(), facade.GetParams{}); !errors.Is(err, facade.ErrNotFound) {
		t.Errorf("merged record still read: %v", err)
	}
	as, err := facade.ReadAll(c.Notes.Associations(ctx, primary.ID(), facade.AssociationsParams{ToObjectType: facade.Contacts}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range as {
		ids = append(ids, a.ID)
		if len(a.Types) != 1 || a.Types[0].TypeID != facade.NoteToContact || a.Types[0].Category != facade.HubSpotDefined {
			t.Errorf("%s: types %+v, want note to contact (202, HUBSPOT_DEFINED)", a.ID, a.Types)
		}
	}
	if slices.Sort(ids); !slices.Equal(ids, []string{"5001", "5002"}) {
		t.Errorf("associated %v, want both records' contacts", ids)
	}
	if err := c.Notes.GDPRDelete(ctx, facade.GDPRDeleteInput{ID: primary.ID()}); err != nil {
		t.Fatal(err)
	}
	for _, archived := range []bool{false, true} {
		if _, err := c.Notes.Get(ctx, primary.ID(), facade.GetParams{Archived: archived}); !errors.Is(err, facade.ErrNotFound) {
			t.Errorf("archived=%v: deleted record read: %v", archived, err)
		}
	}
}
