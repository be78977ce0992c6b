"""HTML review page: one self-contained file (inline CSS, JS, SVG; no network) for checking an
alignment the way CAT-tool alignment editors do: both texts side by side, one row per bead,
coloured by score, with a score histogram, a similarity heatmap with the chosen path, filters
and keyboard navigation. Also the compact table notebooks show (``Alignment._repr_html_``).
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from html import escape

import numpy as np

from .._version import __version__

# Score colours: red at LOW_SCORE or below, green at HIGH_SCORE or above. The bundled model's
# similarities for real translations mostly fall between these (see README, "Review and export").
LOW_SCORE, HIGH_SCORE = 0.1, 0.7
HIST_BINS = 20


def score_colour(score: float, aligned: bool = True) -> str:
    """Background colour for a score: red (low) through yellow to green (high); grey if none."""
    if not aligned:
        return "#e4e4e4"
    t = min(max((score - LOW_SCORE) / (HIGH_SCORE - LOW_SCORE), 0.0), 1.0)
    return f"hsl({round(120 * t)}, 70%, 82%)"


def _ids(ids) -> str:
    return ",".join(map(str, ids))


# --- compact table for Jupyter ---------------------------------------------------------------


def repr_html(alignment, max_rows: int = 60) -> str:
    """Compact bead table for notebooks; the first ``max_rows`` beads, coloured by score."""
    s = alignment.summary()
    rows = []
    for k, b in enumerate(alignment.beads[:max_rows]):
        style = f"background:{score_colour(b.score, b.aligned)}"
        rows.append(
            f"<tr><td>{k}</td><td>{escape(b.type)}</td>"
            f"<td style='{style}'>{b.score:.3f}</td>"
            f"<td style='text-align:left'>{escape(alignment.src_text(b)) or '<i>—</i>'}</td>"
            f"<td style='text-align:left'>{escape(alignment.tgt_text(b)) or '<i>—</i>'}</td></tr>"
        )
    more = len(alignment.beads) - max_rows
    tail = f"<p>… {more} more beads (use <code>.to_dataframe()</code>)</p>" if more > 0 else ""
    return (
        f"<p><b>Alignment</b>: {s['pairs']} pairs, {s['unaligned_src']} + {s['unaligned_tgt']} "
        f"unaligned ({escape(alignment.src_lang)} + {escape(alignment.tgt_lang)}), "
        f"mean score {s['mean_score']:.3f}</p>"
        "<table><thead><tr><th>#</th><th>type</th><th>score</th>"
        f"<th>{escape(alignment.src_lang)}</th><th>{escape(alignment.tgt_lang)}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{tail}"
    )


# --- pieces of the review page ----------------------------------------------------------------


def _png(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 array as PNG with the standard library only."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _heat_rgb(values: np.ndarray) -> np.ndarray:
    """White (dissimilar) to dark blue (similar), contrast stretched to the matrix's range."""
    lo, hi = float(values.min()), float(values.max())
    t = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    white, blue = np.array([255, 255, 255]), np.array([8, 48, 107])
    rgb = white + (blue - white) * t[..., None]
    return np.clip(rgb, 0, 255).astype(np.uint8)


def heatmap_svg(alignment, matrix, size: int = 360) -> str:
    """Similarity heatmap (rows: source, columns: target) with the bead path drawn on it."""
    rows, cols = matrix.values.shape
    if rows == 0 or cols == 0:
        return "<p>No sentences on one side: no heatmap.</p>"
    png = base64.b64encode(_png(_heat_rgb(matrix.values))).decode("ascii")
    stroke = max(cols, rows) / 250
    if alignment.mode != "parallel":  # pairs in any order: each drawn where it is, no path
        marks = _pair_marks(alignment, matrix, stroke)
    else:
        pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in matrix.path(alignment))
        marks = [f"<polyline points='{pts}' fill='none' stroke='#d62728' "
                 f"stroke-width='{stroke:.3f}'/>", *_skip_marks(alignment, matrix)]  # fmt: skip
    return (
        f"<svg id='heatmap' viewBox='0 0 {cols} {rows}' width='{size}' height='{size}' "
        f"preserveAspectRatio='none' role='img' aria-label='similarity heatmap'>"
        f"<image href='data:image/png;base64,{png}' x='0' y='0' width='{cols}' height='{rows}' "
        f"preserveAspectRatio='none' style='image-rendering:pixelated'/>"
        f"{''.join(marks)}</svg>"
    )


def _pair_marks(alignment, matrix, stroke: float) -> list[str]:
    marks = []
    for k, b in enumerate(alignment.beads):
        if b.aligned:
            x, y = min(b.tgt_ids) * matrix.scale_tgt, min(b.src_ids) * matrix.scale_src
            w, h = len(b.tgt_ids) * matrix.scale_tgt, len(b.src_ids) * matrix.scale_src
            marks.append(
                f"<rect class='pair' data-bead='{k}' x='{x:.2f}' y='{y:.2f}' width='{w:.2f}' "
                f"height='{h:.2f}' stroke-width='{stroke:.3f}'/>"
            )
    return marks


def _skip_marks(alignment, matrix) -> list[str]:
    rows, cols = matrix.values.shape
    marks = []
    i = j = 0
    for k, b in enumerate(alignment.beads):
        if not b.aligned:
            x = (j + 0.5 * len(b.tgt_ids)) * matrix.scale_tgt
            y = (i + 0.5 * len(b.src_ids)) * matrix.scale_src
            marks.append(
                f"<circle class='skip' data-bead='{k}' cx='{x:.2f}' cy='{y:.2f}' "
                f"r='{max(cols, rows) / 60:.2f}'/>"
            )
        i += len(b.src_ids)
        j += len(b.tgt_ids)
    return marks


def histogram_svg(alignment, width: int = 360, height: int = 140) -> str:
    """Score histogram of the aligned beads (unaligned beads have no score)."""
    scores = [b.score for b in alignment.beads if b.aligned]
    counts, edges = np.histogram(np.clip(scores, 0, 1), bins=HIST_BINS, range=(0, 1))
    top = max(int(counts.max()) if len(scores) else 0, 1)
    bw = width / HIST_BINS
    plot_h = height - 20
    bars = []
    for c, left in zip(counts, edges[:-1], strict=True):
        h = plot_h * c / top
        x = left * width
        colour = score_colour(left + 0.5 / HIST_BINS)
        bars.append(
            f"<rect x='{x:.1f}' y='{plot_h - h:.1f}' width='{bw - 1:.1f}' height='{h:.1f}' "
            f"fill='{colour}' stroke='#888'><title>{left:.2f}–{left + 1 / HIST_BINS:.2f}: "
            f"{c}</title></rect>"
        )
    ticks = "".join(
        f"<text x='{v * width:.0f}' y='{height - 4}' text-anchor='middle'>{v:.1f}</text>"
        for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    )
    return (
        f"<svg id='histogram' viewBox='-8 0 {width + 16} {height}' width='{width}' "
        f"height='{height}' role='img' aria-label='score histogram'>{''.join(bars)}"
        f"<line x1='0' y1='{plot_h}' x2='{width}' y2='{plot_h}' stroke='#444'/>{ticks}</svg>"
    )


def _row(alignment, k: int, b) -> str:
    src = escape(alignment.src_text(b))
    tgt = escape(alignment.tgt_text(b))
    missing = "<span class='none'>no counterpart</span>"
    cls = "bead" if b.aligned else "bead unaligned"
    badge = "" if b.aligned else " <span class='badge'>unaligned</span>"
    score = f"{b.score:.3f}" if b.aligned else "—"
    return (
        f"<tr class='{cls}' id='b{k}' data-score='{b.score:.4f}' "
        f"data-aligned='{int(b.aligned)}' data-type='{b.type}'>"
        f"<td class='n'>{k}</td>"
        f"<td class='score' style='background:{score_colour(b.score, b.aligned)}'>{score}</td>"
        f"<td class='type'>{b.type}{badge}</td>"
        f"<td class='ids'>{_ids(b.src_ids)}</td><td class='text src'>{src or missing}</td>"
        f"<td class='ids'>{_ids(b.tgt_ids)}</td><td class='text tgt'>{tgt or missing}</td></tr>"
    )


CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans KR',sans-serif;margin:0;
color:#222;background:#fafafa}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:18px;margin:0 0 4px}
.meta{color:#555;font-size:12px;word-break:break-all}
.panels{display:flex;gap:24px;flex-wrap:wrap;padding:12px 20px;background:#fff;
border-bottom:1px solid #ddd}
.panel h2{font-size:13px;margin:0 0 6px;color:#444}
#heatmap{border:1px solid #bbb;cursor:crosshair}
#heatmap .skip{fill:#ff9900;stroke:#000;stroke-width:.05}
#heatmap .pair{fill:none;stroke:#d62728;cursor:pointer;pointer-events:all}
#histogram text{font-size:10px;fill:#444}
.controls{position:sticky;top:0;z-index:2;display:flex;gap:18px;align-items:center;
padding:8px 20px;background:#f0f3f7;border-bottom:1px solid #ccd}
.controls label{display:flex;gap:6px;align-items:center}
.keys{color:#666;font-size:12px;margin-left:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th{position:sticky;top:41px;background:#e9edf2;text-align:left;font-weight:600;padding:4px 6px;
border-bottom:1px solid #bbb;z-index:1}
td{padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
td.text{width:42%}
td.n,td.ids{color:#888;font-size:12px;white-space:nowrap}
td.score{font-variant-numeric:tabular-nums;white-space:nowrap}
td.type{white-space:nowrap;font-size:12px}
tr.unaligned td{background:repeating-linear-gradient(135deg,#fff,#fff 6px,#f3f3f3 6px,
#f3f3f3 12px)}
tr.unaligned td.score{background:#e4e4e4}
.badge{display:inline-block;padding:0 5px;border-radius:3px;background:#ff9900;color:#000;
font-size:11px}
.none{color:#999;font-style:italic}
tr.filtered{display:none}
tr.current td{outline:2px solid #1f6feb;outline-offset:-2px}
.legend span{display:inline-block;width:14px;height:10px;margin-right:2px}
"""

JS = r"""
(function(){
  const rows = Array.from(document.querySelectorAll('tr.bead'));
  const minScore = document.getElementById('min-score');
  const minOut = document.getElementById('min-score-value');
  const hideUn = document.getElementById('hide-unaligned');
  const shown = document.getElementById('shown');
  let current = -1;
  function applyFilter(){
    const t = parseFloat(minScore.value);
    minOut.textContent = t.toFixed(2);
    let n = 0;
    for (const r of rows){
      const aligned = r.dataset.aligned === '1';
      const hide = aligned ? (t > 0 && parseFloat(r.dataset.score) < t) : hideUn.checked;
      r.classList.toggle('filtered', hide);
      if (!hide) n++;
    }
    shown.textContent = n + ' of ' + rows.length + ' beads shown';
  }
  function go(k){
    if (k < 0 || k >= rows.length) return;
    if (current >= 0) rows[current].classList.remove('current');
    current = k;
    rows[k].classList.add('current');
    rows[k].scrollIntoView({block:'center'});
  }
  function step(d){
    let k = current < 0 ? (d > 0 ? -1 : rows.length) : current;
    for (k += d; k >= 0 && k < rows.length; k += d){
      if (!rows[k].classList.contains('filtered')){ go(k); return; }
    }
  }
  minScore.addEventListener('input', applyFilter);
  hideUn.addEventListener('change', applyFilter);
  document.addEventListener('keydown', function(e){
    if (e.target.tagName === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown'){ step(1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp'){ step(-1); e.preventDefault(); }
    else if (e.key === 'u'){
      for (let k = current + 1; k < rows.length; k++){
        if (rows[k].dataset.aligned === '0' && !rows[k].classList.contains('filtered')){
          go(k); break;
        }
      }
    }
  });
  for (const [k, r] of rows.entries()) r.addEventListener('click', function(){ go(k); });
  const heat = document.getElementById('heatmap');
  const bounds = JSON.parse(document.getElementById('bead-bounds').textContent);
  if (heat) heat.addEventListener('click', function(e){
    const mark = e.target.closest('[data-bead]');
    if (mark) { go(Number(mark.dataset.bead)); return; }
    if (!bounds.monotone) return;
    const box = heat.getBoundingClientRect();
    const vb = heat.viewBox.baseVal;
    const row = (e.clientY - box.top) / box.height * vb.height / bounds.scale;
    let k = bounds.src_end.findIndex(function(end){ return end > row; });
    if (k < 0) k = rows.length - 1;
    go(k);
  });
  applyFilter();
})();
"""


_HEAT_KEY = {
    "parallel": "chosen path in red, unaligned in orange",
    "comparable": "pairs in red (click one to see it)",
    "mining": "pairs in red (click one to see it)",
}
_SCORES = {
    "parallel": "scores are cosine similarities",
    "comparable": "scores are the probability that a pair corresponds",
    "mining": "scores are ratio margins",
}


def _choice(alignment) -> str:
    """What auto mode chose and why, where it chose (the reader should know it was a guess)."""
    choice = alignment.info.get("mode_choice")
    if not choice:
        return ""
    return (f'\n<div class="meta">auto mode: {escape(str(choice.get("mode")))} '
            f"({escape(str(choice.get('reason')))})</div>")  # fmt: skip


def render_html(alignment, matrix=None, title: str | None = None) -> str:
    """The full review page as a string; ``matrix`` from :func:`similarity_matrix` or None."""
    s = alignment.summary()
    title = title or f"Alignment review ({alignment.src_lang}–{alignment.tgt_lang})"
    rows = "".join(_row(alignment, k, b) for k, b in enumerate(alignment.beads))
    src_end, i = [], 0
    for b in alignment.beads:
        i += len(b.src_ids)
        src_end.append(i)
    scale = matrix.scale_src if matrix is not None else 1.0
    monotone = alignment.mode == "parallel"  # a click's row finds its bead only on a path
    bounds = json.dumps({"src_end": src_end, "scale": scale, "monotone": monotone})
    bounds = bounds.replace("</", "<\\/")
    heat_key = _HEAT_KEY.get(alignment.mode, _HEAT_KEY["parallel"])
    heat = (
        heatmap_svg(alignment, matrix)
        if matrix is not None
        else "<p>Heatmap not drawn (no similarity matrix was given).</p>"
    )
    legend = "".join(
        f"<span style='background:{score_colour(v)}'></span>" for v in np.linspace(0, 0.8, 9)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body>
<header><h1>{escape(title)}</h1>
<div class="meta">{s["src_sentences"]} {escape(alignment.src_lang)} and {s["tgt_sentences"]}
{escape(alignment.tgt_lang)} sentences · {s["pairs"]} aligned beads · {s["unaligned_src"]} +
{s["unaligned_tgt"]} unaligned sentences · mean score {s["mean_score"]:.3f} ·
{_SCORES.get(alignment.mode, _SCORES["parallel"])}, higher is better · aligner
{escape(__version__)}</div>{_choice(alignment)}
<div class="meta">{escape(alignment.signature)}</div></header>
<section class="panels">
<div class="panel"><h2>Similarity ({escape(alignment.src_lang)} rows ×
{escape(alignment.tgt_lang)} columns), {heat_key}</h2>{heat}</div>
<div class="panel"><h2>Scores of aligned beads</h2>{histogram_svg(alignment)}
<p class="legend">low {legend} high</p></div>
</section>
<div class="controls">
<label>Minimum score <input type="range" id="min-score" min="0" max="1" step="0.01" value="0">
<output id="min-score-value">0.00</output></label>
<label><input type="checkbox" id="hide-unaligned"> Hide unaligned</label>
<span id="shown"></span>
<span class="keys">j/↓ next · k/↑ previous · u next unaligned · click the heatmap to jump</span>
</div>
<table id="beads"><thead><tr><th>#</th><th>score</th><th>type</th>
<th>ids</th><th>{escape(alignment.src_lang)}</th><th>ids</th><th>{escape(alignment.tgt_lang)}</th>
</tr></thead><tbody>{rows}</tbody></table>
<script type="application/json" id="bead-bounds">{bounds}</script>
<script>{JS}</script>
</body></html>
"""


def render_page(alignment, *, embedder=None, heatmap: bool = True, title: str | None = None) -> str:
    """The review page of an alignment (the format registry writes it as ``html``).

    The heatmap needs sentence embeddings: ``embedder`` (default: the bundled model, whose
    cache makes this cheap after ``align``); ``heatmap=False`` skips it.
    """
    matrix = None
    if heatmap:
        from .matrix import similarity_matrix

        matrix = similarity_matrix(alignment, embedder)
    return render_html(alignment, matrix, title)
