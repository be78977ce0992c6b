"""`aligner` command line: thin commands over the library API, one module per command."""

from __future__ import annotations

import click

from .align import align_cmd
from .batch import batch_cmd
from .convert import convert_cmd
from .evaluate import eval_cmd
from .extract import extract_cmd
from .mine import mine_cmd
from .quick_exit import register as end_quickly
from .review import review_cmd
from .split import split_cmd
from .validate import validate_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="aligner", prog_name="aligner")
def main() -> None:
    """Align English and Korean texts sentence by sentence.

    Scores are similarities: higher is better (unlike Vecalign's costs).
    Exit codes: 0 ok, 1 input or environment problem, 2 wrong usage.
    """
    end_quickly()


main.add_command(align_cmd)
main.add_command(split_cmd)
main.add_command(eval_cmd)
main.add_command(batch_cmd)
main.add_command(validate_cmd)
main.add_command(convert_cmd)
main.add_command(extract_cmd)
main.add_command(mine_cmd)
main.add_command(review_cmd)
