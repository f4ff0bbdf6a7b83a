"""The web map's HTML, without a browser: offline assets, escaping, bands from the rules, datums, keys.

What a browser must show (drawing, popups, the XSS case, the GCJ-02 shift) is tested in
``test_webmap_browser.py``.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import shapely
import webmap_data

from chuannan_gis.crs import GCJ02, MEASURE_CRS, convert_datum
from chuannan_gis.errors import InputError
from chuannan_gis.layers import ConstraintSet, load_constraints
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
    assert one_km.rule_ids == ("c24_heavy_chemical_park_1km", "c24_chemical_enterprise_1km", "yrpl26_chemical_1km")
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
    np.testing.assert_allclose(shapely.get_coordinates(shifted), shapely.get_coordinates(expected),
                               atol=10 ** -DISPLAY_DECIMALS)
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
    explicit = render(tmp_path, result, constraints, name="e.html", basemap="tianditu", embed_key=True,
                      tianditu_key="given-key")
    assert "given-key" in explicit and "secret-key-123" not in explicit


def test_embedding_a_key_needs_one(tmp_path, result, constraints, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(InputError, match="embed-key"):
        render(tmp_path, result, constraints, basemap="tianditu", embed_key=True)


def test_unknown_basemap_lists_the_choices(tmp_path, result, constraints):
    with pytest.raises(InputError, match="osm, gaode, tencent, tianditu, none"):
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
    with pytest.raises(assets.AssetError, match="pip install django-js-lib-leaflet==1.9.4.1"):
        missing.read()


def test_proposals_without_geometry_are_counted_not_drawn(tmp_path, constraints):
    partial = webmap_data.result(n=10)
    partial.proposals.loc[3, "geometry"] = None
    page = render(tmp_path, partial, constraints)
    assert page.count('"properties":{"row":[') == 9
    assert "1 proposal(s) without geometry are not drawn" in page
