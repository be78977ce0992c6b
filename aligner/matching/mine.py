"""Mining mode: candidate sentence pairs between two large collections (tens of thousands a side).

Comparable mode (``aligner.matching.comparable``) looks at one document pair and holds the
whole cosine matrix. Mining pools every sentence of many documents per side, so the matrix
(n × m floats: 1.6 GB at 20k × 20k) is never held: it is computed in row blocks (``block``
rows × all columns, one matrix product each) and reduced on the fly, so memory is O(block × m).

Score: the ratio margin of Artetxe & Schwenk (2019), as in comparable mode,
``cos(x, y) / ((mean cos of x to its k nearest ys + mean cos of y to its k nearest xs) / 2)``:
higher is better, about 1.0 means "no closer than its usual neighbours"; real translations
among unrelated sentences score well above. It discounts sentences that resemble everything
(short headlines, boilerplate, duplicates) where a raw cosine would pair them.

Two passes over the blocks, both exact (no approximate index: at 20k × 20k exact scoring takes
seconds, see ``benchmarks/mining.md``):

1. neighbour means: each row's top-k cosines come from its own block; each column's top-k is
   merged across blocks (a running k × m array);
2. best partners: the margin of every block, each row's best column (forward best) and a running
   best row per column (backward best).

Candidates are forward best ∪ backward best (``mutual=False``: made one-to-one greedily, best
score first) or only mutual best pairs (``mutual=True``), kept when the margin clears
``threshold`` (default chosen on the NTREX mining benchmark, ``benchmarks/mining.py``) and the
cosine clears a floor (``min_cosine``, 0.3: in a small pool the margin alone lets unrelated
pairs through).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..alignment import Alignment, Bead, fill_unaligned
from ..embed import load_embedder
from ..embed.encode import encode_all
from ..errors import AlignerError
from ..progress import progress
from ..read.collection import read_side
from ..segment import Sentence, as_sentences, splitter_id
from ..signature import signature
from .dedupe import first_occurrences
from .knn import index_kind
from .margin import apply_margin, candidate_margin, neighbour_means, topk_means
from .shards import embed_shards, regroup, split_rows, topk_lists


@dataclass(frozen=True)
class MineParams:
    """Settings of mining; see ``benchmarks/mining.md`` for how the defaults were chosen."""

    # ratio margin a pair needs; best F1 on benchmarks/mining.md
    threshold: float = field(default=1.15, metadata={"sig": "thr"})
    # Cosine floor: in a small pool the k nearest neighbours are all unrelated, so an unrelated
    # pair (cosine 0.2) can still reach margin 1.2. Real translations score 0.5-0.9 with the
    # bundled model; the NTREX benchmark loses no true pair at 0.3.
    min_cosine: float = field(default=0.3, metadata={"sig": "mincos"})
    k: int = field(default=4, metadata={"sig": "k"})  # neighbours for the margin, both ways
    # only mutual best pairs (else forward ∪ backward best, one-to-one)
    mutual: bool = field(default=False, metadata={"sig": "mutual"})
    # rows per matrix product: memory is about block × m × 4 bytes; results do not depend on it
    block: int = field(default=1024, metadata={"sig": None})
    # candidate search: 'exact' (every cosine), 'hnsw' or 'ivf' (a faiss index per shard) or
    # 'auto' (exact up to knn.EXACT_MAX_CELLS = n × m, HNSW past it; benchmarks/scale.md)
    index: str = field(default="auto", metadata={"sig": "index"})
    # on a cluster or with an index, each sentence's margin-best partner is sought among its
    # top `candidates` cosines (scale.md: 16 keep every exactly-selected pair at 100k)
    candidates: int = field(default=16, metadata={"sig": "cand"})
    # drop repeated sentences (same text after NFKC, case folding, spacing) before mining
    dedupe: bool = field(default=True, metadata={"sig": "dedupe"})


@dataclass(frozen=True)
class MineScores:
    """Per-row and per-column best partners under the ratio margin, from :func:`mine_scores`."""

    fwd: np.ndarray  # (n,) best target of each source sentence
    fwd_margin: np.ndarray  # (n,) its margin
    bwd: np.ndarray  # (m,) best source of each target sentence
    bwd_margin: np.ndarray  # (m,)
    fwd_cos: np.ndarray  # (n,) cosine of each source sentence to its best target
    bwd_cos: np.ndarray  # (m,)
    src_knn: np.ndarray = field(repr=False)  # (n,) mean cosine to the k nearest targets
    tgt_knn: np.ndarray = field(repr=False)  # (m,)


def mine_scores(x: np.ndarray, y: np.ndarray, k: int = 4, block: int = 1024) -> MineScores:
    """Best partners both ways under the ratio margin, exact, in O(block × m) memory.

    ``x`` (n × d) and ``y`` (m × d) are L2-normalised sentence vectors.
    """
    if k < 1:
        raise AlignerError("mining: k must be at least 1.")
    if block < 1:
        raise AlignerError("mining: block must be at least 1.")
    n, m = len(x), len(y)
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.ascontiguousarray(y, dtype=np.float32)
    if n == 0 or m == 0:
        zn, zm = np.zeros(n), np.zeros(m)
        return MineScores(np.zeros(n, int), zn, np.zeros(m, int), zm, zn, zm, zn, zm)
    with progress(n, "neighbours", unit="row") as update:
        r, c = neighbour_means(x, y, k, block, update)
    fwd = np.empty(n, dtype=np.int64)
    fwd_margin = np.empty(n, dtype=np.float32)
    bwd = np.zeros(m, dtype=np.int64)
    bwd_margin = np.full(m, -np.inf, dtype=np.float32)
    fwd_cos = np.empty(n, dtype=np.float32)
    bwd_cos = np.zeros(m, dtype=np.float32)
    with progress(n, "best pairs", unit="row") as update:
        for a in range(0, n, block):
            b = min(n, a + block)
            sims = x[a:b] @ y.T
            margin = apply_margin(sims, r[a:b], c)
            rows = np.arange(b - a)
            fwd[a:b] = margin.argmax(axis=1)
            fwd_margin[a:b] = margin[rows, fwd[a:b]]
            fwd_cos[a:b] = sims[rows, fwd[a:b]]
            best = margin.argmax(axis=0)
            cols = np.arange(m)
            val = margin[best, cols]
            better = val > bwd_margin  # strict: the earliest row wins ties, as argmax does
            bwd[better] = best[better] + a
            bwd_margin[better] = val[better]
            bwd_cos[better] = sims[best, cols][better]
            update(b - a)
    return MineScores(fwd, fwd_margin, bwd, bwd_margin, fwd_cos, bwd_cos, r, c)


def candidate_scores(fwd: tuple, bwd: tuple, k: int) -> MineScores:
    """Best partners both ways among each sentence's top-K cosine neighbours (``fwd`` =
    (values, ids) of each source row's top K targets, ``bwd`` the other way), the neighbour
    means from the first ``k`` of each list."""
    (fv, fi), (bv, bi) = fwd, bwd
    r, c = topk_means(fv[:, :k]), topk_means(bv[:, :k])

    def best(vals, ids, own, other):
        margin = candidate_margin(vals, own, other[np.maximum(ids, 0)])
        margin[ids < 0] = -np.inf
        col = margin.argmax(axis=1)
        rows = np.arange(len(vals))
        return ids[rows, col], margin[rows, col], vals[rows, col]

    f, fm, fc = best(fv, fi, r, c)
    b, bm, bc = best(bv, bi, c, r)
    return MineScores(f, fm.astype(np.float32), b, bm.astype(np.float32), fc, bc, r, c)


def select_pairs(
    scores: MineScores, threshold: float, mutual: bool = False, min_cosine: float = -1.0
) -> list[tuple[int, int, float]]:
    """(i, j, margin) candidates with margin >= ``threshold`` and cosine >= ``min_cosine``,
    each sentence at most once, in source order.

    ``mutual``: i's best is j and j's best is i. Otherwise forward ∪ backward best, taken
    greedily from the highest margin down so that no sentence is paired twice.
    """
    cands: dict[tuple[int, int], float] = {}
    fwd = zip(scores.fwd.tolist(), scores.fwd_margin.tolist(), scores.fwd_cos.tolist(),
              strict=True)  # fmt: skip
    for i, (j, s, cos) in enumerate(fwd):
        if s >= threshold and cos >= min_cosine and (not mutual or scores.bwd[j] == i):
            cands[(i, j)] = s
    if not mutual:
        bwd = zip(scores.bwd.tolist(), scores.bwd_margin.tolist(), scores.bwd_cos.tolist(),
                  strict=True)  # fmt: skip
        for j, (i, s, cos) in enumerate(bwd):
            if s >= threshold and cos >= min_cosine:
                cands[(i, j)] = s
    used_s: set[int] = set()
    used_t: set[int] = set()
    kept = []
    for (i, j), s in sorted(cands.items(), key=lambda c: (-c[1], c[0])):
        if i in used_s or j in used_t:
            continue
        used_s.add(i)
        used_t.add(j)
        kept.append((i, j, s))
    return sorted(kept)


def _embed(sents: list[Sentence], embedder, lang: str) -> np.ndarray:
    with progress(len(sents), f"embedding {lang}") as update:
        return encode_all(embedder, [s.text for s in sents], update)


def mine_sentences(
    src: Sequence[str] | Sequence[Sentence],
    tgt: Sequence[str] | Sequence[Sentence],
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder=None,
    params: MineParams | None = None,
    src_vecs: np.ndarray | None = None,
    tgt_vecs: np.ndarray | None = None,
) -> Alignment:
    """Candidate pairs between two sentence lists; every other sentence listed as unaligned.

    Returns an :class:`Alignment` with ``mode="mining"`` (pairs may cross): pair beads in
    source order, each scored by its ratio margin (higher is better, ~1.0 = no better than the
    neighbours; not a cosine: the cosines are in ``info["cosine"]``, one per pair bead), then the
    unaligned sentences. ``src_vecs``/``tgt_vecs``: precomputed L2-normalised embeddings.
    """
    return _mine(as_sentences(list(src)), as_sentences(list(tgt)), src_lang, tgt_lang,
                 embedder, params, src_vecs, tgt_vecs)  # fmt: skip


def _cosines(scores: MineScores, pairs) -> list[float]:
    """Each selected pair's cosine: the one its forward or backward search found."""
    return [round(float(scores.fwd_cos[i] if scores.fwd[i] == j else scores.bwd_cos[j]), 4)
            for i, j, _ in pairs]  # fmt: skip


def _scores(xs, ys, n: int, m: int, params: MineParams, client=None) -> MineScores:
    """Exhaustive margins in this process up to the exact limit; past it, or on a cluster,
    top-K candidates from sharded search (exact, HNSW or IVF per shard)."""
    kind = index_kind(params.index, n, m)
    if client is None and kind == "exact":
        return mine_scores(np.concatenate(xs[0]), np.concatenate(ys[0]), params.k, params.block)
    if client is None and kind == "hnsw":  # one graph per side: a query visits one, not four
        xs, ys = ([np.concatenate(xs[0])], [n]), ([np.concatenate(ys[0])], [m])
    kk = max(params.k, params.candidates)
    with progress(2, "searching", unit="side") as update:
        fwd = topk_lists(client, xs[0], ys[0], ys[1], kk, kind, params.block)
        update(1)
        bwd = topk_lists(client, ys[0], xs[0], xs[1], kk, kind, params.block)
        update(1)
    return candidate_scores(fwd, bwd, params.k)


def _shards(client, texts, vecs, embedder, lang: str, options: dict):
    """(shards, sizes) of one side's vectors: given, embedded here, or embedded on the
    workers (where they stay)."""
    if vecs is None and client is not None:
        futures, sizes = embed_shards(client, texts, **options)
        return regroup(client, futures, sizes)
    if vecs is None:
        with progress(len(texts), f"embedding {lang}") as update:
            vecs = encode_all(embedder, texts, update)
    parts = split_rows(np.asarray(vecs, dtype=np.float32))
    if client is not None:
        parts = client.scatter(parts)
    return parts, [len(p) for p in parts]


def _mine(s_sents, t_sents, src_lang, tgt_lang, embedder, params, src_vecs=None, tgt_vecs=None,
          split=None, client=None) -> Alignment:  # fmt: skip
    params = params or MineParams()
    t0 = time.perf_counter()
    n_all, m_all = len(s_sents), len(t_sents)
    ks = first_occurrences([s.text for s in s_sents]) if params.dedupe else np.arange(n_all)
    kt = first_occurrences([s.text for s in t_sents]) if params.dedupe else np.arange(m_all)
    if (src_vecs is None or tgt_vecs is None) and client is None:
        embedder = embedder or load_embedder()
    options, model_id = _embed_options(embedder, src_vecs is not None and tgt_vecs is not None)
    xs = _shards(client, [s_sents[i].text for i in ks], None if src_vecs is None else
                 np.asarray(src_vecs)[ks], embedder, src_lang, options)  # fmt: skip
    ys = _shards(client, [t_sents[j].text for j in kt], None if tgt_vecs is None else
                 np.asarray(tgt_vecs)[kt], embedder, tgt_lang, options)  # fmt: skip
    t_embed = time.perf_counter()
    scores = _scores(xs, ys, len(ks), len(kt), params, client)
    found = select_pairs(scores, params.threshold, params.mutual, params.min_cosine)
    t_score = time.perf_counter()
    pairs = [(int(ks[i]), int(kt[j]), s) for i, j, s in found]
    beads = fill_unaligned((Bead((i,), (j,), round(s, 4)) for i, j, s in pairs), n_all, m_all)
    info = {
        "params": asdict(params),
        "cosine": _cosines(scores, found),
        "duplicates": {"src": n_all - len(ks), "tgt": m_all - len(kt)},
        "timings": {"embed": t_embed - t0, "score": t_score - t_embed,
                    "total": time.perf_counter() - t0},
    }  # fmt: skip
    sig = signature("mining", model_id, params, split)
    return Alignment(beads, s_sents, t_sents, src_lang, tgt_lang, sig, info, mode="mining")


def _embed_options(embedder, precomputed: bool) -> tuple[dict, str]:
    """What workers need to load the same model as ``embedder``, and the model id the
    signature records."""
    if embedder is None:
        from ..embed.usem3 import USEEmbedder

        return {}, "precomputed" if precomputed else USEEmbedder().model_id
    inner = getattr(embedder, "inner", embedder)
    path = getattr(inner, "name_or_path", None)
    options = {"model": f"st:{path}" if path else "usem3",
               "threads": getattr(inner, "threads", 1), "cache": inner is not embedder}  # fmt: skip
    return options, getattr(embedder, "model_id", "?")


def mine_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    embedder=None,
    params: MineParams | None = None,
    presplit: bool = False,
    encoding: str | None = None,
    force: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client=None,
) -> Alignment:
    """Mine two files or two folders of ``.txt`` documents (all sentences pooled per side).

    Each side goes through the input checks of ``aligner align`` (its language, damaged UTF-8;
    ``force`` skips the language check). The result's ``info["src_doc"]``/``info["tgt_doc"]``
    give each sentence's document name (its path relative to the folder, or the file name).
    ``workers`` (a LocalCluster of that many processes), ``scheduler`` (an existing Dask
    cluster) or ``client``: embed on the workers and search there in shards.
    """
    src = read_side(src_path, src_lang, presplit=presplit, encoding=encoding, force=force,
                    option="--src-lang")  # fmt: skip
    tgt = read_side(tgt_path, tgt_lang, presplit=presplit, encoding=encoding, force=force,
                    option="--tgt-lang")  # fmt: skip
    if not src.sentences or not tgt.sentences:
        empty = src_path if not src.sentences else tgt_path
        raise AlignerError(f"{empty}: no sentences found; nothing to mine.")
    split = None if presplit else f"{splitter_id(src_lang)}+{splitter_id(tgt_lang)}"
    if workers is None and scheduler is None and client is None:
        result = _mine(src.sentences, tgt.sentences, src_lang, tgt_lang, embedder, params,
                       split=split)  # fmt: skip
    else:
        from ..batch.cluster import connect
        from ..batch.work import BatchOptions, LoadModel

        options, _ = _embed_options(embedder or load_embedder(), False)
        with connect(workers, scheduler, client=client) as c:
            c.register_plugin(LoadModel(BatchOptions(**options)), name=LoadModel.name)
            result = _mine(src.sentences, tgt.sentences, src_lang, tgt_lang, embedder, params,
                           split=split, client=c)  # fmt: skip
    result.info.update(src_doc=src.docs, tgt_doc=tgt.docs)
    result.warnings.extend(src.warnings + tgt.warnings)
    return result
