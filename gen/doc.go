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
//   - v202603: HubSpot's five 2026-03 object documents
//     (api/2026-03/{emails,tasks,notes,calls,meetings}.json, byte for byte),
//     merged by internal/oapigen into one path family,
//     /crm/objects/2026-03/{objectType}…, with api/2026-03/objects.overlay.yaml.
//     The merge takes the association paths and the components once and
//     fails, naming the schema or path, when the documents differ in
//     anything but texts and security sets. v202603/oauth is the version's
//     OAuth API (api/2026-03/oauth.json).
//   - v202609: HubSpot's seven 2026-09 object documents (the five, plus
//     communications and postal_mail), merged the same way into
//     /crm/objects/2026-09/{objectType}…, with api/2026-09/objects.overlay.yaml.
//     Its bodies and parameters have 2026-03's shapes; it adds Merge,
//     GdprDelete and AssociationsWithLabels.
//
// Each package P has a sibling package P/Pspec with the spec itself (overlay
// applied, GetSpec) for tests and the fake, so that programs that import
// the client do not link kin-openapi.
//
// # Families
//
// The facade builds bodies from one canonical package per wire and sends
// them with one generic package's …WithBody request builders: gen/tasks's
// types through gen/objectsv3 for v3 (gen/emails, gen/objectsv3 have the
// same shapes under other names), gen/v202603 for 2026-03.
// internal/gencheck's TestGeneratedShapesIdentical fails, naming the
// package, type and field, when a v3 member's model types differ from the
// canonical package's; TestV3And202603Compared pins where v3 and 2026-03
// differ on the wire.
//
// # Adding a dated version
//
// A new version (say 2026-09) is a spec drop, an overlay and a generate
// line:
//
//  1. Copy HubSpot's documents, unchanged, to api/2026-09/<api>.json and add
//     one line per document (version, API, sha256) to datedDocs in
//     internal/gencheck/dated_spec_test.go; the test fails on a document that
//     is not in the table, or that is neither merged nor has its own package.
//  2. Write api/2026-09/objects.overlay.yaml, starting from the 2026-03 one
//     (its targets are the merged paths); strict mode fails generation on
//     every action whose target moved.
//  3. gen/v202609/generate.go: the 2026-03 one with the version changed. Its
//     two lines, `oapigen -dated 2026-09 -objects emails,tasks,…` and the same
//     with -spec-only, merge the documents, name the overlay, package and
//     outputs by convention (internal/oapigen), and refuse to run in another
//     folder. A document unlike the others fails here, naming the schema.
//  4. make generate, make test, commit, make check-generated.
//
// An object added to a version is its document, its datedDocs line and its
// name in the -objects list. Offering a version to callers takes a table
// entry in each consumer: the facade's version constant, its line in wires
// and its package's request builders (facade/wire.go, wire_202603.go), a
// line in internal/specdocs, the fake's mount line and the adapter of the
// operations whose parameters are the package's types
// (hubspottest/wire_dated.go), and golden contract files for every
// operation (the README's "The dated APIs, and adding a version").
package gen
