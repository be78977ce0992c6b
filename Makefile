# Two commands do all set-up on a fresh machine with python3 and make:
#   make demo   — create .venv, install, extract the bundled seed page and align it (auto mode:
#                 comparable) into out/seed.tmx (the pairs only) and out/seed.html (review page)
#   make test   — create/update .venv with dev extras and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
SHARED ?= ../shared
SEED := corpora/joongang-2011-military-pact
NTREX := corpora/ntrex-upi-176266

.PHONY: demo demo-comparable bench-comparable bench-mode bench-mining bench-scale bench-splitting bench-cat bench-editor test browser docs lint bench bench-accuracy bench-speed bench-device clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo needs the package alone (no dev extras).
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

demo: $(RUN_STAMP)
	@mkdir -p out/seed-page
	@echo "--- a translation: auto mode aligns it in parallel ---"
	$(BIN)/aligner align $(NTREX)/en.txt $(NTREX)/ko.txt -o out/ntrex.tsv
	@echo "--- the main job: a saved bilingual page, report + related Korean article ---"
	$(BIN)/aligner extract $(SEED)/page.txt -o out/seed-page
	$(BIN)/aligner align out/seed-page/en.txt out/seed-page/ko.txt -o out/seed.tmx --html out/seed.html
	@$(BIN)/aligner align out/seed-page/en.txt out/seed-page/ko.txt -o out/seed.tsv -q
	@echo "--- pairs in out/seed.tmx (en / ko / probability); review page: out/seed.html ---"
	@awk -F'\t' '$$1 != "" && $$2 != "" {print $$1 "\n  " $$2 "\n  " $$3}' out/seed.tsv

# Best effort, never fails the build: the browser test of the HTML review page needs Chromium
# (and a Korean font for legible screenshots); without them that test skips with a message.
browser:
	@{ command -v chromium && [ -d /usr/share/fonts/truetype/nanum ]; } >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && apt-get install -y -qq chromium fonts-nanum) >/dev/null 2>&1; } || true

test: $(STAMP) browser
	$(BIN)/ruff check aligner tests benchmarks
	$(BIN)/python -m pytest -q

# docs/review.png (the seed alignment's review page), docs/heatmap.png and docs/editor.png (the
# review editor), for the README.
docs: $(STAMP) browser
	$(BIN)/python docs/make_figures.py
	$(BIN)/python docs/editor_figure.py

lint: $(STAMP)
	$(BIN)/ruff check aligner tests benchmarks
	$(BIN)/ruff format --check aligner tests benchmarks

bench: bench-accuracy bench-splitting bench-speed bench-comparable bench-mode bench-mining

bench-accuracy: $(STAMP)
	$(BIN)/python benchmarks/accuracy.py --shared $(SHARED)

bench-splitting: $(STAMP)
	$(BIN)/python benchmarks/splitting.py --shared $(SHARED)

bench-speed: $(STAMP)
	$(BIN)/python benchmarks/speed.py --shared $(SHARED)

# Embedding throughput on whatever device the machine has (GPU, MPS or CPU); MODEL= a local
# sentence-transformers folder (default: a tiny random model, machinery only).
bench-device: $(STAMP)
	$(BIN)/python benchmarks/device.py --shared $(SHARED) $(if $(MODEL),--model $(MODEL))

clean:
	rm -rf $(VENV) out .pytest_cache

# A saved bilingual page → en.txt/ko.txt → the sentence pairs that really correspond.
demo-comparable: $(STAMP)
	@mkdir -p out/seed-page
	$(BIN)/aligner extract $(SEED)/page.txt -o out/seed-page --show-dropped
	$(BIN)/aligner align out/seed-page/en.txt out/seed-page/ko.txt --mode comparable -o out/seed-comparable.tsv
	@echo "--- pairs found (en, ko, score) ---"
	@awk -F'\t' '$$1 != "" && $$2 != "" {print $$1 "\n  " $$2 "\n  " $$3}' out/seed-comparable.tsv

bench-comparable: $(STAMP)
	$(BIN)/python benchmarks/comparable.py --shared $(SHARED)

# Auto mode's choice (parallel / comparable / unrelated) on every evaluation document.
bench-mode: $(STAMP)
	$(BIN)/python benchmarks/mode.py --shared $(SHARED)

# Mining: NTREX pooled across documents (chooses the default threshold) and 20k Bible verses a
# side (seconds and memory; the first run embeds 40k verses, several CPU minutes, then cached).
bench-mining: $(STAMP)
	$(BIN)/python benchmarks/mining.py --shared $(SHARED)

# OmegaT 3.6 (Debian) in console mode: how many of its segments get an exact match from our TMX,
# one segment per line and with its default segmentation (benchmarks/cat.md). Installs OmegaT
# when run as root and it is missing; skips with a message otherwise.
bench-cat: $(STAMP)
	$(BIN)/python benchmarks/cat.py --shared $(SHARED)

# The review editor on long documents (Bible books): CPU cost of an edit and of its save, one
# HTTP edit, and key press → saved on the page in headless Chromium.
bench-editor: $(STAMP)
	$(BIN)/python benchmarks/editor.py --shared $(SHARED)

# Past one machine: batch throughput with 1 and 2 Dask workers (NTREX documents, Bible books),
# memory per worker, embed/align split; mining at 20k and 100k synthetic sentences a side on 2
# workers (exact vs IVF: seconds, memory, recall; ~20 min on 2 cores), then HNSW in one process
# at HNSW_SIZES (100k and 1M a side: ~40 min more; HNSW_SIZES= leaves that section as it is).
SIZES ?= 20000,100000
HNSW_SIZES ?= 100000,1000000
BOOKS ?= 8
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py --shared $(SHARED) --sizes $(SIZES) --books $(BOOKS) \
		--hnsw-sizes '$(HNSW_SIZES)'

# Random and mutated inputs through the real CLI; crashes and invalid outputs must both be 0.
N ?= 2000
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py -n $(N)
