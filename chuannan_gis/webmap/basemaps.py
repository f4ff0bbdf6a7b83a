"""The basemaps a web map can sit on, and the datum their tiles are drawn in.

高德 (AutoNavi) and 腾讯 (Tencent) tiles are drawn in GCJ-02: on them every overlay is shifted
from CGCS2000 (= WGS84 to centimetres here) to GCJ-02 so that it lines up (100–700 m here).
The default, ``offline``, needs no network at all: it is drawn in the page from the constraint
set's own counties, rivers and county names (vector GeoJSON in a pane under the overlays), so a
map opened on a bureau intranet is a map, not a grey background.  Tiles only on request.
天地图 needs a key: by default it is not written into the file — the person opening the map adds
``#tk=KEY`` to its address — unless the planner asks for it to be embedded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..crs import GCJ02, WGS84
from ..errors import InputError

TIANDITU_KEY_ENV = "TIANDITU_KEY"


@dataclass(frozen=True)
class Tiles:
    url: str
    subdomains: str = ""


@dataclass(frozen=True)
class Basemap:
    name: str
    zh: str
    en: str
    datum: str  # the datum its tiles are drawn in; overlays are moved into it
    tiles: tuple[Tiles, ...] = ()  # drawn bottom to top; none: a plain background
    attribution: str = ""
    max_zoom: int = 18
    needs_key: bool = False
    vector: bool = False  # drawn in the page from the constraint set (counties, rivers, names): no network


DEFAULT_BASEMAP = "offline"


_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}"
)

BASEMAPS: dict[str, Basemap] = {
    b.name: b
    for b in (
        Basemap(
            "offline",
            "离线底图（县界、河流、地名）",
            "offline basemap (counties, rivers, place names)",
            WGS84,
            attribution="底图 basemap: chuannan-gis constraint set (示意 indicative)",
            vector=True,
        ),
        Basemap(
            "osm",
            "OpenStreetMap",
            "OpenStreetMap",
            WGS84,
            (Tiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),),
            "&copy; OpenStreetMap contributors",
            max_zoom=19,
        ),
        Basemap(
            "gaode",
            "高德地图",
            "AutoNavi (Gaode)",
            GCJ02,
            (
                Tiles(
                    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                    "1234",
                ),
            ),
            "&copy; 高德地图 AutoNavi",
        ),
        Basemap(
            "tencent",
            "腾讯地图",
            "Tencent",
            GCJ02,
            (Tiles("https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&type=vector&styleid=3", "0123"),),
            "&copy; 腾讯地图 Tencent",
        ),
        Basemap(
            "tianditu",
            "天地图",
            "Tianditu",
            WGS84,
            (Tiles(_TIANDITU % ("vec", "vec"), "01234567"), Tiles(_TIANDITU % ("cva", "cva"), "01234567")),
            "&copy; 天地图 Tianditu",
            needs_key=True,
        ),
        Basemap("none", "无底图", "no basemap", WGS84),
    )
}


def get_basemap(name: str) -> Basemap:
    """The basemap called ``name``; an InputError lists the choices otherwise."""
    try:
        return BASEMAPS[name]
    except KeyError:
        raise InputError(
            f"未知底图 unknown basemap {name!r}; choose one of {', '.join(BASEMAPS)}", field="basemap"
        ) from None


def tianditu_key(key: str | None) -> str | None:
    """The 天地图 key given as an option, else from the environment (``TIANDITU_KEY``)."""
    return key or os.environ.get(TIANDITU_KEY_ENV) or None
