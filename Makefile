# The commands the README and .ci/run use. Tools come from go.mod (tools.go),
# so every machine runs the same generator and linter versions.
GO ?= go

.PHONY: generate check-generated test vet staticcheck bench cover

## generate: regenerate gen/ from api/ (specs and overlays).
generate:
	$(GO) generate ./gen/...

## check-generated: fail when gen/ (or anything else) differs from what
## `make generate` writes, untracked files included, or go.mod is untidy.
check-generated: generate
	@status="$$(git status --porcelain --untracked-files=all)"; \
	if [ -n "$$status" ]; then \
		echo "the tree differs from what 'make generate' writes:"; \
		echo "$$status"; git --no-pager diff --stat; exit 1; \
	fi
	$(GO) mod tidy -diff

## test: vet, staticcheck, then every test with the race detector.
test: vet staticcheck
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck ./...

## bench: run the Go benchmarks (compare runs with benchstat).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## cover: statement coverage of the facade.
cover:
	$(GO) test -cover ./facade/...
