"""The web map's HTML, without a browser: offline assets, escaping, bands from the rules, datums, keys.

What a browser must show (drawing, popups, the XSS case, the GCJ-02 shift) is tested in
``test_webmap_browser.py``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import warnings

import numpy as np
import pytest
import rasterio
import shapely
import webmap_data
from pyproj import Transformer
from rasterio.io import MemoryFile

import chuannan_gis
from chuannan_gis.crs import GCJ02, MEASURE_CRS, convert_datum
from chuannan_gis.errors import ChuannanError, InputError
from chuannan_gis.layers import ConstraintSet, load_constraints
from chuannan_gis.screening.codes import INDICATIVE_TAG, VERDICT_TAG
from chuannan_gis.verdicts import VERDICTS
from chuannan_gis.webmap import assets, write_map
from chuannan_gis.webmap.content import DISPLAY_DECIMALS, display_geometry, shoreline_bands

EXTERNAL_ASSET = re.compile(r"<(script|link)[^>]+(src|href)=\"?https?://", re.IGNORECASE)


@pytest.fixture(scope="module")
def constraints():
    return webmap_data.constraint_set()


@pytest.fixture(scope="module")
def result():
    return webmap_data.result()


def render(tmp_path, result, constraints, name="map.html", **options) -> str:
    return write_map(result, tmp_path / name, constraints=constraints, **options).read_text(encoding="utf-8")


def test_offline_map_inlines_every_asset(tmp_path, result, constraints):
    page = render(tmp_path, result, constraints)
    assert not EXTERNAL_ASSET.search(page)
    assert "Leaflet 1.9.4" in page  # inlined from django-js-lib-leaflet, not linked
    assert "url(images/" not in page  # Leaflet's own images travel as data: URIs
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_offline_map_says_which_controls_it_leaves_out(tmp_path, result, constraints):
    page = render(tmp_path, result, constraints)
    assert "leaves out the full screen, measure control(s)" in page
    assert "Control.FullScreen" not in page and "leaflet-measure" not in page
    assert "L.control.scale()" in page and "L.control.layers(" in page


def test_cdn_mode_links_leaflet_and_adds_fullscreen_and_measure(tmp_path, result, constraints):
    page = render(tmp_path, result, constraints, cdn=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js">' in page
    assert "Control.FullScreen" in page and "leaflet-measure" in page
    assert "leaves out" not in page


def test_no_string_from_data_reaches_the_page_raw(tmp_path, result, constraints):
    meta = constraints.metadata.copy()
    meta.loc[meta["layer"] == "ports", "title_zh"] = "<img src=y onerror=alert(2)>"
    hostile = ConstraintSet(constraints.layers, meta, constraints.paths, constraints.fingerprint)
    page = render(tmp_path, result, hostile)
    for raw in (webmap_data.XSS_NAME, webmap_data.SCRIPT_NAME, "<b>龙溪口</b>", "<img src=y", "<1 公里>"):
        assert raw not in page
    assert page.count("</script>") == page.count("<script")  # nothing closed a script early


def test_bands_take_their_distances_from_the_recorded_rules(tmp_path, constraints):
    text = webmap_data.result().run_info["rules_text"].replace("distance_m: 3000", "distance_m: 2500")
    bands = shoreline_bands(text)
    assert sorted({b.distance_m for b in bands}) == [1000, 2500]
    one_km = next(b for b in bands if b.filter == {"river_class": ("mainstream", "major_tributary")})
    assert one_km.rule_ids == ("c24_heavy_chemical_park_1km", "c24_chemical_enterprise_1km")
    # Art. 26 says 干支流: its band takes every river class (clause (二十四) 干流及主要支流).
    all_rivers = next(b for b in bands if b.filter == {"river_class": ("mainstream", "major_tributary", "tributary")})
    assert all_rivers.rule_ids == ("yrpl26_chemical_1km",)
    page = render(tmp_path, webmap_data.result(rules_text=text), constraints)
    assert "band_water_mainstream_2500m" in page and "_3000m" not in page
    assert "岸线 2.5 公里范围（干流）" in page


def test_without_recorded_rules_the_map_draws_no_band_and_says_so(tmp_path, constraints):
    page = render(tmp_path, webmap_data.result(rules_text=""), constraints)
    assert "band_" not in page
    assert "shoreline bands are not drawn" in page


def test_gcj02_display_geometry_is_shifted_vertex_by_vertex(result):
    points = result.proposals.geometry
    shifted = display_geometry(points, 0, GCJ02)
    expected = convert_datum(points, "wgs84", GCJ02).values
    np.testing.assert_allclose(
        shapely.get_coordinates(shifted), shapely.get_coordinates(expected), atol=10**-DISPLAY_DECIMALS
    )
    assert np.abs(shapely.get_coordinates(shifted) - shapely.get_coordinates(points.values)).max() > 1e-3


def test_gcj02_basemap_says_it_shifted_the_overlays(tmp_path, result, constraints):
    assert "shifted from CGCS2000 to GCJ-02" in render(tmp_path, result, constraints, basemap="gaode")
    assert "shifted from CGCS2000" not in render(tmp_path, result, constraints, name="osm.html")


def test_simplification_keeps_coverages_clean_and_is_stated(tmp_path, result, constraints):
    bundled = load_constraints()
    counties = bundled.layers["counties"].geometry
    simplified = display_geometry(counties, 50)
    assert shapely.get_num_coordinates(simplified).sum() < shapely.get_num_coordinates(counties.values).sum()
    assert shapely.is_valid(simplified).all()
    assert shapely.coverage_is_valid(simplified)  # neighbours still share their edges: no gaps, no overlaps
    assert "tolerance 35 m" in render(tmp_path, result, constraints, tolerance_m=35)


def test_tianditu_key_stays_out_of_the_file_unless_asked(tmp_path, result, constraints, monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "secret-key-123")
    assert "secret-key-123" not in render(tmp_path, result, constraints, basemap="tianditu")
    assert "secret-key-123" in render(tmp_path, result, constraints, name="k.html", basemap="tianditu", embed_key=True)
    explicit = render(
        tmp_path, result, constraints, name="e.html", basemap="tianditu", embed_key=True, tianditu_key="given-key"
    )
    assert "given-key" in explicit and "secret-key-123" not in explicit


def test_embedding_a_key_needs_one(tmp_path, result, constraints, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(InputError, match="embed-key"):
        render(tmp_path, result, constraints, basemap="tianditu", embed_key=True)


def test_the_default_basemap_is_offline_and_drawn_from_the_counties(tmp_path, result, constraints):
    from chuannan_gis.webmap import BASEMAPS, DEFAULT_BASEMAP

    assert DEFAULT_BASEMAP == "offline" == next(iter(BASEMAPS))  # the QGIS dialog's first choice too
    page = render(tmp_path, result, constraints)
    assert "tile.openstreetmap.org" not in page and "cnBasemap" in page
    assert "江阳区" in page and "drawn offline from the constraint layers" in page


def test_unknown_basemap_lists_the_choices(tmp_path, result, constraints):
    with pytest.raises(InputError, match="offline, osm, gaode, tencent, tianditu, none"):
        render(tmp_path, result, constraints, basemap="baidu")


def test_no_basemap_requests_no_tiles(tmp_path, result, constraints):
    page = render(tmp_path, result, constraints, basemap="none")
    assert "tile.openstreetmap.org" not in page and '"tiles":[]' in page


def test_map_from_a_result_geopackage(tmp_path, result, constraints):
    stored = result.write(tmp_path / "result.gpkg")
    page = write_map(stored, tmp_path / "map.html", constraints=constraints).read_text(encoding="utf-8")
    assert page.count('"properties":{"row":[') == len(result.proposals)
    assert "differ from those the check used" not in page


def test_a_different_constraint_set_is_flagged(tmp_path, result):
    other = ConstraintSet.from_frames({"ports": webmap_data.constraint_set().layers["ports"].to_crs(MEASURE_CRS)})
    assert "differ from those the check used" in render(tmp_path, result, other)


def test_ten_thousand_proposals_stay_under_ten_megabytes(tmp_path, constraints):
    path = write_map(webmap_data.result(n=10_000), tmp_path / "10k.html", constraints=constraints)
    assert path.stat().st_size < 10e6


def test_a_missing_asset_package_says_what_to_install():
    missing = dataclasses.replace(assets.LEAFLET_JS, package="no_such_package")
    with pytest.raises(assets.AssetError, match=re.escape("pip install django-js-lib-leaflet==1.9.4.1")):
        missing.read()


def test_proposals_without_geometry_are_counted_not_drawn(tmp_path, constraints):
    partial = webmap_data.result(n=10)
    partial.proposals.loc[3, "geometry"] = None
    page = render(tmp_path, partial, constraints)
    assert page.count('"properties":{"row":[') == 9
    assert "1 proposal(s) without geometry are not drawn" in page


# --- the screening surface overlay (--screen) ------------------------------------------------------

SURFACE_RESOLUTION = 1000.0
IMAGE_LAYER = "chuannanWebmap.imageLayer("


@pytest.fixture(scope="module")
def surface(tmp_path_factory):
    """A real surface of the bundled layers: heavy-chemical parks in 江阳区 at 1 km (53 × 28 cells)."""
    path = tmp_path_factory.mktemp("surface") / "jiangyang.tif"
    return chuannan_gis.screen("industrial_park", "重化工", path, resolution=SURFACE_RESOLUTION, extent="江阳区").path


def image_layers(page: str) -> list[dict]:
    """The spec of every image overlay in the page."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(page, match.end())[0] for match in re.finditer(re.escape(IMAGE_LAYER), page)]


def legend_spec(page: str) -> dict:
    match = re.search(re.escape("chuannanWebmap.legend("), page)
    return json.JSONDecoder().raw_decode(page, page.index("{", match.end()))[0]


def png_rgba(uri: str) -> np.ndarray:
    """The data: URI's PNG decoded to RGBA (rows, cols, 4), through GDAL's PNG driver."""
    import base64

    data = base64.b64decode(uri.removeprefix("data:image/png;base64,"))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)  # a PNG has no transform
        with MemoryFile(data) as memory, memory.open() as image:
            index, colormap = image.read(1), image.colormap(1)
    lookup = np.array([colormap.get(i, (0, 0, 0, 0)) for i in range(256)], dtype=np.uint8)
    return lookup[index]


def expected_rgba(code: int, table: dict, nodata) -> tuple:
    entry = table.get(code)
    if code == nodata or entry is None or entry.get("outside_region"):
        return (0, 0, 0, 0)
    colour = VERDICTS[entry["verdict"]].colour  # verdicts.py, through the file's code table
    return (*(int(colour[i : i + 2], 16) for i in (1, 3, 5)), 255)


def test_screen_adds_one_image_overlay_with_the_rasters_bounds(tmp_path, result, constraints, surface):
    assert image_layers(render(tmp_path, result, constraints, name="plain.html")) == []
    layers = image_layers(render(tmp_path, result, constraints, screen=surface))
    assert len(layers) == 1
    (south, west), (north, east) = layers[0]["bounds"]
    with rasterio.open(surface) as dataset:
        expected = rasterio.warp.transform_bounds(dataset.crs, "EPSG:4326", *dataset.bounds)
    cell_lat = SURFACE_RESOLUTION / 111_000
    cell_lon = cell_lat / np.cos(np.radians((south + north) / 2))
    assert west == pytest.approx(expected[0], abs=cell_lon) and east == pytest.approx(expected[2], abs=cell_lon)
    assert south == pytest.approx(expected[1], abs=cell_lat) and north == pytest.approx(expected[3], abs=cell_lat)
    assert layers[0]["url"].startswith("data:image/png;base64,") and 0 < layers[0]["opacity"] < 1


def test_the_images_pixels_have_the_verdict_colours_of_band_1(tmp_path, result, constraints, surface):
    spec = image_layers(render(tmp_path, result, constraints, screen=surface))[0]
    rgba = png_rgba(spec["url"])
    with rasterio.open(surface) as dataset:
        band1, transform, nodata = dataset.read(1), dataset.transform, dataset.nodata
        table = {int(k): v for k, v in json.loads(dataset.tags()[VERDICT_TAG]).items()}
    (south, west), (north, east) = spec["bounds"]
    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    to_measure = Transformer.from_crs("EPSG:3857", MEASURE_CRS, always_xy=True)
    (left, right), (bottom, top) = to_mercator.transform([west, east], [south, north])
    rows, cols = rgba.shape[:2]
    checked = {}
    for r in range(1, rows - 1, 2):
        for c in range(1, cols - 1, 2):
            x = left + (c + 0.5) * (right - left) / cols
            y = top - (r + 0.5) * (top - bottom) / rows
            row, col = rasterio.transform.rowcol(transform, *to_measure.transform(x, y))
            if not (0 < row < band1.shape[0] - 1 and 0 < col < band1.shape[1] - 1):
                continue
            around = band1[row - 1 : row + 2, col - 1 : col + 2]
            if (around != around[1, 1]).any():
                continue  # away from edges between codes, where nearest neighbour may pick either side
            code = int(band1[row, col])
            assert tuple(rgba[r, c]) == expected_rgba(code, table, nodata), (r, c, code)
            checked[code] = checked.get(code, 0) + 1
    drawn = {code for code in checked if expected_rgba(code, table, nodata)[3]}
    assert len(drawn) >= 2 and nodata in checked  # several verdicts, and the transparent nodata outside 江阳区


def test_the_surface_legend_names_kind_industry_resolution_and_indicative_data(tmp_path, result, constraints, surface):
    page = render(tmp_path, result, constraints, screen=surface)
    row = legend_spec(page)["layers"][0]
    assert "产业园区·重化工（新建）" in row["title"][0] and "像元 1000 米" in row["title"][0]
    assert "industrial park, heavy chemical (new), 1000 m cells, shown at ≈ 1,000 m" in row["title"][1]
    assert row["indicative"]  # the bundled layers it was computed from are indicative
    with rasterio.open(surface) as dataset:
        assert "eco_redlines" in json.loads(dataset.tags()[INDICATIVE_TAG])
    assert "rests on indicative data" in page and "other constraint layers than those drawn" in page


def test_a_surface_from_official_data_is_not_marked_indicative(tmp_path, result, constraints, surface):
    official = shutil.copy(surface, tmp_path / "official.tif")
    with rasterio.open(official, "r+", IGNORE_COG_LAYOUT_BREAK="YES") as dataset:
        dataset.update_tags(**{INDICATIVE_TAG: "[]"})
    row = legend_spec(render(tmp_path, result, constraints, screen=official))["layers"][0]
    assert row["title"][0].startswith("筛查栅格") and not row["indicative"]


def test_large_surfaces_are_downsampled_to_the_pixel_budget(surface):
    from chuannan_gis.webmap.surface import read_surface

    image = read_surface(surface, max_pixels=20)
    assert max(image.size) <= 20 and image.display_m > 2 * SURFACE_RESOLUTION


def test_the_surface_is_shifted_to_gcj02_with_the_other_overlays(tmp_path, result, constraints, surface):
    plain = image_layers(render(tmp_path, result, constraints, screen=surface))[0]["bounds"]
    gaode = image_layers(render(tmp_path, result, constraints, name="g.html", screen=surface, basemap="gaode"))[0]
    corners = shapely.points([[lon, lat] for lat, lon in plain])
    expected = shapely.get_coordinates(convert_datum(corners, "wgs84", GCJ02))
    np.testing.assert_allclose([[lon, lat] for lat, lon in gaode["bounds"]], expected, atol=1e-6)
    assert abs(gaode["bounds"][0][1] - plain[0][1]) > 1e-3


def test_the_surface_adds_little_to_the_file(tmp_path, result, constraints, surface):
    without = write_map(result, tmp_path / "a.html", constraints=constraints).stat().st_size
    with_surface = write_map(result, tmp_path / "b.html", constraints=constraints, screen=surface).stat().st_size
    assert 0 < with_surface - without < 20_000


def test_a_raster_without_the_code_tables_is_a_clear_error_naming_it(tmp_path, result, constraints):
    plain = tmp_path / "plain.tif"
    profile = {
        "driver": "GTiff",
        "width": 4,
        "height": 4,
        "count": 1,
        "dtype": "uint8",
        "crs": MEASURE_CRS,
        "transform": rasterio.transform.from_origin(500_000, 3_200_000, 1000, 1000),
    }
    with rasterio.open(plain, "w", **profile) as dataset:
        dataset.write(np.ones((1, 4, 4), dtype=np.uint8))
    with pytest.raises(ChuannanError, match=VERDICT_TAG) as raised:
        render(tmp_path, result, constraints, screen=plain)
    assert str(plain) in str(raised.value) and "chuannan-gis screen" in str(raised.value)
    not_a_raster = tmp_path / "notes.tif"
    not_a_raster.write_text("not a raster", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        render(tmp_path, result, constraints, screen=not_a_raster)
    assert str(not_a_raster) in str(raised.value)
