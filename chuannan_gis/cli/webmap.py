"""``chuannan-gis map``: the offline web map of a stored Result."""

from __future__ import annotations

import click

from .helpers import refuse_overwriting
from .options import layers_option, map_options, result_argument


def write_map_file(result, path, constraints, basemap, tianditu_key, embed_key, cdn, tolerance_m, screen) -> None:
    from ..webmap import write_map  # folium: imported only when a map is asked for

    extra = {} if tolerance_m is None else {"tolerance_m": tolerance_m}
    write_map(
        result,
        path,
        constraints=constraints,
        basemap=basemap,
        tianditu_key=tianditu_key,
        embed_key=embed_key,
        cdn=cdn,
        screen=screen,
        **extra,
    )


@click.command("map")
@result_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="网页地图 Web map to write.")
@layers_option
@map_options
def map_command(result_path, output, layers_path, **map_settings):
    """网页地图 Write the offline web map of a stored RESULT GeoPackage."""
    from ..result import Result

    refuse_overwriting(result_path, output)
    if map_settings["screen"]:
        refuse_overwriting(map_settings["screen"], output)
    write_map_file(Result.read(result_path), output, layers_path, **map_settings)
    click.echo(f"地图 map: {output}")
