import numpy as np
import pytest

from aligner.embed.base import l2_normalise
from aligner.parallel.corridor import corridor_from_points, find_corridor, full_corridor
from aligner.parallel.dp import bead_dp


def _full_costs(cost11, types):
    """Costs for a full corridor where only 1-1 beads are cheap on a given diagonal."""
    n, m = cost11.shape
    costs = np.full((len(types), n + 1, m + 1), 5.0, dtype=np.float32)
    costs[0, 1:, 1:] = cost11
    return costs


def test_dp_finds_the_diagonal_and_skips():
    n, m = 6, 7
    cost11 = np.full((n, m), 3.0)
    # 0-0, 1-1, 2-3 (target 2 left out), 3-4, 4-5, 5-6
    for i, j in [(0, 0), (1, 1), (2, 3), (3, 4), (4, 5), (5, 6)]:
        cost11[i, j] = 0.1
    types = [(1, 1), (1, 2), (2, 1)]
    lo, hi = full_corridor(n, m)
    beads, total = bead_dp(lo, hi, _full_costs(cost11, types), types, np.ones(n), np.ones(m))
    assert beads[2] == (2, 2, 2, 3)  # 0-1 bead for target 2
    assert [(b[0], b[2]) for b in beads if b[1] - b[0] == 1] == [
        (0, 0), (1, 1), (2, 3), (3, 4), (4, 5), (5, 6)
    ]  # fmt: skip
    assert abs(total - (6 * 0.1 + 1.0)) < 1e-5


def test_dp_prefers_a_merge_when_it_is_cheaper():
    types = [(1, 1), (2, 1)]
    n, m = 2, 1
    lo, hi = full_corridor(n, m)
    costs = np.full((2, n + 1, m + 1), np.inf, dtype=np.float32)
    costs[0, 1, 1] = 0.2
    costs[0, 2, 1] = 0.2
    costs[1, 2, 1] = 0.3  # 2-1 at 0.3 beats 1-1 (0.2) + skip (0.5)
    beads, _ = bead_dp(lo, hi, costs, types, np.full(n, 0.5), np.full(m, 0.5))
    assert beads == [(0, 2, 0, 1)]


def test_every_sentence_once_in_order_random_costs():
    rng = np.random.default_rng(0)
    types = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1)]
    for _ in range(20):
        n, m = rng.integers(1, 12, size=2)
        lo, hi = full_corridor(n, m)
        costs = rng.random((len(types), n + 1, m + 1)).astype(np.float32)
        beads, _ = bead_dp(lo, hi, costs, types, rng.random(n), rng.random(m))
        assert [i for b in beads for i in range(b[0], b[1])] == list(range(n))
        assert [j for b in beads for j in range(b[2], b[3])] == list(range(m))
        assert all((b[1] - b[0], b[3] - b[2]) in types + [(1, 0), (0, 1)] for b in beads)


def test_corridor_matches_full_search_on_long_parallel_vectors():
    """The coarse-to-fine corridor contains the true path of a long, shifted parallel text."""
    rng = np.random.default_rng(1)
    n = 3000
    base = l2_normalise(rng.normal(size=(n, 64)).astype(np.float32))
    noise = rng.normal(scale=0.1, size=(n, 64)).astype(np.float32)
    src = base
    # the target drops 40 sentences in the middle and adds 25 unrelated ones at the start
    keep = np.r_[0:1000, 1040:n]
    extra = l2_normalise(rng.normal(size=(25, 64)).astype(np.float32))
    tgt = l2_normalise(np.vstack([extra, base[keep] + noise[keep]]))
    lo, hi = find_corridor(src, tgt, radius=8)
    assert (hi - lo).max() < 200  # a corridor, not the whole matrix
    for i_src in (0, 500, 999, 1040, 2000, n - 1):
        j = 25 + int(np.searchsorted(keep, i_src))
        assert lo[i_src + 1] <= j + 1 <= hi[i_src + 1]


def test_corridor_from_points_is_monotone_and_covers_points():
    pts = [(0, 0), (2, 3), (4, 4), (10, 12)]
    lo, hi = corridor_from_points(pts, 10, 12, radius=1)
    assert lo[0] == 0 and hi[-1] == 12
    assert np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) >= 0)
    for i, j in pts:
        assert lo[i] <= j <= hi[i]


def test_mid_size_documents_get_a_band_wider_where_the_coarse_path_skips():
    """No slow spot: 300 sentences a side are searched in a band around the coarse path (the
    whole 90k-cell lattice cost ~6x more). A free translation whose coarse path skips more
    than RELIABLE_SKIPS of its steps gets a band twice as wide, still far from the whole
    lattice, and the true path lies inside it."""
    from aligner.embed.base import l2_normalise
    from aligner.parallel.corridor import _coarse_path, _downsample, _skip_share, find_corridor

    rng = np.random.default_rng(0)
    src = l2_normalise(rng.standard_normal((300, 64)))
    tgt = l2_normalise(src + 0.05 * rng.standard_normal((300, 64)))  # cosine ~0.9
    lo, hi = find_corridor(src, tgt, radius=8)
    assert int((hi - lo).max()) + 1 < 45 and all(lo[i] <= i <= hi[i] for i in range(301))
    # every fourth source sentence left out, the rest loosely translated
    kept = [i for i in range(300) if i % 4 != 1]
    free = l2_normalise(src[kept] + 0.075 * rng.standard_normal((len(kept), 64)))
    assert _skip_share(_coarse_path(_downsample(src), _downsample(free), 8)) > 0.1
    lo, hi = find_corridor(src, free, radius=8)
    assert 45 < int((hi - lo).max()) + 1 < 100  # wider than the reliable band, not 226
    assert all(lo[i + 1] <= k + 1 <= hi[i + 1] for k, i in enumerate(kept))


def test_bead_features_follow_their_formulas_cell_by_cell():
    """The compiled features against their definitions, cell by cell, in a banded corridor:
    the distance over the neighbourhood, the length mismatch, and the merge gain (the bead's
    cosine minus the best of the beads one sentence smaller inside it)."""
    from aligner.matching.margin import INVALID, corridor_neighbour_means
    from aligner.parallel.corridor import corridor_from_points
    from aligner.parallel.costs import CostParams, bead_features
    from aligner.parallel.similarity import corridor_sims

    rng = np.random.default_rng(5)
    n, m = 23, 19
    sent_s = l2_normalise(rng.standard_normal((n, 16)).astype(np.float32))
    sent_t = l2_normalise(rng.standard_normal((m, 16)).astype(np.float32))
    win_s = {k: l2_normalise(sum(sent_s[i : n - k + 1 + i] for i in range(k))) for k in (1, 2)}
    win_t = {k: l2_normalise(sum(sent_t[i : m - k + 1 + i] for i in range(k))) for k in (1, 2)}
    path = [(i, round(i * m / n)) for i in range(0, n, 2)] + [(n, m)]
    lo, hi = corridor_from_points(path, n, m, radius=2)  # a real band: its rows move right
    width = int((hi - lo).max()) + 1
    assert lo[-1] > 0 and width < m
    types = [(1, 1), (1, 2), (2, 1), (2, 2)]
    sims = {(a, b): corridor_sims(win_s[a], win_t[b], lo, width, a, b) for a, b in types}
    len_s, len_t = rng.uniform(5, 80, n), rng.uniform(5, 80, m)
    params = CostParams()
    feats, ratio = bead_features(sims, lo, hi, len_s, len_t, params)
    r_s, r_t = (np.maximum(x, 0.05) for x in corridor_neighbour_means(sims[(1, 1)], lo, hi, m, 2))

    def cos(a, b, i, j):  # the (a, b) bead ending at lattice point (i, j)
        return float(win_s[a][i - a] @ win_t[b][j - b]) if i >= a and j >= b else None

    def within(a, b, i, j):  # a smaller bead counts where the corridor holds it
        inside = lo[i] <= j < lo[i] + width and cos(a, b, i, j) is not None
        return cos(a, b, i, j) if inside else float(INVALID)

    checked = 0
    for (a, b), f in feats.items():
        for i in range(n + 1):
            for jj in range(width):
                j = lo[i] + jj
                inside = i >= a and b <= j <= m  # every cell of the row's width counts
                assert f.inside[i, jj] == inside, (a, b, i, j)
                if not inside:
                    continue
                s = cos(a, b, i, j)
                r = (r_s[i - a : i].mean() + r_t[j - b : j].mean()) / 2
                assert f.distance[i, jj] == pytest.approx((1 - s) / max(1 - r, 0.05), rel=1e-5)
                ls, lt = len_s[i - a : i].sum(), len_t[j - b : j].sum()
                mismatch = np.log((lt + 15 * ratio) / (ls * ratio + 15 * ratio))
                assert f.length[i, jj] == pytest.approx(mismatch, rel=1e-5, abs=1e-6)
                assert f.valid[i, jj] == (s >= params.min_pair_sim)
                if (a, b) == (1, 1):
                    assert f.gain is None
                    continue
                smaller = [within(a - 1, b, i - 1, j), within(a - 1, b, i, j)] if a > 1 else []
                smaller += [within(a, b - 1, i, j - 1), within(a, b - 1, i, j)] if b > 1 else []
                assert f.gain[i, jj] == pytest.approx(s - max(smaller), abs=2e-6), (a, b, i, j)
                checked += 1
    assert checked > 200


def test_corridor_cosines_refuse_a_corridor_that_moves_left():
    """The gather reads one contiguous run of target windows per block of rows, which holds
    for monotone corridors only (all that the aligner makes): any other is refused, never
    read wrongly."""
    from aligner.parallel.similarity import corridor_sims

    vecs = l2_normalise(np.random.default_rng(0).standard_normal((12, 8)).astype(np.float32))
    lo = np.array([0, 3, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9])
    with pytest.raises(ValueError, match="left"):
        corridor_sims(vecs, vecs, lo, 4, 1, 1)
    lo.sort()
    assert (corridor_sims(vecs, vecs, lo, 4, 1, 1)[1:] > -2).any()
