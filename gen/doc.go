// Package gen holds the clients oapi-codegen generates from the OpenAPI
// documents in api/; it has no code of its own. Every package below it is
// generated and never edited by hand, except its generate.go, which holds
// only the //go:generate lines; `make generate` runs them all and
// `make check-generated` fails when the tree differs from what they write.
//
// # Packages
//
//   - engagementsv1: the legacy v1 engagements API (api/engagements-v1.yaml,
//     written by hand).
//   - tasks, emails: HubSpot's v3 tasks and email documents (api/tasks.yaml,
//     api/emails.yaml, byte for byte) with their overlays.
//   - objectsv3: the generic v3 objects API, /crm/v3/objects/{objectType}
//     (api/objects-v3.yaml, written by hand with the corrected tasks
//     document's shapes), for notes, calls and meetings on v3.
//   - v202603/{emails,tasks,notes,calls,meetings,oauth}: HubSpot's 2026-03
//     documents (api/2026-03/*.json, byte for byte) with their overlays. The
//     overlays give the five object packages the same Go names (ListParams,
//     NewGetRequest, SimplePublicObject, ServerInterface.BatchUpsert, …).
//
// Each package P has a sibling package P/Pspec with the spec itself (overlay
// applied, GetSpec) for tests and the fake, so that programs that import
// the client do not link kin-openapi.
//
// # Families
//
// The facade builds bodies from one canonical package per wire and sends
// them with every package's …WithBody request builders: gen/tasks for v3
// (gen/emails, gen/objectsv3 have the same shapes under other names),
// gen/v202603/tasks for 2026-03. internal/gencheck's
// TestGeneratedShapesIdentical fails, naming the package, type and field,
// when a member's model types differ from the canonical package's;
// TestV3And202603Compared pins where v3 and 2026-03 differ on the wire.
//
// # Adding a dated version
//
// A new version (say 2026-09) is a spec drop plus one generate.go per API:
//
//  1. Copy HubSpot's documents, unchanged, to api/2026-09/<api>.json and add
//     one line per document (version, API, sha256) to datedDocs in
//     internal/gencheck/dated_spec_test.go; the test fails on a document
//     that is not in the table, or that has no overlay or package.
//  2. Write api/2026-09/<api>.overlay.yaml, starting from the 2026-03 one;
//     strict mode fails generation on every action whose target moved.
//  3. For each API, gen/v202609/<api>/generate.go: the 2026-03 one with the
//     version changed. Its two lines, `oapigen -dated 2026-09/<api>` and the
//     same with -spec-only, name the spec, overlay, package and outputs by
//     convention (internal/oapigen), and refuse to run in another folder.
//  4. make generate, make test, commit, make check-generated.
//
// A version whose object paths are generic (HubSpot's 2026-09 collection has
// /crm/objects/2026-09/{objectType}) is one API with one overlay and one
// package, as gen/objectsv3 is for v3.
//
// That generates the version; offering it to callers also takes a version
// constant and a wire file in the facade, the documents in
// internal/specdocs, the fake's servers and adapters, and golden contract
// files for every operation (the README's "The dated APIs, and adding a
// version").
package gen
