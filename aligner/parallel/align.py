"""Parallel alignment of sentences: embed windows → corridor → similarities → costs → DP.

Translations keep their order, so the result is one monotone path through the lattice of
sentence pairs; every sentence is in exactly one bead (1-1, n-m, or unaligned).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from ..alignment import Alignment, Bead, fill_unaligned, join_unaligned
from ..embed import Embedder, load_embedder
from ..embed.base import blas_threads
from ..embed.windows import WINDOW_MODES, n_windows, window_embeddings, window_mode
from ..progress import progress
from ..segment import Sentence, as_sentences
from ..signature import signature
from . import doc_model
from .boundaries import boundary_weights, crossing_costs
from .corridor import corridor_from_points, find_corridor, full_corridor, touches_edge
from .costs import CostParams, bead_features, fixed_costs
from .dp import bead_dp
from .similarity import corridor_sims

# Corridor widenings tried when the path hugs an edge (each doubles the radius).
MAX_WIDENINGS = 3
# A widening may jump to the whole lattice when the corridor is already a quarter of it, but
# never beyond this many cells (ten bead types of float32 costs: ~1 GB); longer documents keep
# widening the band, so memory stays proportional to the input.
MAX_FULL_CELLS = 25_000_000
# Automatic bead sizes (max_src / max_tgt / max_total left as None). Beads of up to 4 sentences
# where the costs are fixed, 5 where they are fitted to the document; where the fitted path
# still uses GROW_MIN_BEADS beads of the largest size, the limit binds, and the document gets
# beads of up to GROWN_TOTAL sentences (GROWN_SIDE a side). Literary translations have 2-5,
# 3-4 and 1-6 beads (TransRead en-fr dev 0.9177 -> 0.9228 strict F1, Text+Berg 0.9228 ->
# 0.9249; benchmarks/accuracy.md); a Bible book never grows, so it embeds no larger windows.
# Tried: sides of 5, totals of 7, no 1-5/1-6 beads: each lower on both sets.
AUTO_SIDE = 4
AUTO_TOTAL_FIXED, AUTO_TOTAL_FITTED = 4, 5
GROWN_SIDE, GROWN_TOTAL = 6, 8
GROW_MIN_BEADS = 2
# The grown beads are searched in a corridor this many times params.radius around the fitted
# path: linear in the length, and wide enough for the neighbour means to be those of the
# first pass (at 1x TransRead lost 0.3 points, at 2x-4x it matched the whole lattice).
GROW_RADIUS_FACTOR = 4
UNALIGNED_FORMS = ("block", "sentence")


@dataclass(frozen=True)
class AlignParams:
    """Everything that changes the result; recorded in the signature."""

    # most sentences per bead on each side; None: automatic (see AUTO_SIDE and GROWN_SIDE)
    max_src: int | None = field(default=None, metadata={"sig": "maxsrc"})
    max_tgt: int | None = field(default=None, metadata={"sig": "maxtgt"})
    # a + b. None: 4 with fixed costs, 5 where the costs are fitted to the document (100+
    # sentences a side by default), up to 8 where the fitted path keeps using 5. The
    # 5-sentence beads (1-4, 4-1, 2-3, 3-2) raised Text+Berg 0.9156 -> 0.9220 strict F1 with
    # fitted costs; with fixed costs they changed little (0.8977 -> 0.8987; NTREX not at all)
    # and cost a third more windows to embed.
    max_total: int | None = field(default=None, metadata={"sig": "maxtotal"})
    # "pool": each sentence encoded once, windows composed inside the model (as accurate as
    # "encode" on the dev sets, a third of the work; backends without window states encode);
    # "encode": re-encode window text (exact); "compose": sum sentence vectors
    windows: str = field(default="pool", metadata={"sig": "win"})
    # corridor half-width around the coarse path (sentences)
    radius: int = field(default=8, metadata={"sig": "radius"})
    # a run of unaligned sentences on one side: one bead ("block": a passage the translator
    # left out, as hand-made gold alignments mark it) or one bead per sentence ("sentence")
    unaligned: str = field(default="block", metadata={"sig": "unaligned"})
    # text the library splits itself (align_texts, align_files): cut a sentence where the
    # other side of its bead shows a boundary the splitter missed, join one it cut wrongly
    # (aligner.parallel.resplit)
    resplit: bool = field(default=True, metadata={"sig": "resplit"})
    costs: CostParams = field(default_factory=CostParams)

    def __post_init__(self) -> None:
        if (self.max_src is not None and self.max_src < 1) or (
            self.max_tgt is not None and self.max_tgt < 1
        ):
            raise ValueError("max_src and max_tgt must be at least 1 or None (automatic)")
        if self.max_total is not None and self.max_total < 2:
            raise ValueError("max_total must be at least 2 (a 1-1 bead) or None (automatic)")
        if self.windows not in WINDOW_MODES:
            raise ValueError(f"unknown window mode {self.windows!r} ({', '.join(WINDOW_MODES)})")
        if self.unaligned not in UNALIGNED_FORMS:
            raise ValueError(f"unknown unaligned form {self.unaligned!r} (block or sentence)")

    def bead_types(self, fitted: bool = True, grown: bool = False) -> list[tuple[int, int]]:
        """Every a-b bead within the per-side maxima and the total; ``fitted`` (whether the
        document gets fitted costs, ``costs.fits(n, m)``) and ``grown`` (whether its fitted
        path asked for larger beads) set the automatic limits."""
        grown = grown and self.can_grow(fitted)
        side = GROWN_SIDE if grown else AUTO_SIDE
        max_src, max_tgt = self.max_src or side, self.max_tgt or side
        auto = GROWN_TOTAL if grown else (AUTO_TOTAL_FITTED if fitted else AUTO_TOTAL_FIXED)
        total = self.max_total if self.max_total is not None else auto
        return [
            (a, b) for a in range(1, max_src + 1) for b in range(1, max_tgt + 1) if a + b <= total
        ]

    def can_grow(self, fitted: bool) -> bool:
        """Whether the bead limit may grow with the document (fitted costs, automatic total)."""
        return fitted and self.max_total is None


def align_sentences(
    src: list[str] | list[Sentence],
    tgt: list[str] | list[Sentence],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder: Embedder | None = None,
    params: AlignParams | None = None,
    split: str | None = None,
    on_vectors: Callable[[dict[str, np.ndarray]], object] | None = None,
) -> Alignment:
    """Align two lists of sentences (already split) into beads covering every sentence.

    ``split`` names the splitters that made the sentences, for the signature (None: given).
    ``on_vectors`` receives the sentence vectors the alignment used, by text (a vector
    depends on its text only), so that a caller's next step need not make them again.
    """
    params = params or AlignParams()
    embedder = embedder or load_embedder()
    # the signature records the windows that were made (pool falls back to encode)
    params = replace(params, windows=window_mode(params.windows, embedder))
    src_s, tgt_s = as_sentences(src), as_sentences(tgt)
    n, m = len(src_s), len(tgt_s)
    sig = signature("parallel", embedder.model_id, params, split)
    if n == 0 or m == 0:
        beads = fill_unaligned([], n, m)
        return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, {"timings": {}})
    t0 = time.perf_counter()
    types = params.bead_types(params.costs.fits(n, m))
    src_win, tgt_win = _embed_windows(src_s, tgt_s, embedder, params.windows, types)
    if on_vectors is not None:
        on_vectors({x.text: v for side, win in ((src_s, src_win), (tgt_s, tgt_win))
                    for x, v in zip(side, win[1], strict=True)})  # fmt: skip
    timings = {"embed": time.perf_counter() - t0}
    t0 = time.perf_counter()
    src_len = np.array([len(s.text) for s in src_s], dtype=np.float64)
    tgt_len = np.array([len(s.text) for s in tgt_s], dtype=np.float64)

    more_windows = partial(_more_windows, src_s, tgt_s, embedder, params.windows)
    with progress(len(types) + 1, "aligning", unit="step") as update:
        beads_raw, sims, lo, costs_info = align_embeddings(
            src_win, tgt_win, src_len, tgt_len, params, progress=update,
            breaks=(boundary_weights(src_s), boundary_weights(tgt_s)), more_windows=more_windows,
        )  # fmt: skip
    timings["align"] = time.perf_counter() - t0
    beads = [_bead(s0, s1, t0_, t1, sims, lo) for s0, s1, t0_, t1 in beads_raw]
    if params.unaligned == "block":
        beads = join_unaligned(beads)
    info = {"timings": timings, **costs_info}
    return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, info)


def _embed_windows(src_s, tgt_s, embedder, mode: str, types):
    """Window vectors of both sides, only for the window sizes some bead type uses (--max-src 4
    with --max-total 4 needs no 4-sentence windows)."""
    src_txt = [s.text for s in src_s]
    tgt_txt = [s.text for s in tgt_s]
    sizes_src = sorted({a for a, _ in types})
    sizes_tgt = sorted({b for _, b in types})
    total = n_windows(len(src_txt), sizes_src, mode) + n_windows(len(tgt_txt), sizes_tgt, mode)
    with progress(total, "embedding") as update:
        src_win = window_embeddings(src_txt, sizes_src, embedder, mode, update)
        tgt_win = window_embeddings(tgt_txt, sizes_tgt, embedder, mode, update)
    return src_win, tgt_win


def _more_windows(src_s, tgt_s, embedder, mode: str, sizes_src, sizes_tgt):
    """Windows of further sizes, for a document that grew its bead limit (the 1-sentence
    windows come along: ``window_embeddings`` always makes them; the cache has them)."""
    src_txt = [s.text for s in src_s] if sizes_src else []
    tgt_txt = [s.text for s in tgt_s] if sizes_tgt else []
    sizes_src, sizes_tgt = [1, *sizes_src], [1, *sizes_tgt]
    total = n_windows(len(src_txt), sizes_src, mode) + n_windows(len(tgt_txt), sizes_tgt, mode)
    with progress(total, "embedding (larger beads)") as update:
        src_win = window_embeddings(src_txt, sizes_src, embedder, mode, update) if src_txt else {}
        tgt_win = window_embeddings(tgt_txt, sizes_tgt, embedder, mode, update) if tgt_txt else {}
    return src_win, tgt_win


def _bead(s0: int, s1: int, t0: int, t1: int, sims, lo) -> Bead:
    """A bead from its lattice span, scored by the cosine of its two windows."""
    a, b = s1 - s0, t1 - t0
    score = float(sims[(a, b)][s1, t1 - lo[s1]]) if a and b else 0.0
    return Bead(tuple(range(s0, s1)), tuple(range(t0, t1)), round(score, 6))


def align_embeddings(
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    src_len: np.ndarray,
    tgt_len: np.ndarray,
    params: AlignParams,
    progress=None,
    breaks=(None, None),
    more_windows=None,
):
    """The alignment step alone (embeddings given): corridor, costs, DP, widening if needed.

    ``breaks``: each side's paragraph-boundary weights (:func:`boundaries.boundary_weights`),
    soft boundaries the beads pay to cross.

    Returns (beads as (src_start, src_end, tgt_start, tgt_end), {bead type: corridor cosines},
    lo, info). ``more_windows(sizes_src, sizes_tgt)`` returns the window vectors of further
    sizes, for a document whose fitted path asks for larger beads (None: only the sizes
    given are used).

    BLAS is held to one thread: the step makes thousands of small matrix products, and a
    multi-threaded BLAS on a busy machine spent most of its time waiting (up to 18x slower).
    """
    with blas_threads(1):
        return _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress, breaks,
                                 more_windows)  # fmt: skip


def _with_boundaries(costs, skip, breaks, lo, hi, types, params):
    width = int((hi - lo).max()) + 1
    extra = crossing_costs(breaks, lo, width, types, params.costs.boundary_weight * skip)
    if extra is not None:
        np.add(costs, extra, out=costs)
    return costs


def _available(types, src_win, tgt_win) -> list[tuple[int, int]]:
    return [(a, b) for a, b in types if a in src_win and b in tgt_win]


def _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress, breaks,
                      more_windows):  # fmt: skip
    n, m = len(src_len), len(tgt_len)
    fits = params.costs.fits(n, m)
    types = _available(params.bead_types(fits), src_win, tgt_win)
    beads, total, sims, feats, lo, hi, info = _fixed_pass(
        src_win, tgt_win, src_len, tgt_len, types, params, progress, breaks
    )
    if fits:
        fit = partial(_fitted_rounds, params=params, m=m, breaks=breaks)
        beads, total, model, skip = fit(feats, beads, lo, hi, types)
        grown = params.can_grow(fits) and _limit_binds(beads, types)
        if grown:
            types, sims, feats, lo, hi = _grow(
                src_win, tgt_win, src_len, tgt_len, beads, params, more_windows
            )
            beads, total, model, skip = fit(feats, beads, lo, hi, types)
        info.update(costs="fitted", skip_cost=skip, bead_prior=_prior_info(model), grown=grown)
    info = {**info, "corridor_width": int((hi - lo).max()) + 1, "cost": total}
    return beads, sims, lo, info


def _fixed_pass(src_win, tgt_win, src_len, tgt_len, types, params, progress, breaks):
    """The first alignment, with the fixed costs, widening the corridor where the path hugs
    its edge."""
    n, m = len(src_len), len(tgt_len)
    radius = params.radius
    lo, hi = find_corridor(src_win[1], tgt_win[1], radius)
    for attempt in range(MAX_WIDENINGS + 1):
        width = int((hi - lo).max()) + 1
        sims = {}
        for a, b in types:
            sims[(a, b)] = corridor_sims(src_win[a], tgt_win[b], lo, width, a, b)
            if progress and attempt == 0:
                progress(1)
        feats, ratio = bead_features(sims, lo, hi, src_len, tgt_len, params.costs)
        costs, skip = fixed_costs(feats, n, m, params.costs)
        costs = _with_boundaries(costs, skip, breaks, lo, hi, types, params)
        beads, total = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
        if progress and attempt == 0:
            progress(1)
        if attempt == MAX_WIDENINGS or not touches_edge(beads, lo, hi, m):
            break
        radius *= 2
        cells = (n + 1) * (m + 1)
        if cells <= 4 * width * (n + 1) and cells <= MAX_FULL_CELLS:
            lo, hi = full_corridor(n, m)
        else:
            lo, hi = find_corridor(src_win[1], tgt_win[1], radius)
    info = {"length_ratio": ratio, "skip_cost": skip, "costs": "fixed"}
    return beads, total, sims, feats, lo, hi, info


def _fitted_rounds(feats, beads, lo, hi, types, *, params: AlignParams, m: int, breaks):
    """Hard EM: fit the document's model to the path, realign with its costs, repeat."""
    n = len(lo) - 1
    corridor = doc_model.chance(feats, params.costs.fit_length)
    for _ in range(params.costs.fit_rounds):
        model = doc_model.fit(feats, beads, lo, length_law=params.costs.fit_length,
                              corridor=corridor, prior_spread=params.costs.fit_prior_spread,
                              prior_slope=params.costs.fit_prior_slope)  # fmt: skip
        costs, skip = doc_model.model_costs(
            feats, model, n, params.costs.fit_gain_weight, params.costs.fit_floor
        )
        costs = _with_boundaries(costs, skip, breaks, lo, hi, types, params)
        beads, total = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
    return beads, total, model, skip


def _limit_binds(beads, types) -> bool:
    """Whether the path keeps using beads of the largest size allowed (then larger ones may
    fit the document better)."""
    largest = max(a + b for a, b in types)
    used = sum(
        1 for s0, s1, t0, t1 in beads if s1 > s0 and t1 > t0 and s1 - s0 + t1 - t0 == largest
    )
    return used >= GROW_MIN_BEADS


def _grow(src_win, tgt_win, src_len, tgt_len, beads, params, more_windows):
    """Bead types, similarities and features with the grown bead limit, in a corridor around
    the fitted path (larger beads only regroup sentences near it, and the step stays linear in
    the text's length)."""
    n, m = len(src_len), len(tgt_len)
    grown = params.bead_types(True, grown=True)
    need_src = sorted({a for a, _ in grown} - set(src_win))
    need_tgt = sorted({b for _, b in grown} - set(tgt_win))
    if (need_src or need_tgt) and more_windows is not None:
        add_src, add_tgt = more_windows(need_src, need_tgt)
        src_win = {**add_src, **src_win}
        tgt_win = {**add_tgt, **tgt_win}
    types = _available(grown, src_win, tgt_win)
    points = [(0, 0)] + [(s1, t1) for _, s1, _, t1 in beads]
    lo, hi = corridor_from_points(points, n, m, GROW_RADIUS_FACTOR * params.radius)
    width = int((hi - lo).max()) + 1
    sims = {(a, b): corridor_sims(src_win[a], tgt_win[b], lo, width, a, b) for a, b in types}
    feats, _ = bead_features(sims, lo, hi, src_len, tgt_len, params.costs)
    return types, sims, feats, lo, hi


def _prior_info(model) -> dict[str, float]:
    return {
        ("skip" if t == doc_model.SKIP else f"{t[0]}-{t[1]}"): round(v, 4)
        for t, v in model.prior.items()
    }
