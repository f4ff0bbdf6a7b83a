"""Where the web map's JavaScript and CSS come from: inlined from installed packages, or CDN links.

This is the one place that knows package paths and CDN addresses (folium's plugins carry the
CDN addresses of their own scripts).  Offline (the default), every asset is read from an
installed package and written into the HTML, so the file opens on an intranet with no internet;
nothing is copied into this repository.  A control whose code is on npm only (no PyPI or Debian
package ships it as plain files) is drawn in CDN mode and left out offline, and the legend
says so.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from importlib import resources

from ..errors import ChuannanError


class AssetError(ChuannanError, FileNotFoundError):
    """A JS/CSS asset the offline map needs is not installed."""


@dataclass(frozen=True)
class Asset:
    """A JS or CSS file: its CDN address, and the installed package that ships it as a plain file."""

    name: str
    cdn: str
    package: str  # the importable package
    path: str  # the file inside that package
    install: str  # the pip requirement that provides it

    def read(self) -> str:
        """The file's text from its installed package."""
        try:
            text = resources.files(self.package).joinpath(self.path).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError) as err:
            raise AssetError(
                f"离线地图所需文件未安装 {self.name} ({self.package}/{self.path}) is not installed; "
                f"pip install {self.install}"
            ) from err
        return _strip_source_map(text)


LEAFLET_VERSION = "1.9.4"
_LEAFLET = {"package": "js_lib_leaflet", "install": f"django-js-lib-leaflet=={LEAFLET_VERSION}.1"}
LEAFLET_JS = Asset(
    "leaflet",
    f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js",
    path="static/js_lib_leaflet/leaflet.js",
    **_LEAFLET,
)
LEAFLET_CSS = Asset(
    "leaflet_css",
    f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css",
    path="static/js_lib_leaflet/leaflet.css",
    **_LEAFLET,
)
_LEAFLET_IMAGES = "static/js_lib_leaflet/images"


@dataclass(frozen=True)
class Control:
    """A map control and whether an installed package can supply it offline."""

    name: str
    zh: str
    en: str
    offline: bool


# Layers and scale are built into Leaflet.  Fullscreen and measure come from leaflet.fullscreen
# and leaflet-measure, which are on npm only (PyPI has them only inside webpack bundles such as
# ipyleaflet's; Debian has neither): in CDN mode folium's plugins load them from their CDNs.
CONTROLS = (
    Control("layers", "图层控制", "layer control", offline=True),
    Control("scale", "比例尺", "scale bar", offline=True),
    Control("fullscreen", "全屏", "full screen", offline=False),
    Control("measure", "测量", "measure", offline=False),
)


def controls(cdn: bool) -> tuple[tuple[Control, ...], tuple[Control, ...]]:
    """(controls drawn, controls left out) in CDN or offline mode."""
    drawn = tuple(c for c in CONTROLS if cdn or c.offline)
    return drawn, tuple(c for c in CONTROLS if c not in drawn)


def leaflet_css_inline() -> str:
    """Leaflet's CSS with its images (layer-control icon, markers) as data: URIs, so that a
    file:// page requests nothing."""
    images = resources.files(LEAFLET_CSS.package).joinpath(_LEAFLET_IMAGES)

    def data_uri(match: re.Match) -> str:
        png = images.joinpath(match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, LEAFLET_CSS.read())


def package_text(name: str) -> str:
    """A file of this package's own ``static`` folder (the map's runtime JS and CSS)."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _strip_source_map(text: str) -> str:
    # A sourceMappingURL comment makes developer tools fetch a .map file that is not there.
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)
