"""The package reads as the pipeline: a small top level, the public API in one place, short
functions. These are the rules a newcomer relies on to find the room for a change."""

import ast
from pathlib import Path

import pytest

import aligner

PACKAGE = Path(aligner.__file__).parent
PUBLIC = [
    "align_files", "align_texts", "align_sentences", "align_comparable", "mine_files",
    "mine_sentences", "read_text", "split_text", "load_embedder", "Alignment", "Bead",
    "AlignParams", "CostParams", "ComparableParams", "MineParams",
]  # fmt: skip
MAX_FUNCTION_LINES = 70
MAX_TOP_LEVEL_MODULES = 8


def test_everything_the_readme_documents_imports_from_aligner():
    for name in PUBLIC:
        assert name in aligner.__all__, name
        assert getattr(aligner, name) is not None
    from aligner import align_files, mine_files  # noqa: F401  the form users write


def test_entry_points_take_options_by_keyword_in_one_order():
    import inspect

    order = ["src_lang", "tgt_lang", "embedder", "params"]
    for fn in (aligner.align_files, aligner.align_texts, aligner.align_sentences,
               aligner.align_comparable, aligner.mine_files, aligner.mine_sentences):  # fmt: skip
        params = inspect.signature(fn).parameters
        keyword = [n for n, p in params.items() if p.kind is p.KEYWORD_ONLY]
        assert keyword[: len(order)] == order, fn.__name__
        positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert len(positional) == 2, fn.__name__


def test_top_level_holds_only_the_api_and_glue():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert {"read", "segment", "embed", "parallel", "matching", "formats", "review"} <= stages


def test_no_function_is_longer_than_the_limit():
    long = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1  # decorators excluded
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} {lines}")
    assert not long, long


def test_no_private_imports_across_modules():
    """``from .x import _name`` couples two modules through a detail one of them owns."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "__version__":
                        found.append(f"{path.relative_to(PACKAGE)}: {alias.name}")
    assert not found, found


def test_the_public_names_load_on_first_use():
    """``aligner`` exports its names lazily, so that an embedding worker (which needs the
    model only) starts without numba, the splitters or pandas; every name still resolves."""

    assert set(aligner.__all__) == {*aligner._EXPORTS, "__version__"}
    for name in aligner.__all__:
        assert getattr(aligner, name) is not None, name
    assert aligner.read.check_language is not None  # stages as attributes, as before
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        aligner.nothing  # noqa: B018
    _loads_nothing_heavy("aligner.embed.usem3")


def test_the_command_line_starts_without_the_kernels():
    """``aligner --help``, ``validate`` and ``convert`` need neither numba (half a second to
    import) nor the splitters: the commands import them when they run, not when they load."""
    _loads_nothing_heavy("aligner.cli")


def _loads_nothing_heavy(module: str) -> None:
    """Importing ``module`` in a fresh interpreter loads none of the slow dependencies."""
    import subprocess
    import sys

    heavy = ("numba", "kiwipiepy", "nupunkt", "pandas", "aligner.api")
    code = f"import sys, {module}; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
