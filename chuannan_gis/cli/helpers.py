"""What several commands share: exit statuses, refusing to overwrite an input, plain-text tables."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import click

from ..errors import InputError
from ..verdicts import VERDICTS

EXIT_FAILED_ON = 1
EXIT_BAD_INPUT = 2


def refuse_overwriting(input_path, *outputs) -> None:
    source = Path(input_path).resolve()
    for output in outputs:
        if output and Path(output).resolve() == source:
            raise InputError("输出会覆盖输入 the output would overwrite the input; choose another path", file=output)


def verdict_label(code: str) -> str:
    return f"{VERDICTS[code].zh} {code}"


def display_width(text: str) -> int:
    # Chinese characters take two terminal columns
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def echo_table(headers, rows) -> None:
    """Print rows under headers, columns padded to the widest cell (CJK-aware)."""
    table = [tuple(headers), *rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths)]
        click.echo("  ".join(cells).rstrip())


def cell_text(value) -> str:
    return "" if value is None else str(value)
