"""Figures for notebooks: the similarity heatmap with the chosen path, and the score
distribution. Needs matplotlib (``pip install 'aligner[plot]'``)."""

from __future__ import annotations

from ..errors import AlignerError


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise AlignerError(
            "plotting needs matplotlib: pip install 'aligner[plot]' (or pip install matplotlib)."
        ) from None
    return plt


def heatmap(alignment, embedder=None, ax=None, max_size: int = 300):
    """Sentence similarity matrix (rows: source, columns: target) with the bead path in red
    and unaligned sentences as orange dots. Returns the matplotlib Axes."""
    from .matrix import similarity_matrix

    plt = _pyplot()
    m = similarity_matrix(alignment, embedder, max_size=max_size)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    image = ax.imshow(m.values, cmap="Blues", aspect="auto", interpolation="nearest",
                      extent=(0, m.values.shape[1], m.values.shape[0], 0))  # fmt: skip
    xs, ys = zip(*m.path(alignment), strict=True)
    ax.plot(xs, ys, color="#d62728", linewidth=1.5, label="chosen path")
    i = j = 0
    skip_x, skip_y = [], []
    for b in alignment.beads:
        if not b.aligned:
            skip_x.append((j + 0.5 * len(b.tgt_ids)) * m.scale_tgt)
            skip_y.append((i + 0.5 * len(b.src_ids)) * m.scale_src)
        i += len(b.src_ids)
        j += len(b.tgt_ids)
    if skip_x:
        ax.scatter(skip_x, skip_y, s=30, color="#ff9900", edgecolor="black", zorder=3,
                   label="unaligned")  # fmt: skip
    ax.set_xlabel(f"{alignment.tgt_lang} sentence")
    ax.set_ylabel(f"{alignment.src_lang} sentence")
    ax.set_title("Sentence similarity and alignment path")
    ax.legend(loc="lower left", fontsize="small")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="cosine similarity")
    return ax


def score_histogram(alignment, ax=None, bins: int = 20):
    """Distribution of aligned-bead scores (similarities, higher is better)."""
    plt = _pyplot()
    scores = [b.score for b in alignment.beads if b.aligned]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    ax.hist(scores, bins=bins, range=(min([0.0, *scores]), 1.0), color="#4c72b0",
            edgecolor="white")  # fmt: skip
    ax.set_xlabel("score (cosine similarity, higher is better)")
    ax.set_ylabel("aligned beads")
    ax.set_title(f"{len(scores)} aligned beads")
    return ax


def overview(alignment, embedder=None):
    """Heatmap and histogram side by side; returns the Figure."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5),
                                      gridspec_kw={"width_ratios": [1.1, 1]})  # fmt: skip
    heatmap(alignment, embedder, ax=left)
    score_histogram(alignment, ax=right)
    fig.tight_layout()
    return fig
