"""Options and arguments shared by several commands, defined once."""

from __future__ import annotations

import click

from ..errors import LayerError
from ..mappings import parse_fields

rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(exists=True, dir_okay=False),
    help="规则目录 Rule catalog (YAML); default: the bundled catalog.",
)
layers_option = click.option(
    "--layers",
    "layers_path",
    type=click.Path(exists=True),
    help="约束图层 Constraint layers (GeoPackage or folder) replacing/adding to the bundled set.",
)


docx_template_option = click.option(
    "--docx-template",
    type=click.Path(exists=True, dir_okay=False),
    help="审查意见模板 A .docx whose page setup, styles, header and footer the .docx keeps (default: the bundled one).",
)
max_sections_option = click.option(
    "--max-sections",
    type=click.IntRange(min=0),
    default=None,
    help="详细项数 Past this many proposals the .docx/.pdf give only the sections of those not clear, "
    "and the HTML only the worst this many.  [default: 200]",
)


def parse_field_map(ctx, param, values) -> dict:
    """``--field`` pairs as {schema field: source field} (:func:`chuannan_gis.mappings.parse_fields`)."""
    try:
        return parse_fields(
            values, example="kind=类型" if getattr(param, "name", "field_map") == "field_map" else "zone=功能区"
        )
    except LayerError as err:
        raise click.BadParameter(err.message) from err


datum_shift_option = click.option(
    "--datum-shift",
    metavar="KIND:PARAMETERS",
    help="基准转换参数 The bureau's parameters from Xian 1980 / Beijing 1954 to CGCS2000: "
    "position_vector:dx,dy,dz,rx,ry,rz,ds or coordinate_frame:… (m, arc-seconds, ppm), "
    "or planar:dx,dy,rotation,scale (m, arc-seconds, ppm).",
)


def input_options(command):
    """The options that say how to read a proposals file (see :func:`chuannan_gis.io.read_proposals`)."""
    options = [
        click.option(
            "--field",
            "field_map",
            multiple=True,
            callback=parse_field_map,
            metavar="FIELD=NAME",
            help="字段映射 Map a schema field to an input field, e.g. --field kind=类型 (repeatable).",
        ),
        click.option(
            "--input-datum",
            type=click.Choice(["wgs84", "cgcs2000", "gcj02", "bd09"]),
            help="坐标基准 Datum of copied web-map coordinates: gcj02 (高德/腾讯) or bd09 (百度).",
        ),
        click.option("--crs", help="坐标系 CRS of the input, e.g. EPSG:4544 (a CSV is EPSG:4490 by default)."),
        click.option("--layer", "input_layer", help="图层 Layer of a multi-layer input."),
        click.option("--encoding", help="编码 Text encoding of the input (detected by default)."),
        click.option(
            "--constant",
            "constants",
            multiple=True,
            callback=parse_pairs,
            metavar="FIELD=VALUE",
            help="常量 A field every feature lacks, e.g. --constant kind=industrial_park --constant industry=chemical "
            "(repeatable; as in layers import).",
        ),
        datum_shift_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def map_options(command):
    """The options of a web map (see :func:`chuannan_gis.webmap.write_map`)."""
    options = [
        click.option(
            "--basemap",
            default="offline",
            show_default=True,
            help="底图 Basemap: offline (县界、河流、地名, no network), osm, gaode (高德), tencent (腾讯), "
            "tianditu (天地图) or none.",
        ),
        click.option("--tianditu-key", envvar="TIANDITU_KEY", help="天地图密钥 Tianditu key (or env TIANDITU_KEY)."),
        click.option("--embed-key", is_flag=True, help="写入密钥 Write the Tianditu key into the file."),
        click.option("--cdn", is_flag=True, help="在线资源 Link the map's scripts from CDNs instead of inlining them."),
        click.option(
            "--tolerance-m",
            type=float,
            default=None,
            help="简化容差 Display simplification of the constraint layers, metres.",
        ),
        click.option(
            "--screen",
            "screen",
            type=click.Path(exists=True, dir_okay=False),
            metavar="OUT.tif",
            help="筛查栅格 Overlay a screening surface written by `chuannan-gis screen`.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


result_argument = click.argument("result_path", metavar="RESULT", type=click.Path(exists=True, dir_okay=False))


def parse_pairs(ctx, param, values) -> dict:
    from ..errors import InputError
    from ..io import parse_assignments

    try:
        return parse_assignments(values)
    except InputError as err:
        raise click.BadParameter(err.message) from err
