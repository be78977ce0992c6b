"""pandas view of an alignment: one row per bead, for notebooks."""

from __future__ import annotations


def to_dataframe(alignment):
    import pandas as pd

    rows = []
    for b in alignment.beads:
        rows.append(
            {
                "src_ids": list(b.src_ids),
                "tgt_ids": list(b.tgt_ids),
                "src_text": alignment.src_text(b),
                "tgt_text": alignment.tgt_text(b),
                "type": b.type,
                "score": b.score,
                "src_para": alignment.src[b.src_ids[0]].para if b.src_ids else None,
                "tgt_para": alignment.tgt[b.tgt_ids[0]].para if b.tgt_ids else None,
            }
        )
    columns = ["src_ids", "tgt_ids", "src_text", "tgt_text", "type", "score"]
    return pd.DataFrame(rows, columns=columns + ["src_para", "tgt_para"])
