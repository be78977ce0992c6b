"""CAT-tool benchmark: how many OmegaT segments get an exact match from our TMX → cat.md.

OmegaT 3.6 (Debian's package) runs in console mode (``omegat PROJECT --mode=console-translate``)
on a project whose ``tm/auto/`` holds our TMX: OmegaT inserts a memory unit only when its
source text is exactly the segment's. Its own count (``omegat/project_stats.txt``: total and
remaining segments) is the figure reported. Texts: the bundled NTREX sample, the NTREX dev
texts (62 documents, paragraphs) and Genesis (one verse per line). Two project set-ups, as
translators load files:

(a) one segment per line: the text filter segments at line breaks, sentence segmentation off;
    our memory from ``--segments lines``;
(b) OmegaT's defaults: paragraphs at empty lines, its default sentence segmentation; our
    memory from our default splitting, from ``--srx omegat`` (rules that mirror OmegaT's
    English defaults, ``aligner/data/omegat-english.srx``), and from ``--srx omegat`` written
    with ``--tmx-per-segment`` (a bead of several segments as one unit per segment, the way
    OmegaT stores a sentence its segmentation cut).

A control row uses a memory made of OmegaT's own segments (``console-createpseudotranslatetmx``):
it must reach 100 %, which shows the harness counts what it says. When OmegaT is missing, the
script installs it with apt-get if run as root, else says so and stops.

Usage: python benchmarks/cat.py [--shared ../shared] [--out benchmarks/cat.md] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from lxml import etree

from aligner import align_files, load_embedder
from aligner.formats import write

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "corpora" / "ntrex-upi-176266"
PROJECT_LANGS = ("EN-US", "KO-KR")  # what a translator picks in OmegaT's project dialog
OMEGAT_TIMEOUT = 600
WRITER_OPTIONS = ("per_segment",)  # a memory's options that go to the TMX writer

_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes/>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{src}</source_lang>
        <target_lang>{tgt}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneCJKTokenizer</target_tok>
        <sentence_seg>{sentence_seg}</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""
# Set-up (a): OmegaT's text filter with "segment on line breaks" (project-specific filters).
_LINE_FILTER = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters>
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}"/>
        <option name="segmentOn" value="BREAKS"/>
    </filter>
</filters>
"""
SETUPS = {
    "a": {"label": "(a) one segment per line", "sentence_seg": False,
          "memories": [("`--segments lines`", {"segments": "lines"})]},
    "b": {"label": "(b) OmegaT's default segmentation", "sentence_seg": True,
          "memories": [("default splitting", {}), ("`--srx omegat`", {"srx": "omegat"}),
                       ("`--srx omegat --tmx-per-segment`",
                        {"srx": "omegat", "per_segment": True})]},
}  # fmt: skip


def find_omegat() -> str | None:
    """The omegat command; installed from Debian when missing and we are root."""
    found = shutil.which("omegat")
    if found:
        return found
    import os

    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("omegat not found: installing Debian's package (apt-get install omegat)")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "omegat"], check=False)
    return shutil.which("omegat")


def texts(shared: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Each benchmark text: (document name, English, Korean)."""
    out = {"NTREX sample": [("ntrex-upi-176266", (SAMPLE / "en.txt").read_text("utf-8"),
                             (SAMPLE / "ko.txt").read_text("utf-8"))]}  # fmt: skip
    folder = shared / "eval" / "ntrex_enko_dev_text"
    if folder.is_dir():
        out["NTREX dev texts"] = [
            (en.name[: -len(".en.txt")], en.read_text("utf-8"),
             en.with_name(en.name.replace(".en.txt", ".ko.txt")).read_text("utf-8"))
            for en in sorted(folder.glob("*.en.txt"))
        ]  # fmt: skip
    bible = shared / "eval" / "bible_enko_books.jsonl"
    if bible.exists():
        with bible.open(encoding="utf-8") as f:
            genesis = json.loads(f.readline())
        out["Genesis"] = [("genesis", "\n".join(genesis["src"]) + "\n",
                           "\n".join(genesis["tgt"]) + "\n")]  # fmt: skip
    return out


def make_project(where: Path, docs, sentence_seg: bool) -> Path:
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (where / sub).mkdir(parents=True, exist_ok=True)
    for name, en, _ in docs:
        (where / "source" / f"{name}.txt").write_text(en, encoding="utf-8")
    src, tgt = PROJECT_LANGS
    seg = "true" if sentence_seg else "false"
    (where / "omegat.project").write_text(
        _PROJECT.format(src=src, tgt=tgt, sentence_seg=seg), encoding="utf-8"
    )
    if not sentence_seg:
        (where / "omegat" / "filters.xml").write_text(_LINE_FILTER, encoding="utf-8")
    return where


def run_omegat(omegat: str, project: Path, *args: str) -> None:
    done = subprocess.run([omegat, str(project), *args], capture_output=True, text=True,
                          timeout=OMEGAT_TIMEOUT)  # fmt: skip
    if done.returncode != 0 or "Finished" not in done.stdout:
        sys.exit(f"omegat failed on {project}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def matched(omegat: str, project: Path) -> tuple[int, int]:
    """(segments, segments OmegaT filled from tm/auto), from OmegaT's own statistics."""
    run_omegat(omegat, project, "--mode=console-translate")
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = int(re.search(r"^Total:\s+(\d+)", stats, re.M).group(1))
    remaining = int(re.search(r"^Remaining:\s+(\d+)", stats, re.M).group(1))
    return total, total - remaining


def omegat_segments(omegat: str, project: Path) -> list[str]:
    """OmegaT's own (unique) segments, through its pseudo-translation export."""
    out = project / "pseudo.tmx"
    run_omegat(omegat, project, "--mode=console-createpseudotranslatetmx",
               f"--pseudotranslatetmx={out}", "--pseudotranslatetype=equal")  # fmt: skip
    segs = [tu.find("tuv/seg") for tu in etree.parse(str(out)).iter("tu")]
    out.unlink()
    return ["".join(s.itertext()) for s in segs if s is not None]


def own_memory(segments: list[str], path: Path) -> None:
    """A TMX whose units are OmegaT's segments (target: a marker), OmegaT's own 1.1 layout."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="bench", creationtoolversion="1",
                     segtype="sentence", adminlang="en-US", srclang="en-US",
                     datatype="plaintext", **{"o-tmf": "bench"})  # fmt: skip
    body = etree.SubElement(root, "body")
    for i, seg in enumerate(segments):
        tu = etree.SubElement(body, "tu")
        for code, text in (("en-US", seg), ("ko-KR", f"#{i}")):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set("{http://www.w3.org/XML/1998/namespace}lang", code)
            etree.SubElement(tuv, "seg").text = text
    etree.ElementTree(root).write(str(path), encoding="utf-8", xml_declaration=True)


def our_memory(docs, options: dict, where: Path, embedder) -> tuple[Path, list[str]]:
    """Our TMX for every document (as `aligner align EN KO -o X.tmx` writes it), in tm/auto;
    returns the folder of inputs and the memory's source segments."""
    inputs = where / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    writing = {k: options[k] for k in WRITER_OPTIONS if k in options}
    options = {k: v for k, v in options.items() if k not in WRITER_OPTIONS}
    sources = []
    for name, en, ko in docs:
        (inputs / f"{name}.en.txt").write_text(en, encoding="utf-8")
        (inputs / f"{name}.ko.txt").write_text(ko, encoding="utf-8")
        result = align_files(inputs / f"{name}.en.txt", inputs / f"{name}.ko.txt",
                             embedder=embedder, **options)  # fmt: skip
        out = where / "tm" / "auto" / f"{name}.tmx"
        write(result, out, **writing)
        sources += ["".join(s.itertext()) for s in
                    etree.parse(str(out)).iterfind("body/tu/tuv[1]/seg")]  # fmt: skip
    return inputs, sources


def bench(omegat: str, corpus: dict, work: Path, embedder) -> list[dict]:
    rows = []
    for text, docs in corpus.items():
        for key, setup in SETUPS.items():
            base = work / re.sub(r"\W+", "-", f"{text}-{key}").lower()
            control = make_project(base / "control", docs, setup["sentence_seg"])
            own = omegat_segments(omegat, control)
            own_memory(own, control / "tm" / "auto" / "own.tmx")
            total, hits = matched(omegat, control)
            rows.append(_row(text, setup, "OmegaT's own segments (control)", total, hits, []))
            for label, options in setup["memories"]:
                slug = re.sub(r"\W+", "-", label).strip("-")
                project = make_project(base / slug, docs, setup["sentence_seg"])
                t0 = time.process_time()
                _, sources = our_memory(docs, options, project, embedder)
                cpu = time.process_time() - t0
                total, hits = matched(omegat, project)
                have = set(sources)
                missed = [s for s in own if s not in have]
                row = _row(text, setup, label, total, hits, missed, cpu)
                # OmegaT cut a sentence (or its translation keeps two as one): the unit holds
                # this segment and its neighbour, and no unit is the segment alone
                row["in_merged"] = sum(any(s in u for u in sources) for s in missed)
                rows.append(row)
                print(f"{text:16} {key} {label:22} {hits:5}/{total:<5} "
                      f"{100 * hits / max(total, 1):5.1f} %", flush=True)  # fmt: skip
    return rows


def _row(text, setup, memory, total, hits, missed, cpu=None) -> dict:
    return {"text": text, "setup": setup["label"], "memory": memory, "segments": total,
            "matched": hits, "share": hits / max(total, 1), "missed": missed[:3],
            "cpu": cpu, "in_merged": None}  # fmt: skip


def report(rows: list[dict], omegat_version: str) -> str:
    lines = [
        "# OmegaT exact matches from our TMX",
        "",
        f"Generated by `make bench-cat` (`python benchmarks/cat.py`) on {date.today()}, "
        f"{platform.python_version()}, OmegaT {omegat_version} (console mode). A segment "
        "counts when OmegaT fills it from `tm/auto/` (its own `project_stats.txt`: total minus "
        "remaining). Targets: >= 95 % in (a) on every text; >= 90 % in (b) with `--srx` on the "
        "NTREX texts.",
        "",
        "",
        "The last column counts the missed segments that our memory holds only inside a longer "
        "unit: a bead of two or more source segments, where OmegaT cut a sentence its "
        'translation keeps whole ("Lifeguard Capt. | Larry Giles said ...", "the U.S. | is '
        'continuing"), or where the target side joins what the source splits. One unit per '
        "bead cannot match those: the translation does not exist in parts. OmegaT's own answer, "
        "when a translator keeps such a sentence whole, is the whole translation on the first "
        "segment and an empty one on the others; `--tmx-per-segment` writes that form, and "
        "OmegaT fills both segments from it (checked by hand with OmegaT 3.6 on 'Lifeguard "
        "Capt. | Larry Giles said ...': both segments translated, the target file holds the "
        "sentence once). Trados and memoQ join segments in their editor and want one unit per "
        "bead, the default.",
        "",
        "| text | project set-up | memory | OmegaT segments | exact matches | share "
        "| misses inside a longer unit |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        merged = "" if r["in_merged"] is None else r["in_merged"]
        lines.append(f"| {r['text']} | {r['setup']} | {r['memory']} | {r['segments']} | "
                     f"{r['matched']} | {100 * r['share']:.1f} % | {merged} |")  # fmt: skip
    for memory in dict.fromkeys(r["memory"] for r in rows if "--srx" in r["memory"]):
        srx = [r for r in rows if r["text"].startswith("NTREX") and r["memory"] == memory]
        hits, total = sum(r["matched"] for r in srx), sum(r["segments"] for r in srx)
        lines += ["", f"Both NTREX texts together, (b) with {memory}: {hits} of {total} "
                  f"segments ({100 * hits / max(total, 1):.1f} %)."]  # fmt: skip
    lines += ["", "## Segments not matched (first three per row)", ""]
    for r in rows:
        for seg in r["missed"]:
            shown = seg.replace("\n", "⏎").replace("|", "\\|")
            lines.append(f"- {r['text']}, {r['setup']}, {r['memory']}: `{shown[:160]}`")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=HERE / "cat.md")
    ap.add_argument("--keep", type=Path, default=None, help="Keep the OmegaT projects here.")
    args = ap.parse_args()
    omegat = find_omegat()
    if omegat is None:
        print("bench-cat skipped: OmegaT is not installed (apt-get install omegat, as root).")
        return
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "omegat"],
                             capture_output=True, text=True).stdout or "?"  # fmt: skip
    corpus = texts(args.shared)
    embedder = load_embedder()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-cat-"))
    try:
        rows = bench(omegat, corpus, work, embedder)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(report(rows, version), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
