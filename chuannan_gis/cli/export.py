"""``chuannan-gis export``: a Result's proposals as a 用地坐标 TXT (报盘格式) for the 报批 system."""

from __future__ import annotations

import click

from .helpers import refuse_overwriting
from .options import result_argument


@click.command("export")
@result_argument
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="用地坐标 TXT to write (报盘格式, .txt)."
)
@click.option(
    "--zone-width",
    type=click.Choice(["3", "6"]),
    default="3",
    show_default=True,
    help="分带 Gauss-Krüger zones of 3 degrees (EPSG 4488+带号) or 6 (EPSG 4478+带号).",
)
@click.option("--encoding", default="gbk", show_default=True, help="编码 Text encoding of the file written.")
def export_command(result_path, output, zone_width, encoding):
    """导出用地坐标 Write the proposals of RESULT as a 用地坐标 TXT (polygons, one parcel each)."""
    from ..readers import landcoord_txt
    from ..result import Result

    refuse_overwriting(result_path, output)
    proposals = Result.read(result_path).proposals
    landcoord_txt.write(proposals, output, width=int(zone_width), encoding=encoding, label=result_path)
    click.echo(f"用地坐标 land coordinates: {output} ({len(proposals)} 个地块 parcel(s))")
