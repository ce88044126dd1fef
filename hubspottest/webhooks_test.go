package hubspottest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade/webhook"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// receiver is a webhook.Handler on a test server that keeps what it got.
type receiver struct {
	mu     sync.Mutex
	calls  int
	events []webhook.Event
	url    string
}

func newReceiver(t *testing.T, secret string) *receiver {
	rc := &receiver{}
	h, err := webhook.New(secret, func(_ context.Context, events []webhook.Event) error {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.calls++
		rc.events = append(rc.events, events...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rc.url = srv.URL + "/hubspot/webhooks?tenant=a%2Ab"
	return rc
}

func TestWebhookEventsOfTheStore(t *testing.T) {
	clk := newClock()
	srv, c := start(t, hubspottest.WithClock(clk.Now))
	ids := srv.SeedTasks(3)
	clk.Add(time.Second)
	c.call("PATCH", "/crm/v3/objects/tasks/"+ids[1], map[string]any{"properties": map[string]string{"hs_task_subject": "Call back"}}, 200, nil)
	clk.Add(time.Second)
	c.call("DELETE", "/crm/v3/objects/tasks/"+ids[2], nil, 204, nil)

	events := srv.WebhookEvents("tasks")
	var kinds []string
	for _, e := range events {
		if e.ObjectTypeID != "0-27" || e.PortalID == 0 || e.EventID <= 0 || e.EventID > 1<<53 || e.OccurredAt.IsZero() {
			t.Errorf("event %+v lacks its type id, portal, id or time", e)
		}
		kinds = append(kinds, string(e.Kind)+":"+e.PropertyName)
	}
	want := []string{"creation:", "creation:", "creation:", "propertyChange:hs_task_subject", "deletion:"}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v", kinds, want)
		}
	}
	if events[3].PropertyValue != "Call back" {
		t.Errorf("property change %+v", events[3])
	}
	again := srv.WebhookEvents("tasks")
	for i := range events {
		if again[i].EventID != events[i].EventID {
			t.Fatalf("event ids change between calls: %d, %d", events[i].EventID, again[i].EventID)
		}
	}

	// Delivered to a receiver: each once, also when delivered again.
	const secret = "client-secret"
	rc := newReceiver(t, secret)
	for range 2 {
		if err := srv.DeliverWebhooks(t.Context(), rc.url, secret); err != nil {
			t.Fatal(err)
		}
	}
	if rc.calls != 1 || len(rc.events) != len(srv.WebhookEvents()) {
		t.Errorf("%d calls, %d events; want 1 call with %d", rc.calls, len(rc.events), len(srv.WebhookEvents()))
	}
}

func TestWebhookSenderRefused(t *testing.T) {
	rc := newReceiver(t, "right")
	events := []webhook.Event{{EventID: 1, PortalID: 2, SubscriptionType: "object.creation", ObjectTypeID: "0-46", ObjectID: 3}}
	tests := []struct {
		name   string
		sender hubspottest.WebhookSender
		status int
	}{
		{"wrong secret", hubspottest.WebhookSender{URL: rc.url, Secret: "wrong"}, http.StatusUnauthorized},
		{"stale", hubspottest.WebhookSender{URL: rc.url, Secret: "right", Now: func() time.Time { return time.Now().Add(-6 * time.Minute) }}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		err := tt.sender.Send(t.Context(), events...)
		if we, ok := errors.AsType[*hubspottest.WebhookError](err); !ok || we.StatusCode != tt.status {
			t.Errorf("%s: err %v, want status %d", tt.name, err, tt.status)
		}
	}
	// Batches of BatchSize, in order.
	many := make([]webhook.Event, 5)
	for i := range many {
		many[i] = webhook.Event{EventID: int64(10 + i)}
	}
	if err := (&hubspottest.WebhookSender{URL: rc.url, Secret: "right", BatchSize: 2}).Send(t.Context(), many...); err != nil {
		t.Fatal(err)
	}
	if rc.calls != 3 || len(rc.events) != 5 || rc.events[4].EventID != 14 {
		t.Errorf("%d calls, %d events", rc.calls, len(rc.events))
	}
}
