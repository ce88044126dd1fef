package facade_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestWriteValidationFrom2026_09: a property the account's create-record
// form requires (hubspottest's RequiredOnCreate) is enforced on API writes
// from 2026-09 on, as HubSpot's changelog "CRM API write validation
// enforcement" says: every create that leaves it out is answered 400
// VALIDATION_ERROR (MISSING_REQUIRED_PROPERTY), surfaced as an *APIError
// that matches ErrRequiredProperty and names the property, sent once (not
// retried), nothing stored. v3 and 2026-03 accept the same requests, and an
// update without it is accepted on every wire.
func TestWriteValidationFrom2026_09(t *testing.T) {
	const required = "hs_attachment_ids"
	body := facade.Properties{facade.NoteBodyProperty: "Called back"}
	with := facade.Properties{facade.NoteBodyProperty: "Called back", required: "187004315642"}
	creates := []struct {
		name string
		run  func(ctx context.Context, c *facade.Client) error
	}{
		{"Create", func(ctx context.Context, c *facade.Client) error {
			_, err := c.Notes.Create(ctx, facade.CreateInput{Properties: body})
			return err
		}},
		{"BatchCreate", func(ctx context.Context, c *facade.Client) error {
			_, err := c.Notes.BatchCreate(ctx, []facade.CreateInput{{Properties: with}, {Properties: body}}, facade.BatchCreateParams{})
			return err
		}},
		{"BatchUpsert", func(ctx context.Context, c *facade.Client) error {
			_, err := c.Notes.BatchUpsert(ctx, []facade.UpsertInput{{ID: "ext-1", Properties: body}}, facade.BatchUpsertParams{IDProperty: "ext_key"})
			return err
		}},
		{"Engagements.Create", func(ctx context.Context, c *facade.Client) error {
			_, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: "Called back"}})
			return err
		}},
	}
	for _, v := range facade.APIVersions {
		for _, tc := range creates {
			t.Run(string(v)+"/"+tc.name, func(t *testing.T) {
				c, rec := fakeClient(t, v,
					hubspottest.WithProperty("notes", hubspottest.Property{Name: required, RequiredOnCreate: true}),
					hubspottest.WithProperty("notes", hubspottest.Property{Name: "ext_key", Unique: true}))
				err := tc.run(t.Context(), c)
				if v != facade.API2026_09 {
					if err != nil {
						t.Fatalf("refused on %s, which does not enforce the form: %v", v, err)
					}
					return
				}
				var api *facade.APIError
				if !errors.As(err, &api) || api.StatusCode != http.StatusBadRequest || api.Category != "VALIDATION_ERROR" {
					t.Fatalf("err = %v, want a 400 VALIDATION_ERROR *APIError", err)
				}
				if !errors.Is(err, facade.ErrRequiredProperty) {
					t.Errorf("%v does not match ErrRequiredProperty", err)
				}
				if got := api.RefusedProperties(); !slices.Equal(got, []string{required}) {
					t.Errorf("RefusedProperties = %q, want [%s]", got, required)
				}
				if len(api.Errors) == 0 || api.Errors[0].Code != facade.CodeMissingRequiredProperty {
					t.Errorf("errors = %+v, want a %s entry", api.Errors, facade.CodeMissingRequiredProperty)
				}
				if n := len(rec.sent); n != 1 {
					t.Errorf("%d requests sent, want 1 (a refusal is not retried)", n)
				}
				for n, err := range c.Notes.List(t.Context(), facade.ListParams{}).All() {
					t.Errorf("stored %v, %v", n.ID(), err)
				}
			})
		}
	}
	// An update is no create: the form does not apply.
	for _, v := range facade.APIVersions {
		c, _ := fakeClient(t, v)
		n, err := c.Notes.Create(t.Context(), facade.CreateInput{Properties: with})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Notes.Update(t.Context(), facade.UpdateInput{ID: n.ID(), Properties: facade.Properties{facade.NoteBodyProperty: "Later"}})
		if err != nil {
			t.Errorf("%s: update refused: %v", v, err)
		}
	}
}

// TestRequiredPropertyIsNotOtherValidationErrors: ErrRequiredProperty
// matches only the answers naming a required property; an invalid value
// is a VALIDATION_ERROR too, and RefusedProperties names its property.
func TestRequiredPropertyIsNotOtherValidationErrors(t *testing.T) {
	c, _ := fakeClient(t, facade.API2026_09, hubspottest.WithProperty("notes", hubspottest.Property{Name: "level", Type: hubspottest.Number}))
	_, err := c.Notes.Create(t.Context(), facade.CreateInput{Properties: facade.Properties{facade.NoteBodyProperty: "x", "level": "high"}})
	var api *facade.APIError
	if !errors.As(err, &api) || errors.Is(err, facade.ErrRequiredProperty) {
		t.Fatalf("err = %v: want an *APIError that is no ErrRequiredProperty", err)
	}
	if got := api.RefusedProperties(); !slices.Equal(got, []string{"level"}) {
		t.Errorf("RefusedProperties = %q, want [level]", got)
	}
}
