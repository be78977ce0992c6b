"""`aligner eval`: score the aligner against gold alignments."""

from __future__ import annotations

import json

import click

from .common import build_embedder, build_params, run_options
from .options import model_options


@click.command("eval")
@click.argument("eval_file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--split",
    is_flag=True,
    help="Full pipeline: split each record's src_text/tgt_text with our splitters and score "
    "by links between gold sentences (e.g. ntrex_enko_dev_text.jsonl).",
)
@model_options
@run_options
def eval_cmd(eval_file, as_json, split, quiet, verbose, **opts):
    """Align each document of EVAL_FILE (JSON lines with src, tgt, gold) with its given
    sentences and print strict and lax precision / recall / F1 (Sennrich & Volk 2011)."""
    from ..evaluate import evaluate_file, load_eval_set
    from ..progress import progress

    params, embedder = build_params(**opts), build_embedder(**opts)
    n_docs = len(load_eval_set(eval_file))
    with progress(n_docs, "documents", unit="doc") as update:
        result = evaluate_file(eval_file, embedder, params, update, split=split)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{eval_file}: {result['documents']} documents, {result['seconds']} s")
    click.echo(f"{'':8}{'precision':>10}{'recall':>10}{'f1':>10}")
    for kind in ("strict", "lax"):
        r = result[kind]
        click.echo(f"{kind:8}{r['precision']:>10.4f}{r['recall']:>10.4f}{r['f1']:>10.4f}")
    click.echo(f"signature: {result['signature']}")
