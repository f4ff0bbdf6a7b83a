"""The web map in a real headless Chromium (Debian's), with the network cut as on an intranet.

Every request that is not for a file:// URL is aborted, so the only resources that can fail are
the basemap's tiles.  Under CI (``CI=true``) a missing Chromium or Playwright fails these tests;
locally they skip.  A screenshot is written to ``tests/artifacts/`` for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import prcoords
import pytest
import webmap_data

import chuannan_gis
from chuannan_gis.verdicts import VERDICTS
from chuannan_gis.webmap import write_map

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
TILE_HOSTS = ("tile.openstreetmap.org", "autonavi.com", "gtimg.com", "tianditu.gov.cn")
# Where a proposal is drawn: a point's position, a polygon's centre.
FIND = "(id => chuannanWebmap.layers.proposals.getLayers().find(l => chuannanWebmap.layers.proposals.record(l).proposal_id === id))"
WHERE = "(l => l.getLatLng ? l.getLatLng() : l.getBounds().getCenter())"


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: the browser tests must run in CI")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page opened offline, with what its console and network reported."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append((m.text, m.location.get("url", ""))))
        self.page.on("pageerror", lambda e: self.errors.append((str(e), "")))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
        )
        started = time.perf_counter()
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.load_s = time.perf_counter() - started
        self.page.wait_for_function("window.chuannanWebmap && chuannanWebmap.layers.proposals")

    def eval(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def errors_besides_tiles(self):
        return [(text, url) for text, url in self.errors if not any(host in url for host in TILE_HOSTS)]

    def drawn(self, layer: str) -> int:
        return self.eval(
            "id => chuannanWebmap.layers[id].getLayers().filter(l => chuannanWebmap.map.hasLayer(l)).length", layer
        )

    def open_popup(self, proposal_id: int) -> str:
        return self.click(f"{FIND}({int(proposal_id)})")

    def click(self, feature: str) -> str:
        """Click the feature (a JS expression for its Leaflet layer) where it is drawn; the popup's text."""
        self.eval("() => { chuannanWebmap.map.closePopup(); }")
        self.page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        self.eval(f"() => {{ chuannanWebmap.map.setView({WHERE}({feature}), 12, {{animate: false}}); }}")
        x, y = self.eval(
            f"() => {{ const p = chuannanWebmap.map.latLngToContainerPoint({WHERE}({feature}));"
            " const box = chuannanWebmap.map.getContainer().getBoundingClientRect();"
            " return [p.x + box.left, p.y + box.top]; }"
        )
        self.page.mouse.click(x, y)
        return self.page.locator(".leaflet-popup-content").inner_text(timeout=5000)

    def positions(self) -> dict:
        return self.eval(
            f"() => Object.fromEntries(chuannanWebmap.layers.proposals.getLayers().map(l => "
            f"[chuannanWebmap.layers.proposals.record(l).proposal_id, [{WHERE}(l).lat, {WHERE}(l).lng]]))"
        )


@pytest.fixture(scope="module")
def constraints():
    return webmap_data.constraint_set()


@pytest.fixture(scope="module")
def result():
    return webmap_data.result(n=120)


@pytest.fixture(scope="module")
def osm_page(browser, tmp_path_factory, result, constraints):
    """The map as written by default (the offline basemap), opened with the network cut."""
    path = write_map(result, tmp_path_factory.mktemp("map") / "map.html", constraints=constraints)
    page = Page(browser, path)
    yield page
    page.page.close()


def _screenshot_pixels(page):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(page.page.screenshot())).convert("RGB")).astype(int)


def _near(pixels, colour: str, tolerance: int = 6):
    import numpy as np

    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.all(np.abs(pixels - rgb) <= tolerance, axis=-1)


def test_default_basemap_is_drawn_offline_from_the_counties(browser, tmp_path, result, constraints):
    """No network (every non-file request aborted, and none is made): the page still shows a map:
    county fills and outlines in the offline basemap's colours, and the county names."""
    from chuannan_gis.webmap import offline

    requests = []
    page = Page(browser, write_map(result, tmp_path / "offline.html", constraints=constraints))
    try:
        page.page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
        # the whole of the two synthetic counties in view, the overlays off: the basemap alone
        page.eval(
            "() => { const m = chuannanWebmap.map; m.eachLayer(l => { if (l.feature && !l.options.pane?.startsWith('cnBase')) m.removeLayer(l); });"
            " m.fitBounds(chuannanWebmap.basemap.counties.getBounds(), {animate: false}); }"
        )
        page.page.wait_for_timeout(300)
        pixels = _screenshot_pixels(page)
        fill = _near(pixels, offline.STYLES["counties"]["fillColor"]).mean()
        outline = _near(pixels, offline.STYLES["counties"]["color"], 30).sum()
        names = page.eval("() => [...document.querySelectorAll('.cn-place')].map(e => e.textContent)")
        assert fill > 0.2, fill  # the counties cover most of the view
        assert outline > 200, outline  # their shared border and outline, a few hundred pixels long
        assert sorted(names) == ["江阳区", "纳溪区"]
        assert page.eval("() => document.querySelectorAll('.leaflet-tile').length") == 0
        assert requests == [] and page.errors == []
    finally:
        page.page.close()


def test_legend_is_sized_and_the_opening_view_shows_readable_markers(osm_page, result):
    size = osm_page.eval(
        "() => { const b = document.querySelector('.cn-legend').getBoundingClientRect();"
        " const m = chuannanWebmap.map.getContainer().getBoundingClientRect();"
        " return [b.width * b.height, m.width * m.height]; }"
    )
    assert size[0] < 0.12 * size[1], size  # a corner of the map, not a quarter of it
    # the opening view holds every proposal, each drawn at least 14 px across
    inside = osm_page.eval(
        "() => { const m = chuannanWebmap.map, b = m.getBounds();"
        " return chuannanWebmap.layers.proposals.getLayers().every(l => b.contains(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter())); }"
    )
    assert inside
    radius = osm_page.eval(
        "() => { const m = chuannanWebmap.map, z = m.getZoom();"
        " const polys = chuannanWebmap.layers.proposals.getLayers().filter(l => !l.getLatLng);"
        " const pts = chuannanWebmap.layers.proposals.getLayers().filter(l => l.getLatLng);"
        " const small = polys.filter(l => { const b = l.getBounds(); const a = m.latLngToContainerPoint(b.getNorthWest()), c = m.latLngToContainerPoint(b.getSouthEast()); return Math.min(c.x - a.x, c.y - a.y) < 14; });"
        " const markers = chuannanWebmap.layers.proposalsMarkers;"
        " return [pts.length ? pts[0].getRadius() : 99, small.length, markers && m.hasLayer(markers) ? markers.getLayers().length : 0, z]; }"
    )
    point_radius, small_polygons, centre_markers, _zoom = radius
    assert point_radius >= 7
    assert small_polygons == 0 or centre_markers >= small_polygons, radius


def test_page_loads_offline_with_no_errors_but_tiles(osm_page):
    assert osm_page.errors_besides_tiles() == []
    assert osm_page.eval("() => typeof L") == "object"  # Leaflet came from the file, not a CDN


def test_every_proposal_is_drawn(osm_page, result):
    assert osm_page.drawn("proposals") == len(result.proposals)


def test_constraint_layers_and_bands_are_drawn(osm_page):
    ids = osm_page.eval("() => Object.keys(chuannanWebmap.layers)")
    assert {"zoning", "eco_redlines", "nature_reserves", "shoreline_zones", "ports"} <= set(ids)
    assert any(i.startswith("band_") and i.endswith("_1000m") for i in ids)
    assert any(i.startswith("band_") and i.endswith("_3000m") for i in ids)


def test_legend_marks_indicative_layers_and_the_notice(osm_page):
    legend = osm_page.page.locator(".cn-legend").text_content()  # the notes are folded, still there
    assert "示意图，不作为审批依据" in legend
    assert "示意 / indicative" in legend
    assert "20 m" in legend  # the simplification tolerance


@pytest.mark.parametrize("shape", ["Polygon", "Point"])
def test_clicking_a_proposal_opens_its_verdict(osm_page, result, shape):
    proposals = result.proposals
    prohibited = proposals[(proposals["verdict"] == "prohibited") & (proposals.geom_type == shape)]
    pid = int(prohibited["proposal_id"].iloc[1])
    measured = result.findings.loc[result.findings["proposal_id"] == pid, "measured"].iloc[0]
    text = osm_page.open_popup(pid)
    assert "禁止 / prohibited" in text
    assert "yrpl26_chemical_1km" in text and f"measured: {measured:g} m" in text and "长江保护法 第二十六条" in text
    assert "<1 公里>" in text  # markup-like text in a message shows as text


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_verdict_text_is_drawn_in_its_readable_text_colour(osm_page, result):
    review = int(result.proposals.loc[result.proposals["verdict"] == "review", "proposal_id"].iloc[0])
    assert "需审查 / review" in osm_page.open_popup(review)
    shown = osm_page.eval("() => getComputedStyle(document.querySelector('.cn-verdict > span:last-child')).color")
    assert shown == rgb(VERDICTS["review"].text_colour) != rgb(VERDICTS["review"].colour)


def test_within_accuracy_verdicts_are_drawn_apart_and_said_in_popup_and_legend(osm_page, result):
    """A verdict resting only on findings within the data's accuracy: the same verdict colour, a
    lighter fill and a dashed outline (verdicts.WITHIN_ACCURACY_LOOK), in the legend and the popup."""
    from chuannan_gis.verdicts import WITHIN_ACCURACY_LOOK

    proposals = result.proposals
    within = proposals[(proposals["verdict"] == "prohibited") & (proposals["certainty"] == "within_accuracy")]
    certain = proposals[(proposals["verdict"] == "prohibited") & (proposals["certainty"] == "certain")]
    assert (within.geom_type == "Polygon").any() and (certain.geom_type == "Polygon").any()
    style = (
        "id => { const o = " + FIND + "(id).options; "
        "return {fill: o.fillColor, opacity: o.fillOpacity, dash: o.dashArray, stroke: o.color}; }"
    )
    shaky = osm_page.eval(style, int(within.loc[within.geom_type == "Polygon", "proposal_id"].iloc[0]))
    firm = osm_page.eval(style, int(certain.loc[certain.geom_type == "Polygon", "proposal_id"].iloc[0]))
    colour = VERDICTS["prohibited"].colour
    assert shaky["fill"] == firm["fill"] == colour  # the verdict stays what the data say
    assert shaky["opacity"] == WITHIN_ACCURACY_LOOK.fill_opacity < firm["opacity"]
    assert shaky["dash"] and not firm["dash"]
    legend = osm_page.page.locator(".cn-legend").text_content()
    assert "禁止（数据精度内） / prohibited (within accuracy)" in legend
    assert "需审查（数据精度内） / review (within accuracy)" in legend
    assert "须以更精确的数据或现场核实" in legend  # what it means
    legend_swatch = osm_page.eval(
        "() => { const s = document.querySelector('.cn-legend li.cn-within .cn-swatch');"
        " return [getComputedStyle(s).borderStyle,"
        " getComputedStyle(s.firstChild).opacity]; }"
    )
    assert legend_swatch == ["dashed", str(WITHIN_ACCURACY_LOOK.fill_opacity)]
    text = osm_page.open_popup(int(within["proposal_id"].iloc[0]))
    assert "禁止（数据精度内，须核实） / prohibited (within the data's accuracy: confirm)" in text
    assert "确定性 / certainty: 数据精度内 / within accuracy" in text  # the finding's own line
    text = osm_page.open_popup(int(certain["proposal_id"].iloc[0]))
    assert "禁止 / prohibited" in text and "须核实" not in text and "certainty: 确定 / certain" in text
    unstated = int(
        proposals.loc[
            (proposals["verdict"] == "prohibited") & (proposals["certainty"] == "unstated"), "proposal_id"
        ].iloc[0]
    )
    assert "禁止（精度未注明） / prohibited (accuracy not stated)" in osm_page.open_popup(unstated)


def test_categorised_layers_are_drawn_in_the_style_tables_colours(osm_page):
    from chuannan_gis.layers.styles import layer_style

    drawn = osm_page.eval(
        "() => chuannanWebmap.layers.shoreline_zones.getLayers().map("
        "l => [l.feature.properties.zone, l.options.fillColor, l.options.color])"
    )
    style = layer_style("shoreline_zones")
    assert drawn and all(
        [style.category(zone).symbol.fill, style.category(zone).symbol.stroke] == [fill, stroke]
        for zone, fill, stroke in drawn
    )


def test_xss_names_stay_inert(osm_page):
    text = osm_page.open_popup(0)
    assert webmap_data.XSS_NAME in text
    assert osm_page.page.locator(".leaflet-popup-content img").count() == 0
    assert osm_page.dialogs == []
    assert osm_page.eval("() => window.__pwned") is None
    assert webmap_data.SCRIPT_NAME in osm_page.open_popup(1)


def test_constraint_popups_show_their_data_as_text(osm_page):
    text = osm_page.click("chuannanWebmap.layers.ports.getLayers()[0]")
    assert "<b>龙溪口</b> 作业区" in text and "泸州港" in text
    assert osm_page.page.locator(".leaflet-popup-content b").count() == 0


def test_gcj02_basemap_shifts_the_overlay(browser, tmp_path, result, constraints, osm_page):
    path = write_map(result, tmp_path / "gaode.html", constraints=constraints, basemap="gaode")
    gaode = Page(browser, path)
    try:
        assert gaode.errors_besides_tiles() == []
        shifted, original = gaode.positions(), osm_page.positions()
    finally:
        gaode.page.close()
    for pid, (lat, lon) in original.items():
        expected = prcoords.wgs_gcj((lat, lon))  # the offset where the point is: 100–700 m here
        assert shifted[pid][0] - lat == pytest.approx(expected[0] - lat, abs=2e-5)
        assert shifted[pid][1] - lon == pytest.approx(expected[1] - lon, abs=2e-5)
        assert abs(expected[1] - lon) > 1e-3  # a real shift, not a no-op


def test_tianditu_without_key_asks_for_it_and_still_draws(browser, tmp_path, result, constraints):
    path = write_map(result, tmp_path / "tdt.html", constraints=constraints, basemap="tianditu")
    page = Page(browser, path)
    try:
        assert "#tk=" in page.page.locator(".cn-note").inner_text()
        assert page.drawn("proposals") == len(result.proposals)
        assert page.errors_besides_tiles() == []
    finally:
        page.page.close()


SCREENING = "chuannanWebmap.layers.screening"


def test_screening_surface_loads_offline_and_toggles_in_the_layer_control(browser, tmp_path, result, constraints):
    surface = chuannan_gis.screen(
        "industrial_park", "heavy_chemical", tmp_path / "jiangyang.tif", resolution=1000.0, extent="江阳区"
    ).path
    page = Page(browser, write_map(result, tmp_path / "screen.html", constraints=constraints, screen=surface))
    try:
        page.page.wait_for_function(f"() => {SCREENING}.getElement() && {SCREENING}.getElement().complete")
        image = page.eval(
            f"() => {{ const img = {SCREENING}.getElement(); return {{src: img.src.slice(0, 22), "
            "width: img.naturalWidth, pane: img.parentElement.className, "
            "opacity: img.style.opacity}; }"
        )
        assert image["src"] == "data:image/png;base64," and image["width"] > 0  # decoded: a real PNG, from the file
        assert "cnScreening" in image["pane"] and 0 < float(image["opacity"]) < 1
        assert page.errors_besides_tiles() == []
        assert page.drawn("proposals") == len(result.proposals)  # the image lies under the vectors, not over them

        page.page.hover(".leaflet-control-layers")  # the collapsed control opens on hover
        toggle = page.page.locator(".leaflet-control-layers-overlays label", has_text="筛查栅格").locator("input")
        assert toggle.count() == 1 and toggle.is_checked()
        assert (
            "示意 indicative"
            in page.page.locator(".leaflet-control-layers-overlays label", has_text="筛查栅格").inner_text()
        )
        toggle.click()
        assert page.eval(f"() => chuannanWebmap.map.hasLayer({SCREENING})") is False
        assert page.page.locator(".leaflet-pane img.leaflet-image-layer").count() == 0
        toggle.click()
        assert page.eval(f"() => chuannanWebmap.map.hasLayer({SCREENING})") is True
        legend = page.page.locator(".cn-legend").text_content()
        assert "产业园区·重化工" in legend and "1000 m cells" in legend
        assert page.errors_besides_tiles() == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.eval(f"() => {{ chuannanWebmap.map.fitBounds({SCREENING}.getBounds(), {{animate: false}}); }}")
        page.page.screenshot(path=ARTIFACTS / "webmap_screening.png")
    finally:
        page.page.close()


def test_screenshot_for_people(osm_page):
    ARTIFACTS.mkdir(exist_ok=True)  # gitignored: for a person to look at, never committed
    osm_page.eval(
        "() => { chuannanWebmap.map.fitBounds(chuannanWebmap.layers.proposals.getBounds(), {animate: false}); }"
    )
    osm_page.open_popup(2)
    osm_page.page.wait_for_timeout(500)  # the popup pans the map into view
    osm_page.page.screenshot(path=ARTIFACTS / "webmap.png")
    assert (ARTIFACTS / "webmap.png").stat().st_size > 10_000


@pytest.mark.slow
def test_ten_thousand_proposals_stay_small_and_fast(browser, tmp_path, constraints):
    many = webmap_data.result(n=10_000)
    started = time.perf_counter()
    path = write_map(many, tmp_path / "10k.html", constraints=constraints)
    generate_s = time.perf_counter() - started
    page = Page(browser, path)
    try:
        drawn = page.drawn("proposals")
        figures = {
            "proposals": drawn,
            "size_mb": round(path.stat().st_size / 1e6, 2),
            "generate_s": round(generate_s, 2),
            "load_s": round(page.load_s, 2),
        }
    finally:
        page.page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "webmap_10k.json").write_text(json.dumps(figures), encoding="utf-8")
    assert drawn == 10_000
    assert figures["size_mb"] < 10
    assert figures["load_s"] < 10
