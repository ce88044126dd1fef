package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/engagekit/hubspot-engagements/facade/webhook"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// A receiver that prints each new event. hubspottest.WebhookSender plays
// HubSpot: it signs the deliveries with the app's client secret.
func Example() {
	h, err := webhook.New("the-app-client-secret", func(ctx context.Context, events []webhook.Event) error {
		for _, e := range events {
			fmt.Printf("%s of %s %d\n", e.Kind, e.Object(), e.ObjectID)
		}
		return nil // the events are kept: answer 2xx
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	hubspot := &hubspottest.WebhookSender{URL: srv.URL + "/hubspot", Secret: "the-app-client-secret"}
	task := webhook.Event{EventID: 7, PortalID: 62515, SubscriptionID: 1, SubscriptionType: "object.creation", ObjectTypeID: "0-27", ObjectID: 123}
	fmt.Println(hubspot.Send(context.Background(), task))
	task.AttemptNumber = 1 // HubSpot delivers it again: not handed over twice
	fmt.Println(hubspot.Send(context.Background(), task))

	forger := &hubspottest.WebhookSender{URL: srv.URL + "/hubspot", Secret: "a-guess"}
	err = forger.Send(context.Background(), task)
	if we, ok := errors.AsType[*hubspottest.WebhookError](err); ok {
		fmt.Println("forged:", we.StatusCode)
	}
	// Output:
	// creation of 0-27 123
	// <nil>
	// <nil>
	// forged: 401
}

// Decode reads a delivery's body; fields this package does not know are
// kept in Extra.
func ExampleDecode() {
	events, err := webhook.Decode([]byte(`[{"eventId":1,"subscriptionId":2,"portalId":62515,"occurredAt":1564113600000,
		"subscriptionType":"contact.propertyChange","objectId":123,"propertyName":"lifecyclestage","propertyValue":"lead",
		"changeSource":"CRM_UI","isSensitive":false}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e := events[0]
	fmt.Println(e.Kind, e.Object(), e.ObjectID, e.PropertyName, "=", e.PropertyValue, e.OccurredAt.Format("2006-01-02"))
	fmt.Println(string(e.Extra["isSensitive"]), e.Key())
	// Output:
	// propertyChange contact 123 lifecyclestage = lead 2019-07-26
	// false 62515:2:1
}

// SignV3 is what HubSpot computes; a test can sign its own requests with
// it. The vector is HubSpot's (its Python client's tests).
func ExampleSignV3() {
	fmt.Println(webhook.SignV3("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy", "POST",
		"https://www.example.com/webhook_uri", []byte(`{'example_field':'example_value'}`), "15000000"))
	// Output: HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=
}
