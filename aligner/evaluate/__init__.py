"""Gold scoring: strict and lax P/R/F1 (Sennrich & Volk 2011), and runs over evaluation sets."""

from __future__ import annotations

from .metrics import bead_confusion, score_documents
from .run import beads_in_gold_ids, evaluate_file, gold_unaligned_form, load_eval_set

__all__ = [
    "bead_confusion",
    "beads_in_gold_ids",
    "evaluate_file",
    "gold_unaligned_form",
    "load_eval_set",
    "score_documents",
]
