// Package webhook receives HubSpot's webhook deliveries: an http.Handler
// that checks HubSpot's request signatures, decodes the events, drops
// HubSpot's redeliveries and answers 2xx only once the application kept
// the events, so that HubSpot retries whatever was not.
//
//	h, err := webhook.New(os.Getenv("HUBSPOT_CLIENT_SECRET"),
//		func(ctx context.Context, events []webhook.Event) error {
//			return db.Save(ctx, events) // nil once they are safe
//		})
//	if err != nil { … }
//	http.Handle("POST /hubspot/webhooks", h)
//
// # Signatures
//
// HubSpot signs each request with the app's client secret ("Validating
// requests from HubSpot"). The v3 signature, X-HubSpot-Signature-v3, is
// base64 of HMAC-SHA256 over the method, the URL HubSpot called (scheme,
// host, path and query, with the twelve escapes HubSpot lists decoded: see
// CanonicalURI), the body and X-HubSpot-Request-Timestamp. A request whose
// timestamp is more than five minutes from this host's clock is refused
// (WithMaxAge), so a recorded delivery cannot be replayed later. The older
// v1 and v2 signatures (X-HubSpot-Signature: hex SHA-256 of secret + body,
// or of secret + method + URL + body) carry no timestamp and are accepted
// only WithLegacySignatures, for a request without a v3 signature.
// Signatures are compared in constant time, after decoding; neither they
// nor the secret are ever logged or put in an error.
//
// Behind a proxy that changes the scheme, host or path of the request,
// give the URL HubSpot calls WithURL; otherwise the Handler rebuilds it
// from the request (https when the connection is TLS or X-Forwarded-Proto
// says so).
//
// # Answers
//
// The body is read through http.MaxBytesReader (WithMaxBody, default
// 8 MiB). A request unsigned, wrongly signed or stale gets 401, a signed
// body that is not an array of events 400, a body over the bound 413: the
// application is not called for any of them. HubSpot does not retry 400
// and 401.
//
// HubSpot waits 5 seconds for an answer, then counts the delivery failed
// and retries it (up to 10 times, over about a day). The Handler calls the
// application with a context whose deadline falls a little before then
// (WithTimeout; an X-HubSpot-Timeout-Millis header shortens it) and
// answers by that deadline whatever the application does: 204 once it
// returned nil, 500 when it failed, 503 when it did not finish in time.
// An application that ignores its context keeps running after the answer
// (Wait waits for it); if it then succeeds its events count as handled.
//
// # Events and redeliveries
//
// Decode reads HubSpot's payload, an array of events, into Event values:
// the fields HubSpot documents for the CRM subscriptions (creation,
// propertyChange, deletion, merge, associationChange, restore,
// privacyDeletion of contacts, companies, deals, tickets, …) and the
// generic object.* subscriptions whose objectTypeId names the type, the
// activities among them (0-27 tasks, 0-46 notes, 0-47 meetings, 0-48
// calls, 0-49 emails). Fields and kinds this package does not know are kept
// (Event.Extra, Event.Kind), and Event.Raw is the event as sent.
//
// HubSpot delivers an event again when it saw no 2xx in time, and may
// deliver one twice anyway. The Handler remembers the events the
// application handled, by portal, subscription and event id (Event.Key),
// in a Store: by default a MemoryStore of the last 100,000 events, which a
// restart forgets; give a persistent one WithStore to de-duplicate across
// restarts or between several receivers. Events are recorded only after
// the application succeeded, and an event being handled by one delivery
// makes a concurrent delivery of it answer 409, which HubSpot retries.
//
// # Testing
//
// hubspottest.WebhookSender delivers signed deliveries like HubSpot's to
// a URL, with events of the changes a hubspottest.Server holds or events
// of your own.
package webhook
