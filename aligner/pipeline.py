"""The public API: text (or sentences) in, an :class:`Alignment` out.

read → segment → embed windows → corridor → similarities → bead costs → DP → Alignment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import doc_model
from .alignment import Alignment, Bead
from .corridor import find_corridor, full_corridor, touches_edge
from .dp import bead_dp
from .embed import Embedder, load_embedder
from .errors import AlignerError
from .progress import progress
from .scoring import ScoreParams, bead_features, fixed_costs
from .segment import Sentence, split_text
from .similarity import corridor_sims, window_embeddings


@dataclass(frozen=True)
class AlignParams:
    """Everything that changes the result; recorded in the signature."""

    max_src: int = 4
    max_tgt: int = 4
    # a + b. None: 5 where the costs are fitted to the document (100+ sentences a side by
    # default), else 4. The 5-sentence beads (1-4, 4-1, 2-3, 3-2) raised Text+Berg 0.9156 ->
    # 0.9220 strict F1 with fitted costs; with fixed costs they changed little (0.8977 ->
    # 0.8987; NTREX not at all) and cost a third more windows to embed.
    max_total: int | None = None
    windows: str = "encode"  # "encode": re-encode window text; "compose": sum sentence vectors
    radius: int = 8  # corridor half-width around the coarse path (sentences)
    score: ScoreParams = field(default_factory=ScoreParams)

    def __post_init__(self) -> None:
        if self.max_src < 1 or self.max_tgt < 1:
            raise ValueError("max_src and max_tgt must be at least 1")
        if self.max_total is not None and self.max_total < 2:
            raise ValueError("max_total must be at least 2 (a 1-1 bead) or None (automatic)")

    def bead_types(self, fitted: bool = True) -> list[tuple[int, int]]:
        """Every a-b bead within the per-side maxima and the total; ``fitted`` (whether the
        document gets fitted costs, ``score.fits(n, m)``) sets the automatic total."""
        total = self.max_total if self.max_total is not None else (5 if fitted else 4)
        return [
            (a, b)
            for a in range(1, self.max_src + 1)
            for b in range(1, self.max_tgt + 1)
            if a + b <= total
        ]


def signature(model_id: str, params: AlignParams) -> str:
    """sacrebleu-style record of every setting, so that a number can be reproduced."""
    from dataclasses import fields

    from . import __version__

    score = ",".join(
        f"{f.name}={getattr(params.score, f.name)}" for f in fields(params.score)
    ).replace("=None", "=auto")
    total = "auto" if params.max_total is None else params.max_total
    return (
        f"aligner:{__version__}|model:{model_id}|win:{params.windows}"
        f"|max:{params.max_src}-{params.max_tgt}-{total}"
        f"|radius:{params.radius}"
        f"|score:{score}"
    )


def _as_sentences(items: list[str] | list[Sentence]) -> list[Sentence]:
    out = []
    pos = 0
    for s in items:
        if isinstance(s, Sentence):
            out.append(s)
        else:
            out.append(Sentence(str(s), pos, pos + len(str(s)), 0))
            pos += len(str(s)) + 1
    return out


def align_sentences(
    src: list[str] | list[Sentence],
    tgt: list[str] | list[Sentence],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder: Embedder | None = None,
    params: AlignParams | None = None,
) -> Alignment:
    """Align two lists of sentences (already split) into beads covering every sentence."""
    params = params or AlignParams()
    embedder = embedder or load_embedder()
    src_s, tgt_s = _as_sentences(src), _as_sentences(tgt)
    n, m = len(src_s), len(tgt_s)
    timings: dict[str, float] = {}
    sig = signature(embedder.model_id, params)
    if n == 0 or m == 0:
        beads = [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
        return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, {"timings": timings})

    t0 = time.perf_counter()
    src_txt = [s.text for s in src_s]
    tgt_txt = [s.text for s in tgt_s]
    # only the window sizes some bead type uses (--max-src 4 with --max-total 4 needs no 4s)
    types = params.bead_types(params.score.fits(n, m))
    sizes_src = sorted({a for a, _ in types})
    sizes_tgt = sorted({b for _, b in types})
    total = _n_windows(n, sizes_src, params.windows) + _n_windows(m, sizes_tgt, params.windows)
    with progress(total, "embedding") as update:
        src_win = window_embeddings(src_txt, sizes_src, embedder, params.windows, update)
        tgt_win = window_embeddings(tgt_txt, sizes_tgt, embedder, params.windows, update)
    timings["embed"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    src_len = np.array([len(s) for s in src_txt], dtype=np.float64)
    tgt_len = np.array([len(s) for s in tgt_txt], dtype=np.float64)
    with progress(len(types) + 1, "aligning", unit="step") as update:
        beads_raw, sims, lo, costs_info = align_embeddings(
            src_win, tgt_win, src_len, tgt_len, params, progress=update
        )
    timings["align"] = time.perf_counter() - t0

    beads = []
    for s0, s1, t0_, t1 in beads_raw:
        a, b = s1 - s0, t1 - t0_
        score = 0.0
        if a and b:
            score = float(sims[(a, b)][s1, t1 - lo[s1]])
        beads.append(Bead(tuple(range(s0, s1)), tuple(range(t0_, t1)), round(score, 6)))
    info = {"timings": timings, **costs_info}
    return Alignment(beads, src_s, tgt_s, src_lang, tgt_lang, sig, info)


def _n_windows(n: int, sizes, mode: str) -> int:
    if mode == "compose":
        return n
    return sum(max(0, n - k + 1) for k in sizes)


def align_embeddings(
    src_win: dict[int, np.ndarray],
    tgt_win: dict[int, np.ndarray],
    src_len: np.ndarray,
    tgt_len: np.ndarray,
    params: AlignParams,
    progress=None,
):
    """The alignment step alone (embeddings given): corridor, costs, DP, widening if needed.

    Returns (beads as (src_start, src_end, tgt_start, tgt_end), {bead type: corridor cosines},
    lo, info).

    BLAS is held to one thread: the step makes thousands of small matrix products, and a
    multi-threaded BLAS on a busy machine spent most of its time waiting (up to 18x slower).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress)


def _align_embeddings(src_win, tgt_win, src_len, tgt_len, params, progress):
    n, m = len(src_len), len(tgt_len)
    usable = params.bead_types(params.score.fits(n, m))
    types = [(a, b) for a, b in usable if a in src_win and b in tgt_win]
    radius = params.radius
    lo, hi = find_corridor(src_win[1], tgt_win[1], radius)
    for attempt in range(4):
        width = int((hi - lo).max()) + 1
        sims = {}
        for a, b in types:
            sims[(a, b)] = corridor_sims(src_win[a], tgt_win[b], lo, width, a, b)
            if progress and attempt == 0:
                progress(1)
        feats, ratio = bead_features(sims, lo, hi, src_len, tgt_len, params.score)
        costs, skip = fixed_costs(feats, n, m, params.score)
        beads, total = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
        if progress and attempt == 0:
            progress(1)
        if attempt == 3 or not touches_edge(beads, lo, hi, m):
            break
        radius *= 2
        if (n + 1) * (m + 1) <= 4 * width * (n + 1):
            lo, hi = full_corridor(n, m)
        else:
            lo, hi = find_corridor(src_win[1], tgt_win[1], radius)
    info = {"length_ratio": ratio, "skip_cost": skip, "costs": "fixed"}
    if params.score.fits(n, m):
        for _ in range(params.score.fit_rounds):
            model = doc_model.fit(feats, beads, lo, length_law=params.score.fit_length)
            costs, skip = doc_model.model_costs(feats, model, n, params.score.fit_gain_weight)
            beads, total = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
        info.update(costs="fitted", skip_cost=skip, bead_prior=_prior_info(model))
    info = {**info, "corridor_width": int((hi - lo).max()) + 1, "cost": total}
    return beads, sims, lo, info


def _prior_info(model) -> dict[str, float]:
    return {
        ("skip" if t == doc_model.SKIP else f"{t[0]}-{t[1]}"): round(v, 4)
        for t, v in model.prior.items()
    }


def align_texts(
    src_text: str,
    tgt_text: str,
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder: Embedder | None = None,
    params: AlignParams | None = None,
) -> Alignment:
    """Split both texts into sentences and align them. Texts should be normalised already
    if they came from files (see :func:`aligner.read.read_text`)."""
    from .read import normalize_text

    src_text, tgt_text = normalize_text(src_text), normalize_text(tgt_text)
    if not src_text.strip() and not tgt_text.strip():
        raise AlignerError("both texts are empty: nothing to align.")
    t0 = time.perf_counter()
    with progress(len(src_text) + len(tgt_text), "splitting", unit="char") as update:
        src = split_text(src_text, src_lang, progress=update)
        tgt = split_text(tgt_text, tgt_lang, progress=update)
    split_s = time.perf_counter() - t0
    result = align_sentences(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, embedder=embedder, params=params
    )
    result.info.setdefault("timings", {})["split"] = split_s
    return result
