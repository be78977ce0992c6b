"""One signature for every result, in sacrebleu's style: ``key:value|key:value|…|version:X``.

A number is reproducible only with every setting that made it. The signature records the
mode, the model, the sentence splitters, every setting that differs from its default (short
keys, taken from each parameter field's ``metadata["sig"]``; ``None`` there means the field
does not change results) and the tool version, which fixes what the defaults were.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass

from ._version import __version__


def _value(v) -> str:
    if v is None:
        return "auto"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def settings(params) -> list[tuple[str, str]]:
    """(short key, value) for each setting that differs from its default; nested parameter
    classes are flattened into the same list."""
    out: list[tuple[str, str]] = []
    if params is None:
        return out
    for f in fields(params):
        key = f.metadata.get("sig", f.name)
        if key is None:
            continue
        value = getattr(params, f.name)
        if is_dataclass(value):
            out += settings(value)
            continue
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        if value != default:
            out.append((key, _value(value)))
    return out


def signature(mode: str, model: str, params=None, split: str | None = None) -> str:
    """The signature of a result: mode, model, splitters, non-default settings, version."""
    parts = [("mode", mode), ("model", model)]
    if split:
        parts.append(("split", split))
    parts += settings(params)
    parts.append(("version", __version__))
    return "|".join(f"{k}:{v}" for k, v in parts)
