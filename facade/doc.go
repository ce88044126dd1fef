// Package facade is the client Go applications use to log and read sales
// activity in HubSpot. A [Client] serves the CRM object APIs of emails,
// tasks, notes, calls, meetings, communications (WhatsApp, LinkedIn and SMS
// messages) and postal mail (Client.Emails, Tasks, Notes, Calls, Meetings,
// Communications and PostalMail: one generic [ObjectService] each), on the numbered v3 APIs or
// the dated 2026-03 and 2026-09 ones ([WithAPIVersion]; [API2026_09] is
// HubSpot's Current version, for new code), and the legacy v1 engagements
// API of the same five types (Client.Engagements), which keeps working on
// the dated APIs. It is a thin, hand-written layer over the clients
// generated in gen/ from the specs in api/; common work never needs to
// import gen/.
//
//	c, err := facade.New(facade.WithToken(os.Getenv("HUBSPOT_TOKEN")))
//	note, err := c.Engagements.Create(ctx, facade.EngagementInput{
//		Metadata:     &facade.NoteMetadata{Body: "Called, left a message"},
//		Associations: facade.Associations{ContactIDs: []int64{contactID}},
//	})
//	for task, err := range c.Tasks.List(ctx, facade.ListParams{}).All() {
//		...
//	}
//
// Every method names the HubSpot operation it wraps. Every request body is
// built from the types generated from the specs in api/, so a spec change
// that renames or retypes a field fails to compile here; answers decode
// through the generated types too, each record keeping HubSpot's bytes.
//
// # Authentication
//
// New needs credentials, or it fails: WithToken for a private-app access
// token (or a service key), or WithTokenSource for OAuth 2.0. An OAuth token
// is cached and refreshed once when it expires, however many goroutines use
// the Client; build the source from a long-lived context. A request waits
// for a token no longer than its context and its attempt timeout (a token
// endpoint that does not answer fails the call when its context ends). The
// token never appears in an error or a log record, nor does any secret of
// the token request (client secret, refresh token, code, tokens) that the
// token endpoint echoes in its answer: x/oauth2 quotes that answer in its
// errors, and the Client redacts them.
//
// # Scopes
//
// HubSpot grants each app scopes, and its API documents name the ones each
// operation needs. The object services (emails, tasks, notes, calls,
// meetings) read with crm.objects.contacts.read and write (create, update,
// archive, every batch but read) with crm.objects.contacts.write; emails
// also accept sales-email-read, which reading email content needs.
// Associate and Dissociate take any one of a long list of CRM object
// scopes, read or write alike (crm.objects.contacts.read or .write,
// crm.objects.companies.read or .write, crm.objects.deals.read or .write,
// tickets, …), so the object services' own scopes already do; a create's
// associations need no scope beyond the create's. The v1 engagements API
// needs the same scopes as the object it reads or writes.
// A 403 answer of category MISSING_SCOPES matches [ErrMissingScopes];
// [APIError.MissingScopes] names the scopes HubSpot asked for.
//
// # Pagination
//
// Every listing returns a [Pager]: Engagements.List, Engagements.Associated,
// Engagements.RecentlyModified, Engagements.ModifiedAfter,
// Engagements.Changes, Engagements.Dispositions (one page); Emails.List, Emails.Search,
// Emails.Associations, Tasks.List, Tasks.Search, Tasks.Associations,
// Notes.List, Notes.Search, Notes.Associations, Calls.List, Calls.Search,
// Calls.Associations, Meetings.List, Meetings.Search, Meetings.Associations,
// Communications.List, Communications.Search, Communications.Associations,
// PostalMail.List, PostalMail.Search, PostalMail.Associations;
// Client.Changes. Range over
// [Pager.All] for every record (errors are yielded once, then the loop ends;
// break whenever you like), or call [Pager.NextPage] for a page at a time.
// [Pager.Cursor] is an opaque string that resumes the listing exactly where
// you stopped, through the Cursor field of the listing's params, whatever
// paging style HubSpot uses underneath (v1 offset and hasMore, v3 after).
// Nothing is sent before the first record is asked for. Listings default to
// the largest page each endpoint allows (v3 list 100, search 200, v1 paged
// 250, recent 100, modified/after 1,000), so a plain All makes as few
// requests as it can. Search reads past HubSpot's 10,000-result cap when you
// leave Sorts empty (and its filter groups leave room for the restart
// filter); RecentlyModified ends with [ErrRecentModifiedCap] at its cap: use
// ModifiedAfter for a full listing, and Client.Changes (Engagements.Changes
// for v1 code) for an incremental sync with checkpoints. A listing copies its params
// when it is made.
//
// # Errors
//
// Any answer outside 2xx is an [*APIError], whatever its body (HubSpot's JSON
// shapes, an HTML gateway page, nothing): status code, category,
// sub-category, message, correlation id, rate-limit policy, sub-errors and
// context. Match kinds with errors.Is and [ErrNotFound], [ErrUnauthorized],
// [ErrMissingScopes], [ErrRateLimited] and [ErrDailyLimit]. A token an
// answer quotes is redacted from the error. When the context is done, the
// context's error is returned. A create whose answer is lost fails with an
// [*UncertainError] naming the inputs that may have been created. A wait
// for the rate limit that does not fit in the [RetryPolicy] or the context
// fails at once with a [*RateLimitError] saying what HubSpot announced.
// Batch calls return a [BatchResult] with per-input failures and a
// [*BatchError].
//
// # Validation
//
// Input HubSpot would refuse is refused before anything is sent, with a
// field-level [*ValidationError]: a NOTE body over 65536 UTF-16 code units
// (an emoji counts 2; the error gives the measured length), a missing or
// unknown engagement type, empty ids, page sizes outside HubSpot's ranges
// (v1 paged 250, recent 100, v3 list 100, search 200), unknown search
// operators, HubSpot's filter limits (5 groups, 10 filters a group, 25 in
// all), a value of an enumerated property outside its values ([TaskStatus],
// [EmailDirection], [CallStatus], …; the error lists the allowed values),
// empty batches.
//
// # Rate limits
//
// One Client keeps every goroutine that uses it within HubSpot's rolling
// limit — 100 requests per 10 s by default ([WithRateLimit] for the
// Professional and add-on tiers) — and search within its own 5 per second.
// It follows the limit HubSpot announces in its X-HubSpot-RateLimit-*
// headers, up (a Professional account gets its 190 unconfigured) and down
// (other consumers of the same token). A 429 is waited out and retried
// (Retry-After, else until the window frees), except under the DAILY
// policy ([ErrDailyLimit]). 5xx answers, timeouts and dropped connections
// are retried with exponential backoff and full jitter, bounded in attempts
// and time ([RetryPolicy]), only for requests that are safe to repeat: GET,
// PUT, PATCH, DELETE, search and batch read; for those, an answer cut or
// stalled while its body is read is retried the same way. Creates are
// retried only when they provably never reached HubSpot. Every wait, for
// the limiter or a retry, whatever HubSpot announces (one request a day, a
// Retry-After of 0, of hours, or none), fits in what the request has left
// of RetryPolicy.MaxElapsed and of its context's deadline: one that would
// not fails the request at once ([*RateLimitError] for a rate-limit wait,
// which matches [ErrRateLimited]; the failure itself for a backoff). Batch calls take any number of
// inputs, split them into requests of 100 and run them concurrently
// ([WithBatchConcurrency]); All fetches the next page while you handle one.
// [WithLimiter] gives several Clients, or several processes
// (facade/redislimit), one shared budget; implement [Limiter] for another
// store. New refuses WithLimiter beside the options that configure the
// Client's own limiter ([WithRateLimit], [WithSearchRateLimit],
// [WithoutAdaptiveRateLimit]).
//
// # Observing
//
// [WithObserver] receives typed events — every attempt (status, retry,
// waits, rate-limit headers), every wait, the records of every answer and
// HubSpot's total when it gives one — for progress displays and metrics;
// [WithLogger] writes one debug record per attempt, never a token, a query
// or a body.
package facade
