"""Parallel alignment of sentences: embed windows → corridor → similarities → costs → DP.

Translations keep their order, so the result is one monotone path through the lattice of
sentence pairs; every sentence is in exactly one bead (1-1, n-m, or unaligned).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..alignment import Alignment, Bead, fill_unaligned
from ..embed import Embedder, load_embedder
from ..embed.windows import WINDOW_MODES, n_windows, window_embeddings
from ..progress import progress
from ..segment import Sentence, as_sentences
from ..signature import signature
from . import doc_model
from .boundaries import boundary_weights, crossing_costs
from .corridor import find_corridor, full_corridor, touches_edge
from .costs import CostParams, bead_features, fixed_costs
from .dp import bead_dp
from .similarity import corridor_sims

# Corridor widenings tried when the path hugs an edge (each doubles the radius).
MAX_WIDENINGS = 3
# A widening may jump to the whole lattice when the corridor is already a quarter of it, but
# never beyond this many cells (ten bead types of float32 costs: ~1 GB); longer documents keep
# widening the band, so memory stays proportional to the input.
MAX_FULL_CELLS = 25_000_000


@dataclass(frozen=True)
class AlignParams:
    """Everything that changes the result; recorded in the signature."""

    max_src: int = field(default=4, metadata={"sig": "maxsrc"})
    max_tgt: int = field(default=4, metadata={"sig": "maxtgt"})
    # a + b. None: 5 where the costs are fitted to the document (100+ sentences a side by
    # default), else 4. The 5-sentence beads (1-4, 4-1, 2-3, 3-2) raised Text+Berg 0.9156 ->
    # 0.9220 strict F1 with fitted costs; with fixed costs they changed little (0.8977 ->
    # 0.8987; NTREX not at all) and cost a third more windows to embed.
    max_total: int | None = field(default=None, metadata={"sig": "maxtotal"})
    # "encode": re-encode window text; "compose": sum sentence vectors
    windows: str = field(default="encode", metadata={"sig": "win"})
    # corridor half-width around the coarse path (sentences)
    radius: int = field(default=8, metadata={"sig": "radius"})
    costs: CostParams = field(default_factory=CostParams)

    def __post_init__(self) -> None:
        if self.max_src < 1 or self.max_tgt < 1:
            raise ValueError("max_src and max_tgt must be at least 1")
        if self.max_total is not None and self.max_total < 2:
            raise ValueError("max_total must be at least 2 (a 1-1 bead) or None (automatic)")
        if self.windows not in WINDOW_MODES:
            raise ValueError(f"unknown window mode {self.windows!r} (encode or compose)")

    def bead_types(self, fitted: bool = True) -> list[tuple[int, int]]:
        """Every a-b bead within the per-side maxima and the total; ``fitted`` (whether the
        document gets fitted costs, ``costs.fits(n, m)``) sets the automatic total."""
        total = self.max_total if self.max_total is not None else (5 if fitted else 4)
        return [
            (a, b)
            for a in range(1, self.max_src + 1)
            for b in range(1, self.max_tgt + 1)
            if a + b <= total
        ]


def align_sentences(
    src: list[str] | list[Sentence],
    tgt: list[str] | list[Sentence],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder: Embedder | None = None,
    params: AlignParams | None = None,
    split: str | None = None,
) -> Alignment:
    """Align two lists of sentences (already split) into beads covering every sentence.

    ``split`` names the splitters that made the sentences, for the signature (None: given).
    """
    params = params or AlignParams()
    embedder = embedder or load_embedder()
    src_s, tgt_s = as_sentences(src), as_sentences(tgt)
    n, m = len(src_s), len(tgt_s)
    sig = signature("parallel", embedder.model_id, params, split)
    if n == 0 or m == 0:
        beads = fill_unaligned([], n, m)
        return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, {"timings": {}})
    t0 = time.perf_counter()
    src_win, tgt_win = _embed_windows(src_s, tgt_s, embedder, params)
    timings = {"embed": time.perf_counter() - t0}
    t0 = time.perf_counter()
    src_len = np.array([len(s.text) for s in src_s], dtype=np.float64)
    tgt_len = np.array([len(s.text) for s in tgt_s], dtype=np.float64)
    types = params.bead_types(params.costs.fits(n, m))
    with progress(len(types) + 1, "aligning", unit="step") as update:
        beads_raw, sims, lo, costs_info = align_embeddings(
            src_win, tgt_win, src_len, tgt_len, params, progress=update,
            breaks=(boundary_weights(src_s), boundary_weights(tgt_s)),
        )  # fmt: skip
    timings["align"] = time.perf_counter() - t0
    beads = [_bead(s0, s1, t0_, t1, sims, lo) for s0, s1, t0_, t1 in beads_raw]
    info = {"timings": timings, **costs_info}
    return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, info)


def _embed_windows(src_s, tgt_s, embedder, params: AlignParams):
    """Window vectors of both sides, only for the window sizes some bead type uses (--max-src 4
    with --max-total 4 needs no 4-sentence windows)."""
    src_txt = [s.text for s in src_s]
    tgt_txt = [s.text for s in tgt_s]
    types = params.bead_types(params.costs.fits(len(src_s), len(tgt_s)))
    sizes_src = sorted({a for a, _ in types})
    sizes_tgt = sorted({b for _, b in types})
    mode = params.windows
    total = n_windows(len(src_txt), sizes_src, mode) + n_windows(len(tgt_txt), sizes_tgt, mode)
    with progress(total, "embedding") as update:
        src_win = window_embeddings(src_txt, sizes_src, embedder, mode, update)
        tgt_win = window_embeddings(tgt_txt, sizes_tgt, embedder, mode, update)
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
):
    """The alignment step alone (embeddings given): corridor, costs, DP, widening if needed.

    ``breaks``: each side's paragraph-boundary weights (:func:`boundaries.boundary_weights`),
    soft boundaries the beads pay to cross.

    Returns (beads as (src_start, src_end, tgt_start, tgt_end), {bead type: corridor cosines},
    lo, info).

    BLAS is held to one thread: the step makes thousands of small matrix products, and a
    multi-threaded BLAS on a busy machine spent most of its time waiting (up to 18x slower).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress, breaks)


def _with_boundaries(costs, skip, breaks, lo, width, types, params):
    extra = crossing_costs(breaks, lo, width, types, params.costs.boundary_weight * skip)
    if extra is not None:
        np.add(costs, extra, out=costs)
    return costs


def _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress, breaks):
    n, m = len(src_len), len(tgt_len)
    usable = params.bead_types(params.costs.fits(n, m))
    types = [(a, b) for a, b in usable if a in src_win and b in tgt_win]
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
        costs = _with_boundaries(costs, skip, breaks, lo, width, types, params)
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
    if params.costs.fits(n, m):
        for _ in range(params.costs.fit_rounds):
            model = doc_model.fit(feats, beads, lo, length_law=params.costs.fit_length)
            costs, skip = doc_model.model_costs(feats, model, n, params.costs.fit_gain_weight)
            costs = _with_boundaries(costs, skip, breaks, lo, width, types, params)
            beads, total = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
        info.update(costs="fitted", skip_cost=skip, bead_prior=_prior_info(model))
    info = {**info, "corridor_width": int((hi - lo).max()) + 1, "cost": total}
    return beads, sims, lo, info


def _prior_info(model) -> dict[str, float]:
    return {
        ("skip" if t == doc_model.SKIP else f"{t[0]}-{t[1]}"): round(v, 4)
        for t, v in model.prior.items()
    }
