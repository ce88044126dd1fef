// Package hubspottest is an in-process fake of HubSpot's engagement APIs for
// Go tests: the legacy v1 engagements API (create, get, update, delete, the
// paged, recent/modified, modified/after and associated listings, and call
// dispositions) and the v3 CRM objects API of tasks and emails (list, create,
// get, update, archive, batch read/create/update/archive, search and
// associations).
//
// Start one with NewServer, point the code under test at Server.URL with the
// bearer token Server.Token, and inspect what it stored (Server.Tasks,
// Server.Engagement, …) and what it was asked (Server.Requests):
//
//	srv := hubspottest.NewServer()
//	defer srv.Close()
//	ids := srv.SeedTasks(3)
//
// Every answer follows the project's OpenAPI documents (api/*.yaml with their
// overlays) and HubSpot's recorded behaviour: ids above 2^32, times in epoch
// milliseconds (v1) and RFC 3339 with milliseconds (v3), HubSpot's error
// bodies, an X-HubSpot-Correlation-Id header on every answer, and HubSpot's
// paging rules and caps.
//
// # Authentication
//
// A request without a registered bearer token (see Server.Token and
// Server.AddToken) is answered 401 with category INVALID_AUTHENTICATION.
//
// # Pagination
//
//   - v1 paged and associated: limit ≤ 250 (default 100); offset is the last
//     id of the previous page; hasMore.
//   - v1 recent/modified: count ≤ 100 (default 20), since (ms), offset is a
//     position, total; newest first; records of the last 30 days only and
//     never past the 10,000th (hasMore is false there).
//   - v1 modified/after: after is epoch ms or the previous answer's after
//     cursor; limit ≤ 1000; oldest modification first.
//   - v3 list: limit ≤ 100 (default 10); paging.next.after (last id + 1) and
//     paging.next.link (absolute URL); no paging on the last page.
//   - v3 search: limit ≤ 200 (default 10); after is a numeric offset; total;
//     after+limit past 10,000 is answered 400 VALIDATION_ERROR. Without sorts,
//     results are in hs_object_id order, ascending; sorts put unset values
//     last and break ties by hs_object_id.
//
// # Search
//
// filterGroups are ORed, the filters of a group ANDed. Values compare as
// numbers when both sides read as numbers or dates (RFC 3339, YYYY-MM-DD or
// epoch ms), else as case-insensitive text. CONTAINS_TOKEN matches the whole
// value, a whitespace-separated word or an alphanumeric run against the
// token, where * stands for any text. An unset value meets only
// NOT_HAS_PROPERTY, NEQ, NOT_IN and NOT_CONTAINS_TOKEN. query is a
// case-insensitive substring of the type's text properties (hs_task_subject,
// hs_task_body; hs_email_subject, hs_email_text, hs_email_html).
//
// # Rate limits
//
// Off by default. WithRateLimit sets a rolling window per token (search
// requests are not counted in it), WithSearchRateLimit a per-second limit of
// search requests, WithDailyLimit a daily count; Server.SetRateLimit changes
// the window while running and WithClock makes windows deterministic.
// Answers carry the X-HubSpot-RateLimit-* headers of the limits that are on
// (search answers only the daily pair); a refused request is answered 429
// with HubSpot's body (policyName TEN_SECONDLY_ROLLING or DAILY, or category
// RATE_LIMITS for search) and is not counted.
//
// # Faults
//
// WithLatency delays answers; WithFaults injects, deterministically from a
// seed, HTML gateway errors (502/503/504), dropped connections and creates
// whose answer is lost after they were stored. Server.FaultStats counts them.
// Requests refused for authentication never meet a fault.
package hubspottest
