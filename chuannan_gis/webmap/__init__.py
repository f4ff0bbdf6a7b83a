"""Shared web maps: one HTML file with the constraints and each proposal's verdict, that opens anywhere.

Built on folium and branca.  By default Leaflet and the map's own script are inlined from
installed packages, so the file opens on a government intranet with no internet; ``cdn=True``
links them from CDNs instead and adds the full-screen and measure controls, which exist on npm
only.  Every string from data reaches the page as text, never as markup.  See ``docs/webmap.md``.

This module stays light (the CLI imports it to list the basemaps); folium and geopandas load on
the first map.
"""

from __future__ import annotations

from pathlib import Path

from .basemaps import BASEMAPS, DEFAULT_BASEMAP, TIANDITU_KEY_ENV


def build_map(result, constraints=None, **options):
    """The web map of ``result`` as a folium Figure (``.render()`` gives the HTML); arguments as
    for :func:`write_map`."""
    from .build import MapOptions, build_figure

    return build_figure(result, constraints, MapOptions(**options))


def write_map(result, path, constraints=None, **options) -> Path:
    """Write the web map of ``result`` to ``path`` (HTML, UTF-8) and return the path.

    Parameters
    ----------
    result : Result or str or Path
        A :class:`~chuannan_gis.result.Result`, or the path of a result GeoPackage.
    path : str or Path
        The HTML file to write (atomically).
    constraints : ConstraintSet or str or Path, optional
        The constraint layers to draw: a set, or a planner's layers overlaid on the bundled ones
        (as ``--layers``).  Default: the planner's layers the check recorded, if still there,
        else the bundled set.
    **options
        ``basemap`` (``offline``, the default: counties, rivers and place names drawn from the
        constraint set, no network | ``osm`` | ``gaode`` | ``tencent`` | ``tianditu`` | ``none``), ``tianditu_key``
        (default: env ``TIANDITU_KEY``; only used with ``embed_key``), ``embed_key`` (write the
        key into the file), ``cdn`` (link assets from CDNs instead of inlining them),
        ``tolerance_m`` (display simplification in metres, default 20), ``screen`` (the path of a
        screening surface written by :func:`chuannan_gis.screen`, overlaid as an image layer).

    Examples
    --------
    >>> write_map("result.gpkg", "map.html", basemap="gaode")  # doctest: +SKIP
    PosixPath('map.html')
    """
    from ..io import atomic_output

    if isinstance(result, (str, Path)):
        from ..result import Result

        result = Result.read(result)
    page = build_map(result, constraints, **options).render()
    with atomic_output(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return Path(path)


__all__ = ["BASEMAPS", "DEFAULT_BASEMAP", "TIANDITU_KEY_ENV", "build_map", "write_map"]
