"""Mining mode: candidate sentence pairs between two large collections (tens of thousands a side).

Comparable mode (``aligner.comparable``) looks at one document pair and holds the whole cosine
matrix. Mining pools every sentence of many documents per side, so the matrix (n × m floats:
1.6 GB at 20k × 20k) is never held: it is computed in row blocks (``block`` rows × all columns,
one matrix product each) and reduced on the fly, so memory is O(block × m).

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

from .alignment import Alignment, Bead
from .comparable import apply_margin, top_k
from .errors import AlignerError
from .progress import progress
from .segment import Sentence, split_text


@dataclass(frozen=True)
class MineParams:
    """Settings of mining; see ``benchmarks/mining.md`` for how the defaults were chosen."""

    threshold: float = 1.15  # ratio margin a pair needs; best F1 on benchmarks/mining.md
    # Cosine floor: in a small pool the k nearest neighbours are all unrelated, so an unrelated
    # pair (cosine 0.2) can still reach margin 1.2. Real translations score 0.5-0.9 with the
    # bundled model; the NTREX benchmark loses no true pair at 0.3.
    min_cosine: float = 0.3
    k: int = 4  # neighbours for the margin, both directions
    mutual: bool = False  # only mutual best pairs (else forward ∪ backward best, one-to-one)
    block: int = 1024  # rows per matrix product: memory is about block × m × 4 bytes


@dataclass
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


def _blocks(n: int, block: int):
    for a in range(0, n, block):
        yield a, min(n, a + block)


def neighbour_means(
    x: np.ndarray, y: np.ndarray, k: int, block: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """Mean cosine of each x to its k nearest ys, and of each y to its k nearest xs; one pass."""
    n, m = len(x), len(y)
    kr, kc = min(k, m), min(k, n)
    r = np.empty(n, dtype=np.float32)
    col_top = np.empty((0, m), dtype=np.float32)  # running top-kc per column
    with progress(n, "neighbours", unit="row") as update:
        for a, b in _blocks(n, block):
            sims = x[a:b] @ y.T
            r[a:b] = np.sort(top_k(sims, kr, axis=1), axis=1).mean(axis=1)
            col_top = np.concatenate([col_top, top_k(sims, min(kc, b - a), axis=0)])
            if len(col_top) > kc:
                col_top = top_k(col_top, kc, axis=0)
            update(b - a)
    # sorted before the mean, so the sum's order (and the last bit) does not depend on blocks
    c = np.sort(col_top, axis=0).mean(axis=0).astype(np.float32)
    return r, c


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
    r, c = neighbour_means(x, y, k, block)
    fwd = np.empty(n, dtype=np.int64)
    fwd_margin = np.empty(n, dtype=np.float32)
    bwd = np.zeros(m, dtype=np.int64)
    bwd_margin = np.full(m, -np.inf, dtype=np.float32)
    fwd_cos = np.empty(n, dtype=np.float32)
    bwd_cos = np.zeros(m, dtype=np.float32)
    with progress(n, "best pairs", unit="row") as update:
        for a, b in _blocks(n, block):
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


def embed_all(texts: list[str], embedder, desc: str, chunk: int = 2048) -> np.ndarray:
    """Encode in chunks so a progress bar can follow tens of thousands of sentences."""
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    parts = []
    with progress(len(texts), desc) as update:
        for a in range(0, len(texts), chunk):
            parts.append(np.asarray(embedder.encode(texts[a : a + chunk]), dtype=np.float32))
            update(len(parts[-1]))
    return np.concatenate(parts)


def mine_sentences(
    src: Sequence[str] | Sequence[Sentence],
    tgt: Sequence[str] | Sequence[Sentence],
    embedder=None,
    params: MineParams | None = None,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    src_vecs: np.ndarray | None = None,
    tgt_vecs: np.ndarray | None = None,
) -> Alignment:
    """Candidate pairs between two sentence lists; every other sentence listed as unaligned.

    Returns an :class:`Alignment` with ``mode="comparable"`` (pairs may cross): pair beads in
    source order, each scored by its ratio margin (higher is better, ~1.0 = no better than the
    neighbours; not a cosine: the cosines are in ``info["cosine"]``, one per pair bead), then the
    unaligned sentences. ``src_vecs``/``tgt_vecs``: precomputed L2-normalised embeddings.
    """
    from .pipeline import _as_sentences

    params = params or MineParams()
    t0 = time.perf_counter()
    s_sents, t_sents = _as_sentences(list(src)), _as_sentences(list(tgt))
    if src_vecs is None or tgt_vecs is None:
        from .embed import load_embedder

        embedder = embedder or load_embedder()
    if src_vecs is None:
        src_vecs = embed_all([s.text for s in s_sents], embedder, f"embedding {src_lang}")
    if tgt_vecs is None:
        tgt_vecs = embed_all([s.text for s in t_sents], embedder, f"embedding {tgt_lang}")
    t_embed = time.perf_counter()
    scores = mine_scores(src_vecs, tgt_vecs, params.k, params.block)
    pairs = select_pairs(scores, params.threshold, params.mutual, params.min_cosine)
    t_score = time.perf_counter()
    beads = [Bead((i,), (j,), round(s, 4)) for i, j, s in pairs]
    cosine = [round(float(src_vecs[i] @ tgt_vecs[j]), 4) for i, j, _ in pairs]
    done_s, done_t = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    beads += [Bead((i,), (), 0.0) for i in range(len(s_sents)) if i not in done_s]
    beads += [Bead((), (j,), 0.0) for j in range(len(t_sents)) if j not in done_t]
    model_id = getattr(embedder, "model_id", "?") if embedder is not None else "precomputed"
    info = {
        "mode": "mining",
        "params": asdict(params),
        "cosine": cosine,
        "timings": {"embed": t_embed - t0, "score": t_score - t_embed,
                    "total": time.perf_counter() - t0},
    }  # fmt: skip
    sig = mining_signature(model_id, params)
    return Alignment(beads, s_sents, t_sents, src_lang, tgt_lang, sig, info, mode="comparable")


def mining_signature(model_id: str, p: MineParams) -> str:
    from . import __version__

    sel = "mutual" if p.mutual else "union"
    return (
        f"aligner:{__version__}|mode:mine|model:{model_id}|k:{p.k}|thr:{p.threshold}"
        f"|mincos:{p.min_cosine}|{sel}"
    )


# --- files and folders -------------------------------------------------------------------


def documents(path: str | Path) -> list[Path]:
    """A file is one document; a folder gives its ``.txt`` files (recursively, sorted)."""
    p = Path(path)
    if not p.exists():
        raise AlignerError(f"{path}: no such file or folder.")
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.txt") if f.is_file())
        if not files:
            raise AlignerError(f"{path}: folder holds no .txt documents.")
        return files
    return [p]


def read_sentences(
    path: str | Path, lang: str, presplit: bool = False, encoding: str | None = None
) -> list[Sentence]:
    """One document's sentences: one per non-empty line (``presplit``), else split from text."""
    from .read import read_text

    text = read_text(path, encoding).text
    if not presplit:
        return split_text(text, lang)
    out, pos = [], 0
    for n, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append(Sentence(stripped, start, start + len(stripped), n))
        pos += len(line) + 1
    return out


def read_side(
    path: str | Path, lang: str, presplit: bool = False, encoding: str | None = None
) -> tuple[list[Sentence], list[str]]:
    """All sentences of one side, pooled (ids global), and the document name of each."""
    root = Path(path)
    sents: list[Sentence] = []
    names: list[str] = []
    for f in documents(root):
        name = str(f.relative_to(root)) if root.is_dir() else f.name
        doc = read_sentences(f, lang, presplit, encoding)
        sents += doc
        names += [name] * len(doc)
    return sents, names


def mine_files(
    src_path: str | Path,
    tgt_path: str | Path,
    src_lang: str = "en",
    tgt_lang: str = "ko",
    presplit: bool = False,
    embedder=None,
    params: MineParams | None = None,
    encoding: str | None = None,
) -> Alignment:
    """Mine two files or two folders of ``.txt`` documents (all sentences pooled per side).

    The result's ``info["src_doc"]``/``info["tgt_doc"]`` give each sentence's document name
    (its path relative to the folder, or the file name).
    """
    src, src_docs = read_side(src_path, src_lang, presplit, encoding)
    tgt, tgt_docs = read_side(tgt_path, tgt_lang, presplit, encoding)
    if not src or not tgt:
        empty = src_path if not src else tgt_path
        raise AlignerError(f"{empty}: no sentences found; nothing to mine.")
    result = mine_sentences(src, tgt, embedder, params, src_lang, tgt_lang)
    result.info["src_doc"] = src_docs
    result.info["tgt_doc"] = tgt_docs
    return result
