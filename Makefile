# dax-model: TLA+ model + conformance harness for the fs-dax DMA vs truncate protocol.
# Every target calls the dax-model command line or npm scripts; see README.md.

TLA2TOOLS_VERSION ?= v1.8.0
TLA2TOOLS_URL ?= https://github.com/tlaplus/tlaplus/releases/download/$(TLA2TOOLS_VERSION)/tla2tools.jar
DAX := node bin/dax-model.mjs

.PHONY: all install check check-embedded test tlc conform traces fixtures link mutate fuzz results bench bench-check bench-impl bench-conform bench-graph-cache bench-mutate bench-growth bench-interrupt readme-figures clean

all: install
	npm start

install: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci

## Model-check every config with TLC (or the embedded engine when TLC is absent).
check: install
	$(DAX) check

check-embedded: install
	$(DAX) check --engine embedded

## The test suite (TLC tests skip with a reason when the jar is absent).
test: install
	npm test

## Download the pinned official tla2tools.jar into tools/ (git-ignored). Needs internet.
tlc: tools/tla2tools.jar
tools/tla2tools.jar:
	curl -fL --retry 3 -o tools/tla2tools.jar.part '$(TLA2TOOLS_URL)'
	java -cp tools/tla2tools.jar.part tlc2.TLC -h | head -n 3
	mv tools/tla2tools.jar.part tools/tla2tools.jar

conform: install
	$(DAX) conform

traces: install
	$(DAX) traces smoke --update-corpus
	$(DAX) traces traces --update-corpus
	$(DAX) traces duo --depth 40 --update-corpus
	$(DAX) traces fallocate-modes --update-corpus
	$(DAX) traces munmap-evict --update-corpus
	$(DAX) traces retry-only-on-sleep --count 4 --update-corpus
	$(DAX) traces design-2025-smoke --count 3 --depth 20 --update-corpus
	$(DAX) traces wait-skips-entry --count 2 --update-corpus

## Record the trace readers' fixtures from real TLC runs (needs TLC).
fixtures: install
	npx tsx conformance/trace-formats/record-fixtures.ts

link: install
	$(DAX) link

mutate: install
	$(DAX) mutate

## Fuzz the trace readers: COUNT mutants of the committed traces drawn by SEED; counts by outcome.
## No `install` prerequisite: in a worktree whose node_modules is a symlink to a shared install,
## make finds it out of date and `npm ci` would empty the shared folder.
SEED ?= 1
COUNT ?= 20000
fuzz:
	npx tsx bench/fuzz-traces.ts --seed $(SEED) --count $(COUNT)

## Every benchmark and the commands the README's figures come from, one after the other, written
## to bench/RESULTS.md (atomically, only if all succeed; its header gives versions, cores and load).
## Run it on an idle machine. The bench-* targets print one benchmark's human output.
results: install
	npx tsx bench/results.ts

bench: results

bench-check: install
	npx tsx bench/check.ts

bench-impl: install
	npx tsx bench/impl.ts

bench-conform: install
	npx tsx bench/conform.ts

bench-graph-cache: install
	npx tsx bench/graph-cache.ts

bench-mutate: install
	npx tsx bench/mutate.ts

bench-growth: install
	npx tsx bench/growth.ts

bench-interrupt: install
	npx tsx bench/interrupt.ts

# The README history table's figures from the committed counterexamples and the state graphs.
readme-figures: install
	npx tsx bench/README-figures.ts --graphs

clean:
	rm -rf states .tlc-meta* tools/tla2tools.jar.part
