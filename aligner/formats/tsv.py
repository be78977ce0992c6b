"""TSV for MT pipelines: `cut -f1,2` gives clean bitext."""

from __future__ import annotations

import re
from pathlib import Path

from ._io import write_text_output

# everything a reader may take as a field or line break (str.splitlines counts \x1c-\x1e, \x85)
_WS = re.compile(r"[\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
COLUMNS = ["src_text", "tgt_text", "score", "type", "src_ids", "tgt_ids"]


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text).strip()


def tsv_lines(alignment, header: bool = False, min_score: float | None = None):
    if header:
        yield "\t".join(COLUMNS)
    for b in alignment.beads:
        if min_score is not None and b.aligned and b.score < min_score:
            continue
        yield "\t".join(
            [
                clean_cell(alignment.src_text(b)),
                clean_cell(alignment.tgt_text(b)),
                f"{b.score:.4f}",
                b.type,
                ",".join(map(str, b.src_ids)),
                ",".join(map(str, b.tgt_ids)),
            ]
        )


def write_tsv(
    alignment, path: str | Path | None = None, header: bool = False, min_score: float | None = None
):
    """``min_score`` drops aligned beads scoring under it (unaligned beads stay: they score 0)."""
    text = "".join(line + "\n" for line in tsv_lines(alignment, header, min_score))
    return write_text_output(text, path)
