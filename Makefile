# The commands the README and .ci/run use. Tools come from go.mod (tools.go),
# so every machine runs the same generator and linter versions.
GO ?= go

.PHONY: generate check-generated test vet staticcheck race bench cover

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

## test: vet, staticcheck and every test with the race detector, the three
## at once (each one's output printed whole when it ends); the tests' output
## closes with every skipped test and its reason, then the counts.
test:
	@$(MAKE) --no-print-directory -j3 --output-sync=target vet staticcheck race

## race: every test with the race detector, through internal/testreport
## (go test -json, printed as go test prints, plus the skips and counts).
race:
	$(GO) run ./internal/testreport -race -count=1 ./...

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
