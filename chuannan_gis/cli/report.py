"""``chuannan-gis report``: the review documents of a stored Result (.html, .xlsx, .docx, .pdf)."""

from __future__ import annotations

import click

from .helpers import refuse_overwriting
from .options import docx_template_option, max_sections_option, result_argument


@click.command("report")
@result_argument
@click.option(
    "-o",
    "--output",
    "outputs",
    required=True,
    multiple=True,
    type=click.Path(dir_okay=False),
    help="文档 Document to write, its format by suffix: .html, .xlsx, .docx or .pdf (repeatable).",
)
@max_sections_option
@docx_template_option
def report_command(result_path, outputs, max_sections, docx_template):
    """生成审查文档 Write the review documents of a stored RESULT GeoPackage."""
    from ..documents import document_format, write_document

    for output in outputs:
        document_format(output)  # every suffix known before anything is written
    refuse_overwriting(result_path, *outputs)
    for output in outputs:
        write_document(result_path, output, max_sections=max_sections, docx_template=docx_template)
        click.echo(f"文档 document: {output}")
