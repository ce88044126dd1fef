package hubspottest

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// FuzzEncodeView checks that a record is encoded to the same bytes as
// encoding/json would write for it, on every wire, whatever its properties
// hold.
func FuzzEncodeView(f *testing.F) {
	f.Add("hs_task_subject", "lead 1", "hs_task_body", "<p>a & b</p>", false)
	f.Add("hs_note_body", "é \u2028 \u2029 \x7f", "x", "", true)
	f.Add("a\"b", "back\\slash\n\t", "\xff", "\xed\xa0\x80", false)
	f.Add("\x00properties", "", "z", "\x00", true)
	f.Add("a", "a<b", "b", "a>b", false)
	f.Add("c", "a&b", "d", "\u2028", false)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, null bool) {
		at := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)
		props := map[string]*string{k1: &v1, k2: &v2, "hs_object_id": ptr("7")}
		if null {
			props[k2] = nil
		}
		every := slices.Sorted(slices.Values([]string{k1, k2, "hs_object_id", "a", "zz"})) // may repeat a name
		for _, v := range []view{
			{id: "7", created: at, updated: at, props: props},
			{id: "7", created: at, updated: at, props: props, order: every},
			{id: "7", created: at, updated: at, props: props, order: []string{"hs_object_id"}}, // lists too few: sorted
			{id: "7", created: at, updated: at, props: props, order: []string{}},
			{id: "8", created: at, updated: at, archivedAt: at, props: props, assoc: map[string][]assocEntry{"contacts": {{id: "1", typ: "task_to_contact"}}}},
			{id: "9", created: at, updated: at},
			{id: "10", created: at, updated: at, props: map[string]*string{}},
		} {
			for name, plain := range map[string]func(view) any{"v3": plainV3, "dated record": plainDatedRecord, "dated object": plainDatedObject} {
				want, err := json.Marshal(plain(v))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := encodeView(&got, v, plain); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s %s:\n got %s\nwant %s", name, v.id, got.Bytes(), want)
				}
			}
		}
	})
}

// TestPropertyNamesSorted: appendProps writes the properties in the order
// of their store's names, which must be json.Marshal's (sorted), also after
// a custom property is added.
func TestPropertyNamesSorted(t *testing.T) {
	for name := range objectKinds {
		ps := newPropertySet(tableProps(props.All(name)), nil)
		ps.add(Property{Name: "aaa_custom"})
		ps.add(Property{Name: "zzz_custom", Unique: true})
		if want := slices.Sorted(maps.Keys(ps.defs)); !slices.Equal(ps.names, want) {
			t.Errorf("%s: names %v, want %v", name, ps.names, want)
		}
	}
}
