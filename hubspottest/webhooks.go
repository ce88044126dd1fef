package hubspottest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/engagekit/hubspot-engagements/facade/webhook"
)

// WebhookAppID is the appId of the events WebhookEvents makes.
const WebhookAppID = 1001

// The subscription ids of the events WebhookEvents makes, one per kind, as
// an app with one generic subscription of each kind would see them.
const (
	WebhookSubscriptionCreation       = 1
	WebhookSubscriptionPropertyChange = 2
	WebhookSubscriptionDeletion       = 3
)

// WebhookSender delivers webhook requests the way HubSpot does: POSTs of a
// JSON array of at most BatchSize events, signed with the app's client
// secret (X-HubSpot-Signature-v3 with X-HubSpot-Request-Timestamp, and the
// v1 X-HubSpot-Signature HubSpot sends beside it), so that a receiver can
// be tested without HubSpot.
type WebhookSender struct {
	URL    string // the receiver's URL
	Secret string // the app's client secret
	// Client sends the requests; nil means a client with HubSpot's 5 s
	// timeout.
	Client *http.Client
	// BatchSize is how many events go in one request; 0 means HubSpot's
	// 100.
	BatchSize int
	// Now gives the signatures' timestamp; nil means time.Now. A clock
	// six minutes behind makes stale deliveries.
	Now func() time.Time
}

// WebhookError is a delivery the receiver did not answer with 2xx.
type WebhookError struct {
	StatusCode int    // the receiver's status
	Body       string // the start of its answer
}

// Error gives the status and the start of the answer.
func (e *WebhookError) Error() string {
	return fmt.Sprintf("hubspottest: webhook delivery answered %d: %s", e.StatusCode, e.Body)
}

// Request returns the signed POST of body to the sender's URL, for a test
// that sends it itself (or changes it first).
func (w *WebhookSender) Request(ctx context.Context, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	ts := webhook.Timestamp(now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "HubSpot Connect 2.0 (hubspottest)")
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignatureV3, webhook.SignV3(w.Secret, http.MethodPost, w.URL, body, ts))
	req.Header.Set(webhook.HeaderSignatureVersion, "v1")
	req.Header.Set(webhook.HeaderSignature, webhook.SignV1(w.Secret, body))
	return req, nil
}

// Post sends body, signed, and returns nil when the receiver answered
// 2xx, else a *WebhookError (or the error of the request).
func (w *WebhookSender) Post(ctx context.Context, body []byte) error {
	req, err := w.Request(ctx, body)
	if err != nil {
		return err
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: webhook.DefaultTimeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &WebhookError{StatusCode: resp.StatusCode, Body: string(bytes.TrimSpace(answer))}
	}
	return nil
}

// Send delivers events in requests of at most BatchSize events, in order,
// and stops at the first one not answered 2xx.
func (w *WebhookSender) Send(ctx context.Context, events ...webhook.Event) error {
	size := w.BatchSize
	if size <= 0 {
		size = 100
	}
	for batch := range slices.Chunk(events, size) {
		body, err := webhook.Encode(batch)
		if err != nil {
			return err
		}
		if err := w.Post(ctx, body); err != nil {
			return err
		}
	}
	return nil
}

// DeliverWebhooks sends events, signed with secret, to url as HubSpot
// would (see WebhookSender); with no events it sends WebhookEvents(), the
// changes the server holds.
func (s *Server) DeliverWebhooks(ctx context.Context, url, secret string, events ...webhook.Event) error {
	if len(events) == 0 {
		events = s.WebhookEvents()
	}
	return (&WebhookSender{URL: url, Secret: secret}).Send(ctx, events...)
}

// WebhookEvents returns the webhook events HubSpot would send an app with
// generic (object.*) subscriptions for the changes the server holds of
// objectTypes (every type it stores when none is given): each record's
// creation, each change of a property after it, and its archiving as a
// deletion, ordered by time, then object id. Their event ids are derived
// from the change, so calling it again gives the same ids, as a
// redelivery has.
func (s *Server) WebhookEvents(objectTypes ...string) []webhook.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(objectTypes) == 0 {
		objectTypes = slices.Sorted(func(yield func(string) bool) {
			for name := range s.objects {
				if !yield(name) {
					return
				}
			}
		})
	}
	var events []webhook.Event
	for _, name := range objectTypes {
		st := s.objects[name]
		if st == nil {
			continue
		}
		typeID := typeIDs[name]
		for _, o := range st.order {
			ev := func(kind webhook.Kind, sub int64, at time.Time, prop string, value *string) webhook.Event {
				e := webhook.Event{
					SubscriptionID: sub, PortalID: s.cfg.portalID, AppID: WebhookAppID,
					OccurredAt: at.UTC(), SubscriptionType: "object." + string(kind), Kind: kind,
					ObjectTypeID: typeID, ObjectID: o.num, ChangeSource: "API",
				}
				e.EventID = eventID(name, o.num, string(kind), prop, at)
				if kind == webhook.KindPropertyChange {
					e.PropertyName = prop
					if value != nil {
						e.PropertyValue = *value
					}
				}
				return e
			}
			events = append(events, ev(webhook.KindCreation, WebhookSubscriptionCreation, o.createdAt, "", nil))
			for prop, hist := range o.history {
				for _, h := range hist {
					if h.at.After(o.createdAt) {
						events = append(events, ev(webhook.KindPropertyChange, WebhookSubscriptionPropertyChange, h.at, prop, h.value))
					}
				}
			}
			if !o.live() {
				events = append(events, ev(webhook.KindDeletion, WebhookSubscriptionDeletion, o.archivedAt, "", nil))
			}
		}
	}
	slices.SortStableFunc(events, func(a, b webhook.Event) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.ObjectID, b.ObjectID),
			cmp.Compare(a.SubscriptionID, b.SubscriptionID), cmp.Compare(a.PropertyName, b.PropertyName))
	})
	return events
}

// eventID derives an event's id from what changed, when: positive, below
// 2^53 (HubSpot's ids are JSON numbers that JavaScript reads exactly).
func eventID(objectType string, id int64, kind, prop string, at time.Time) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00%d", objectType, id, kind, prop, at.UnixNano())
	return int64(h.Sum64()>>11) + 1 // 53 bits
}
