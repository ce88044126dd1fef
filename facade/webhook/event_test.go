package webhook

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDecode(t *testing.T) {
	at := time.UnixMilli(1564113600000).UTC()
	tests := []struct {
		name string
		body string
		want Event
	}{
		{"creation (HubSpot's v1 example)", docBody, Event{
			EventID: 1, SubscriptionID: 12345, PortalID: 62515, AppID: 54321, OccurredAt: at,
			SubscriptionType: "contact.creation", Kind: KindCreation, ObjectID: 123, ChangeSource: "CRM", ChangeFlag: "NEW"}},
		{"property change", `[{"eventId":2,"subscriptionId":7,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.propertyChange","attemptNumber":3,"objectId":123,"propertyName":"lifecyclestage","propertyValue":"lead","changeSource":"CRM_UI","sourceId":"userId:45678"}]`, Event{
			EventID: 2, SubscriptionID: 7, PortalID: 62515, OccurredAt: at, SubscriptionType: "contact.propertyChange", Kind: KindPropertyChange,
			AttemptNumber: 3, ObjectID: 123, PropertyName: "lifecyclestage", PropertyValue: "lead", ChangeSource: "CRM_UI", SourceID: "userId:45678"}},
		{"property cleared", `[{"eventId":3,"subscriptionType":"deal.propertyChange","propertyName":"amount","propertyValue":""}]`, Event{
			EventID: 3, SubscriptionType: "deal.propertyChange", Kind: KindPropertyChange, PropertyName: "amount"}},
		{"deletion", `[{"eventId":4,"subscriptionType":"company.deletion","objectId":9,"changeFlag":"DELETED"}]`, Event{
			EventID: 4, SubscriptionType: "company.deletion", Kind: KindDeletion, ObjectID: 9, ChangeFlag: "DELETED"}},
		{"merge", `[{"eventId":5,"subscriptionType":"contact.merge","objectId":10,"primaryObjectId":10,"mergedObjectIds":[11,"12"],"newObjectId":13,"numberOfPropertiesMoved":4}]`, Event{
			EventID: 5, SubscriptionType: "contact.merge", Kind: KindMerge, ObjectID: 10,
			Merge: &Merge{PrimaryObjectID: 10, MergedObjectIDs: []int64{11, 12}, NewObjectID: 13, NumberOfPropertiesMoved: 4}}},
		{"association change", `[{"eventId":6,"subscriptionType":"contact.associationChange","associationType":"CONTACT_TO_COMPANY","fromObjectId":1,"toObjectId":2,"associationRemoved":true,"isPrimaryAssociation":false}]`, Event{
			EventID: 6, SubscriptionType: "contact.associationChange", Kind: KindAssociationChange,
			Association: &Association{AssociationType: "CONTACT_TO_COMPANY", FromObjectID: 1, ToObjectID: 2, AssociationRemoved: true}}},
		{"generic association change of a task", `[{"eventId":7,"subscriptionType":"object.associationChange","objectTypeId":"0-27","fromObjectTypeId":"0-27","fromObjectId":100,"toObjectTypeId":"0-1","toObjectId":200,"associationTypeId":204,"associationCategory":"HUBSPOT_DEFINED","associationRemoved":false,"isPrimaryAssociation":false}]`, Event{
			EventID: 7, SubscriptionType: "object.associationChange", Kind: KindAssociationChange, ObjectTypeID: "0-27",
			Association: &Association{AssociationTypeID: 204, AssociationCategory: "HUBSPOT_DEFINED", FromObjectTypeID: "0-27", FromObjectID: 100, ToObjectTypeID: "0-1", ToObjectID: 200}}},
		{"restore", `[{"eventId":8,"subscriptionType":"deal.restore","objectId":5}]`, Event{
			EventID: 8, SubscriptionType: "deal.restore", Kind: KindRestore, ObjectID: 5}},
		{"privacy deletion", `[{"eventId":9,"subscriptionType":"contact.privacyDeletion","objectId":5}]`, Event{
			EventID: 9, SubscriptionType: "contact.privacyDeletion", Kind: KindPrivacyDeletion, ObjectID: 5}},
		{"generic creation of a note", `[{"eventId":10,"subscriptionType":"object.creation","objectTypeId":"0-46","objectId":"77","changeSource":"API"}]`, Event{
			EventID: 10, SubscriptionType: "object.creation", Kind: KindCreation, ObjectTypeID: "0-46", ObjectID: 77, ChangeSource: "API"}},
		{"unknown kind and fields kept", `[{"eventId":11,"subscriptionType":"conversation.newMessage","messageId":"abc","messageType":"MESSAGE","objectId":{"odd":true}}]`, Event{
			EventID: 11, SubscriptionType: "conversation.newMessage", Kind: "newMessage",
			Extra: map[string]json.RawMessage{"messageId": json.RawMessage(`"abc"`), "messageType": json.RawMessage(`"MESSAGE"`), "objectId": json.RawMessage(`{"odd":true}`)}}},
		{"string eventId", `[{"eventId":"12","portalId":"3"}]`, Event{EventID: 12, PortalID: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 {
				t.Fatalf("%d events", len(events))
			}
			if diff := cmp.Diff(tt.want, events[0], cmpopts.IgnoreFields(Event{}, "Raw")); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
			var again []json.RawMessage
			if err := json.Unmarshal([]byte(tt.body), &again); err != nil || string(events[0].Raw) != string(again[0]) {
				t.Errorf("Raw = %s, want the event as sent", events[0].Raw)
			}
			checkRoundTrip(t, events)
		})
	}
}

// checkRoundTrip: events written back and read again do not change.
func checkRoundTrip(t *testing.T, events []Event) {
	t.Helper()
	b, err := Encode(events)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatalf("re-decoding %s: %v", b, err)
	}
	if diff := cmp.Diff(events, back, cmpopts.IgnoreFields(Event{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("round trip through %s: -first +second:\n%s", b, diff)
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name, body string
		index      int
	}{
		{"not JSON", `{`, -1},
		{"an object", `{"eventId":1}`, -1},
		{"null", `null`, -1},
		{"a string", `"[]"`, -1},
		{"an event not an object", `[{"eventId":1},3]`, 1},
		{"no eventId", `[{"subscriptionType":"contact.creation"}]`, 0},
		{"eventId not an integer", `[{"eventId":1.5}]`, 0},
		{"eventId null", `[{"eventId":null}]`, 0},
		{"eventId text", `[{"eventId":"x"}]`, 0},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.body))
		de, ok := errors.AsType[*DecodeError](err)
		if !ok {
			t.Errorf("%s: err = %v, want a *DecodeError", tt.name, err)
			continue
		}
		if de.Index != tt.index {
			t.Errorf("%s: index %d, want %d (%v)", tt.name, de.Index, tt.index, err)
		}
	}
	if events, err := Decode([]byte(` [] `)); err != nil || len(events) != 0 {
		t.Errorf("empty array: %v, %v", events, err)
	}
}

func TestEventObjectAndKey(t *testing.T) {
	e := Event{EventID: 3, SubscriptionID: 2, PortalID: 1, SubscriptionType: "object.creation", ObjectTypeID: "0-27"}
	if got := e.Object(); got != "0-27" {
		t.Errorf("Object() = %q", got)
	}
	if got := e.Key(); got != "1:2:3" {
		t.Errorf("Key() = %q", got)
	}
	e.SubscriptionType = "deal.creation"
	if got := e.Object(); got != "deal" {
		t.Errorf("Object() = %q", got)
	}
	if !KindRestore.Known() || Kind("newMessage").Known() {
		t.Error("Known")
	}
}

func TestMemoryStoreForgetsOldest(t *testing.T) {
	m := NewMemoryStore(3)
	ctx := t.Context()
	for _, k := range []string{"a", "b", "c", "a", "d", "e"} {
		if err := m.Add(ctx, []string{k}); err != nil {
			t.Fatal(err)
		}
	}
	seen, _ := m.Seen(ctx, []string{"a", "b", "c", "d", "e"})
	if want := []bool{false, false, true, true, true}; !cmp.Equal(seen, want) {
		t.Errorf("seen %v, want %v", seen, want)
	}
	if m.Len() != 3 {
		t.Errorf("Len %d", m.Len())
	}
}
