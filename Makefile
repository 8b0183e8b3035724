# The README's commands. `make run` and `make test` need only Go, the
# PostgreSQL server package and poppler-utils on the machine.
GO    ?= go
TOOLS := $(GO) tool -modfile=tools/go.mod
PKGS  ?= ./...
COUNT ?= 1
# make test-busy: how many CPU-burning processes run next to the tests.
BURNERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test test-busy generate check-generated lint bench build fuzz weed lemon

run: build
	./bin/quire dev

test: bin/weed
	$(GO) test -count=$(COUNT) -timeout 30m $(PKGS)

# The same tests on a machine as busy as a shared CI runner: BURNERS
# processes (tools/burn, Go only) spin on the cores while they run.
# `make test-busy COUNT=3 PKGS=./internal/pdfcheck/` repeats one package.
test-busy:
	cd tools && $(GO) build -o ../bin/burn ./burn
	./bin/burn -n $(BURNERS) & burn=$$!; trap 'kill $$burn' EXIT; $(MAKE) --no-print-directory test

# The S3 server of the object-store tests (SeaweedFS), built once from the
# Go module proxy; the tests find it in bin/.
weed: bin/weed
bin/weed:
	tools/weed.sh $@

# LEMON's network simplex on the same instances, for the solver's
# benchmark (needs Debian's liblemon-dev and g++; not used by any test).
lemon:
	g++ -O2 -o bin/lemon-solve tools/lemon/solve.cc

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/quire ./cmd/quire

# Regenerate the server interface from api/openapi.yaml and the typed queries
# from internal/*/queries.sql.
generate:
	$(TOOLS) oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
	$(TOOLS) sqlc generate -f internal/sqlc.yaml

# CI fails when generated files are stale.
check-generated: generate
	@git status --porcelain -- internal | grep . && { echo "generated code is stale: run make generate and commit"; exit 1; } || true

lint:
	$(GO) vet $(PKGS)
	$(TOOLS) golangci-lint run --allow-parallel-runners --config tools/golangci.yml $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m $(PKGS)
