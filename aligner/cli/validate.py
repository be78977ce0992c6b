"""`aligner validate`: report problems in a TMX file in plain words."""

from __future__ import annotations

import sys

import click

from .common import run_options


@click.command("validate")
@click.argument("tmx_file", type=click.Path())
@click.option(
    "--dtd",
    type=click.Path(),
    default=None,
    help="Also validate against this DTD (e.g. tmx14.dtd); the other checks need none.",
)
@run_options
def validate_cmd(tmx_file, dtd, quiet, verbose):
    """Check TMX_FILE (ours or any tool's) the way CAT-tool importers do.

    Checks: well-formed XML, version 1.4, the seven required header attributes, a <tuv> in
    the header's srclang in every <tu>, well-formed language tags, no empty <seg>, no
    XML-illegal characters; warns on segments over 2,000 characters (Trados's cap).
    Exit 0 when there are no problems, 1 when there are.
    """
    from ..formats.tmx_validate import validate_tmx

    report = validate_tmx(tmx_file, dtd=dtd)
    for p in report.problems:
        click.echo(f"{tmx_file}: problem: {p}")
    if not quiet:
        for w in report.warnings:
            click.echo(f"{tmx_file}: warning: {w}")
    if report.ok:
        if not quiet:
            click.echo(f"{tmx_file}: ok, {report.units} units")
        return
    sys.exit(1)
