"""Running the aligner over an evaluation set (JSON lines with src, tgt, gold) and scoring it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import AlignerError
from .metrics import Beads, bead_confusion, score_documents


def load_eval_set(path: str | Path) -> list[dict]:
    """Read the eval JSONL format: id, src_lang, tgt_lang, src, tgt, gold."""
    from ..read.decode import read_bytes

    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise AlignerError(f"{path}: not UTF-8; an eval set is UTF-8 JSON lines.") from None
    docs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            ok = all(isinstance(d.get(k), list) for k in ("src", "tgt", "gold"))
        except (json.JSONDecodeError, RecursionError, AttributeError):
            ok = False
        if not ok:
            raise AlignerError(f"{path}:{n}: not an eval record (needs JSON with src, tgt, gold).")
        docs.append(d)
    if not docs:
        raise AlignerError(f"{path}: no documents in the file.")
    return docs


def _gold_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where each gold sentence sits in the running text (found in order; (-1, -1) if not)."""
    spans, pos = [], 0
    for s in sentences:
        s = s.strip()
        i = text.find(s, pos) if s else -1
        spans.append((i, i + len(s)) if i >= 0 else (-1, -1))
        if i >= 0:
            pos = i + len(s)
    return spans


def _to_gold_ids(sentences, spans) -> list[tuple[int, ...]]:
    """For each of our sentences, the gold sentences it overlaps."""
    return [
        tuple(g for g, (gs, ge) in enumerate(spans) if gs < s.end and s.start < ge)
        for s in sentences
    ]


def beads_in_gold_ids(result, src_spans, tgt_spans) -> Beads:
    """Our beads re-expressed over gold sentences; beads that share a gold sentence (our
    splitter cut it in two) are merged, so a link is scored once, by gold sentences."""
    src_map = _to_gold_ids(result.src, src_spans)
    tgt_map = _to_gold_ids(result.tgt, tgt_spans)
    merged: list[tuple[set[int], set[int]]] = []
    for b in result.beads:
        s = {g for i in b.src_ids for g in src_map[i]}
        t = {g for j in b.tgt_ids for g in tgt_map[j]}
        if not s and not t:
            continue
        if merged and (merged[-1][0] & s or merged[-1][1] & t):
            merged[-1][0].update(s)
            merged[-1][1].update(t)
        else:
            merged.append((s, t))
    return [(tuple(sorted(s)), tuple(sorted(t))) for s, t in merged]


def gold_unaligned_form(golds: list[Beads]) -> str:
    """How a gold set writes a run of unaligned sentences: "block" (one bead, as TransRead's
    2-0 and 0-5) or "sentence" (one bead each, as Text+Berg's runs of 0-1); "block" when it
    shows neither. The alignment is the same either way; the strict metric is not."""
    beads = [(len(s), len(t)) for gold in golds for s, t in gold]
    if any(min(a, b) == 0 and max(a, b) > 1 for a, b in beads):
        return "block"
    for gold in golds:
        for (s0, t0), (s1, t1) in zip(gold, gold[1:], strict=False):
            if (not t0 and not t1 and s0 and s1) or (not s0 and not s1 and t0 and t1):
                return "sentence"
    return "block"


def evaluate_file(
    path: str | Path, embedder=None, params=None, progress_cb=None, split: bool = False,
    unaligned: str | None = None, confusion: bool = False,
) -> dict:  # fmt: skip
    """Align each document with its given sentences and score it.

    ``split=True`` runs the full pipeline instead: each document's ``src_text``/``tgt_text``
    is split by our splitters, and the result is scored by links between gold sentences.
    ``unaligned`` ("block" or "sentence") overrides ``params.unaligned``; None writes runs of
    unaligned sentences the way the gold does (:func:`gold_unaligned_form`). ``confusion``
    adds the bead-type confusion (:func:`aligner.evaluate.metrics.bead_confusion`).
    """
    from dataclasses import replace

    from ..api import align_texts
    from ..embed import load_embedder
    from ..parallel.align import AlignParams, align_sentences
    from ..read import normalize_text

    docs = load_eval_set(path)
    if split and not all("src_text" in d and "tgt_text" in d for d in docs):
        raise AlignerError(f"{path}: --split needs src_text and tgt_text in every record.")
    embedder = embedder or load_embedder()
    form = unaligned or gold_unaligned_form([d["gold"] for d in docs])
    params = replace(params or AlignParams(), unaligned=form)
    t0 = time.perf_counter()
    golds, tests = [], []
    signature = ""
    for d in docs:
        langs = {"src_lang": d.get("src_lang", "en"), "tgt_lang": d.get("tgt_lang", "ko")}
        if split:
            src_text, tgt_text = normalize_text(d["src_text"]), normalize_text(d["tgt_text"])
            result = align_texts(
                src_text, tgt_text, **langs, embedder=embedder, params=params, mode="parallel"
            )
            src_spans = _gold_spans(src_text, [normalize_text(s) for s in d["src"]])
            tgt_spans = _gold_spans(tgt_text, [normalize_text(s) for s in d["tgt"]])
            tests.append(beads_in_gold_ids(result, src_spans, tgt_spans))
        else:
            result = align_sentences(d["src"], d["tgt"], **langs, embedder=embedder, params=params)
            tests.append([(b.src_ids, b.tgt_ids) for b in result.beads])
        signature = result.signature
        golds.append(d["gold"])
        if progress_cb:
            progress_cb(1)
    scores = score_documents(golds, tests)
    if confusion:
        scores["confusion"] = bead_confusion(golds, tests)
    return {
        **scores,
        "documents": len(docs),
        "unaligned": form,
        "seconds": round(time.perf_counter() - t0, 2),
        "signature": signature,
    }
