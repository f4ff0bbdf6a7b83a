"""``chuannan-gis screen``: the screening surface of a proposal kind and industry."""

from __future__ import annotations

import click

from ..verdicts import VERDICTS
from .helpers import echo_table
from .options import layers_option, rules_option


def _parse_bbox(ctx, param, value):
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    try:
        numbers = tuple(float(part) for part in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 4:
        raise click.BadParameter(f"expected MINLON,MINLAT,MAXLON,MAXLAT (EPSG:4490), got {value!r}")
    return numbers


@click.command("screen")
@click.option("--kind", required=True, help="类型 Proposal kind, e.g. industrial_park (产业园区).")
@click.option("--industry", required=True, help="行业 Industry, e.g. heavy_chemical (重化工).")
@click.option("--status", default="new", show_default=True, help="状态 new | expansion | rebuild | existing.")
@click.option("--resolution", type=float, default=30.0, show_default=True, help="分辨率 Cell size, metres.")
@click.option("--county", help="县区 Screen one county (Chinese or English name, or adcode), e.g. 江安县.")
@click.option(
    "--bbox",
    callback=_parse_bbox,
    metavar="MINLON,MINLAT,MAXLON,MAXLAT",
    help="范围 Screen a lon/lat box (EPSG:4490) instead of the whole region.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出 GeoTIFF to write (COG, EPSG:4544); the area table (.csv) and QGIS style (.qml) go beside it.",
)
@rules_option
@layers_option
@click.pass_context
def screen_command(ctx, kind, industry, status, resolution, county, bbox, output, rules_path, layers_path):
    """筛查栅格 Where could it go: write the screening surface of a kind and industry as a GeoTIFF."""
    import chuannan_gis

    if county and bbox:
        raise click.UsageError("--county 与 --bbox 只能选一 give --county or --bbox, not both")
    screening = chuannan_gis.screen(
        kind,
        industry,
        output,
        status=status,
        resolution=resolution,
        extent=county or bbox,
        constraints=layers_path,
        rules=rules_path,
    )
    for listed in screening.unexpressed:
        click.echo(
            f"警告 warning: 规则 {listed['rule_id']} 未进入栅格 not in the surface: "
            f"{listed['reason_zh']} / {listed['reason_en']}",
            err=True,
        )
    if ctx.obj["quiet"]:
        return
    _echo_area_table(screening.areas)
    if screening.not_checked:
        click.echo(f"未检查 not checked: {', '.join(r['rule_id'] for r in screening.not_checked)}")
    for label, path in (
        ("栅格 raster", screening.path),
        ("面积 areas", screening.areas_path),
        ("样式 style", screening.style_path),
    ):
        click.echo(f"{label}: {path}")


def _echo_area_table(areas) -> None:
    """The km² table: one row per county, 都市区 and the total, one column per verdict."""
    verdict_columns = [f"{code}_km2" for code in VERDICTS]
    headers = ("县区/都市区 area", *(f"{VERDICTS[c].zh} {c}" for c in VERDICTS), "合计 total")
    rows = [
        (str(row["name"]), *(f"{row[c]:,.1f}" for c in [*verdict_columns, "total_km2"])) for _, row in areas.iterrows()
    ]
    click.echo("面积 km² area by verdict")
    echo_table(headers, rows)
