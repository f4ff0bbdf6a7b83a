"""``chuannan-gis report``: the HTML report of a stored Result."""

from __future__ import annotations

import click

from .helpers import refuse_overwriting
from .options import result_argument


@click.command("report")
@result_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="报告 HTML report to write.")
@click.option(
    "--max-sections",
    type=click.IntRange(min=0),
    default=None,
    help="详细项数 Proposals with a full section (worst first); the rest go in a table.",
)
def report_command(result_path, output, max_sections):
    """生成报告 Write the HTML report of a stored RESULT GeoPackage."""
    from ..report import MAX_SECTIONS, write_report
    from ..result import Result

    refuse_overwriting(result_path, output)
    write_report(Result.read(result_path), output, max_sections=MAX_SECTIONS if max_sections is None else max_sections)
    click.echo(f"报告 report: {output}")
