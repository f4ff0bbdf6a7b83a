"""Known answers for the bundled constraint set (chuannan_gis/data/constraints.gpkg).

The GeoPackage is read directly (pyogrio/geopandas), not through the loader, so these tests
check the built data itself.  Distances and areas are measured in EPSG:4544.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
import shapely.ops

from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.layers.schema import BUNDLED_LAYERS, COMMON_FIELDS, LAYERS, METADATA_FIELDS, METADATA_TABLE

GPKG = Path(__file__).resolve().parents[1] / "chuannan_gis" / "data" / "constraints.gpkg"

# docs/domain.md "The region": 28 county units by city.
DOMAIN_COUNTIES = {
    "内江市": {"市中区", "东兴区", "威远县", "资中县", "隆昌市"},
    "自贡市": {"自流井区", "贡井区", "大安区", "沿滩区", "荣县", "富顺县"},
    "宜宾市": {"翠屏区", "南溪区", "叙州区", "江安县", "长宁县", "高县", "珙县", "筠连县", "兴文县", "屏山县"},
    "泸州市": {"江阳区", "纳溪区", "龙马潭区", "泸县", "合江县", "叙永县", "古蔺县"},
}
CITY_PREFIX = {"内江市": "5110", "自贡市": "5103", "宜宾市": "5115", "泸州市": "5105"}

# District centres: AMap district-API centres as shipped in PyPI cpca 0.5.5 resources/adcodes.csv
# (GCJ-02), converted to WGS84/CGCS2000 with prcoords.gcj_wgs_bored, rounded to 1e-5°.
CITY_CENTRES = {
    "翠屏区": ((104.61768, 28.76914), "宜宾都市区"),
    "江阳区": ((105.43138, 28.88182), "泸州都市区"),
    "自流井区": ((104.77449, 29.34028), "内自都市区"),
    "市中区": ((105.06435, 29.58962), "内自都市区"),  # 内江市中区
}
# DATA-SOURCES.md reference points, in or at the water.
MIN_JINSHA_CONFLUENCE = (104.640, 28.768)
TUO_YANGTZE_CONFLUENCE = (105.445, 28.895)
YIBIN_STRICT_REDLINE_KM2 = 372.6  # docs/domain.md: Yibin government report


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {name: gpd.read_file(GPKG, layer=name, engine="pyogrio") for name in BUNDLED_LAYERS}


@pytest.fixture(scope="module")
def measured(layers) -> dict[str, gpd.GeoDataFrame]:
    return {name: gdf.to_crs(MEASURE_CRS) for name, gdf in layers.items()}


@pytest.fixture(scope="module")
def metadata():
    return pyogrio.read_dataframe(GPKG, layer=METADATA_TABLE)


def _point_m(lon, lat):
    return gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4490").to_crs(MEASURE_CRS).iloc[0]


def _region(measured):
    return shapely.union_all(measured["counties"].geometry.values)


def test_every_bundled_layer_follows_the_schema(layers):
    assert set(BUNDLED_LAYERS) <= {name for name, _ in pyogrio.list_layers(GPKG)}
    for name, gdf in layers.items():
        spec = LAYERS[name]
        assert gdf.crs.to_epsg() == 4490, name
        assert set(spec.fields) | set(COMMON_FIELDS) <= set(gdf.columns), name
        assert set(gdf.geom_type) == {spec.geometry}, name
        assert gdf.is_valid.all(), name
        for field, allowed in spec.vocab.items():
            assert set(gdf[field]) <= set(allowed), (name, field)


def test_the_28_counties_and_their_cities(layers):
    counties = layers["counties"]
    assert len(counties) == 28
    assert counties["adcode"].str.fullmatch(r"\d{6}").all()
    for city, names in DOMAIN_COUNTIES.items():
        rows = counties[counties["city_zh"] == city]
        assert set(rows["name_zh"]) == names, city
        assert rows["adcode"].str.startswith(CITY_PREFIX[city]).all(), city
        assert (rows["city_adcode"] == CITY_PREFIX[city] + "00").all(), city
    assert counties["name_en"].str.len().gt(0).all()


def test_region_area_is_about_35000_km2(measured):
    assert _region(measured).area / 1e6 == pytest.approx(35_000, rel=0.03)


@pytest.mark.parametrize("county", sorted(CITY_CENTRES))
def test_city_centres_fall_in_their_county_and_district(layers, county):
    (lon, lat), district = CITY_CENTRES[county]
    point = shapely.Point(lon, lat)
    counties = layers["counties"]
    hit = counties[counties.contains(point)]
    assert hit["name_zh"].tolist() == [county]
    assert hit["district_zh"].tolist() == [district]
    zoning = layers["zoning"]
    assert set(zoning.loc[zoning.contains(point), "name_zh"]) == {district, "川南都市圈"}


def test_zoning_is_one_circle_and_three_districts(layers, measured):
    zoning = layers["zoning"]
    assert sorted(zoning["level"]) == ["circle", "district", "district", "district"]
    assert set(zoning.loc[zoning["level"] == "district", "name_zh"]) == {"内自都市区", "宜宾都市区", "泸州都市区"}
    circle = measured["zoning"][zoning["level"] == "circle"].geometry.iloc[0]
    assert circle.area == pytest.approx(_region(measured).area, rel=1e-4)


def test_yangtze_water_is_at_both_confluences(measured):
    water = measured["water"].set_index("river_id").geometry
    assert water["yangtze"].distance(_point_m(*MIN_JINSHA_CONFLUENCE)) <= 1000
    assert water["min"].distance(_point_m(*MIN_JINSHA_CONFLUENCE)) <= 1000
    assert water["yangtze"].distance(_point_m(*TUO_YANGTZE_CONFLUENCE)) <= 1000


def test_rivers_and_classes(layers):
    rivers = layers["rivers"].set_index("river_id")
    assert rivers.loc["yangtze", "river_class"] == "mainstream"
    assert rivers.loc["jinsha", "river_class"] == "mainstream"
    for rid, basin in {"min": 135_000, "tuo": 27_800, "chishui": 20_400}.items():
        assert rivers.loc[rid, "river_class"] == "major_tributary"
        assert rivers.loc[rid, "basin_km2"] == basin
    assert (rivers["half_width_m"] > 0).all()


def test_rivers_are_the_documented_five_and_the_known_gaps_are_absent(layers):
    # layers/README.md "Known gaps": no reachable source has these rivers, and none is drawn by hand.
    rivers = layers["rivers"]
    assert set(rivers["river_id"]) == {"yangtze", "jinsha", "min", "tuo", "chishui"}
    assert not set(rivers["name_zh"]) & {"横江", "南广河", "长宁河", "永宁河", "越溪河", "釜溪河"}
    fish = {r for r in layers["nature_reserves"]["reserve_id"] if r.startswith("cjsy_")}
    assert fish == {f"cjsy_{r}" for r in ("yangtze", "jinsha", "min", "tuo", "chishui")} | {"cjsy_jinsha_start"}


def test_rivers_reach_at_least_5_km_beyond_the_region(measured):
    region = _region(measured)
    for rid, line in measured["rivers"].set_index("river_id").geometry.items():
        outside = line.difference(region)
        reach = max(
            (region.distance(shapely.Point(c)) for g in shapely.get_parts(outside) for c in g.coords), default=0.0
        )
        assert reach >= 5000, rid


def test_water_is_the_centreline_buffered_by_half_width(measured):
    rivers = measured["rivers"].set_index("river_id")
    for rid, water in measured["water"].set_index("river_id").geometry.items():
        expected = rivers.geometry[rid].buffer(rivers.loc[rid, "half_width_m"])
        assert water.symmetric_difference(expected).area < 0.01 * expected.area, rid


def test_metadata_row_per_layer_and_provenance_per_feature(layers, metadata):
    assert list(metadata.columns[: len(METADATA_FIELDS)]) == list(METADATA_FIELDS)
    assert sorted(metadata["layer"]) == sorted(BUNDLED_LAYERS)
    for row in metadata.itertuples():
        gdf = layers[row.layer]
        assert row.data_status == "indicative", row.layer
        assert row.accuracy_m == pytest.approx(gdf["accuracy_m"].max()), row.layer
        assert all(getattr(row, f) for f in ("source", "licence", "date", "method")), row.layer
        assert (gdf["data_status"] == "indicative").all(), row.layer
        assert (gdf["accuracy_m"] > 0).all(), row.layer
        assert gdf["source"].str.len().gt(10).all(), row.layer


def test_river_accuracy_is_per_source(layers):
    accuracy = layers["rivers"].set_index("river_id")["accuracy_m"]
    cn4m, wdbii = accuracy["jinsha"], accuracy["tuo"]
    assert accuracy["yangtze"] == accuracy["min"] == cn4m
    assert accuracy["chishui"] == wdbii
    # Same order as DATA-SOURCES.md (1:4M Jinsha p90 486 m, WDBII Chishui p90 1,225 m).
    assert 100 <= cn4m <= 1000
    assert 500 <= wdbii <= 2500


def test_red_lines_keep_off_city_centres_and_stay_near_yibins_figure(measured, layers):
    redlines = measured["eco_redlines"]
    assert set(layers["eco_redlines"]["redline_type"]) == {"karst_desertification", "water_source_soil_conservation"}
    union = shapely.union_all(redlines.geometry.values)
    for (lon, lat), _ in CITY_CENTRES.values():
        assert union.distance(_point_m(lon, lat)) >= 4990
    counties = measured["counties"]
    yibin = shapely.union_all(counties[counties["city_adcode"] == "511500"].geometry.values)
    yibin_km2 = union.intersection(yibin).area / 1e6
    assert YIBIN_STRICT_REDLINE_KM2 / 3 <= yibin_km2 <= 3 * YIBIN_STRICT_REDLINE_KM2


def test_red_lines_stay_in_their_anchor_counties(measured):
    counties = measured["counties"].set_index("adcode").geometry
    anchors = {
        "karst_desertification": {"511525", "511524", "511527", "511526", "511528", "511529", "510524", "510525"},
        "water_source_soil_conservation": {
            "511002",
            "511011",
            "511083",
            "511025",
            "510304",
            "510311",
            "510322",
            "510521",
        },
    }
    for row in measured["eco_redlines"].itertuples():
        allowed = shapely.union_all([counties[c] for c in anchors[row.redline_type]])
        assert row.geometry.difference(allowed.buffer(1)).area < 1e4, row.block_id


def test_reserve_is_channel_on_the_named_rivers(measured):
    reserves = measured["nature_reserves"]
    reserves = reserves[reserves["reserve_id"].str.startswith("cjsy_")]
    # The reserve has zones (核心区/缓冲区/实验区) but their boundaries are not public.
    assert set(reserves["zone"]) == {"zoning_unknown"}
    assert set(reserves["reserve_id"]) >= {"cjsy_yangtze", "cjsy_jinsha", "cjsy_min", "cjsy_chishui"}
    water = shapely.union_all(measured["water"].geometry.values)
    for row in reserves.itertuples():
        assert row.geometry.difference(water).area < 1e4, row.reserve_id
    # Only the Min's lower 90.1 km (月波 to the mouth): at most that length of 400 m wide channel.
    min_reserve = reserves.set_index("reserve_id").geometry["cjsy_min"]
    assert min_reserve.area <= 1.01 * (90_100 * 400 + 3.1416 * 200**2)


def test_ports_sit_on_the_yangtze_in_development_shoreline(measured):
    ports = measured["ports"]
    assert {"yibin_zhicheng", "luzhou_shilongyan"} <= set(ports["port_id"])
    yangtze = measured["water"].set_index("river_id").geometry["yangtze"]
    zones = measured["shoreline_zones"]
    for row in ports.itertuples():
        assert row.geometry.intersects(yangtze), row.port_id
        at = row.geometry.representative_point()
        assert set(zones.loc[zones.contains(at), "zone"]) == {"development"}, row.port_id


def test_zhicheng_is_on_the_north_bank_with_its_published_size(measured):
    ports = measured["ports"].set_index("port_id")
    zhicheng = ports.geometry["yibin_zhicheng"]
    rivers = measured["rivers"].set_index("river_id")
    river = rivers.geometry["yangtze"]
    # 3.5 km of shoreline; 4.1 km² of land (1,171 m deep) plus the bank's half of the channel.
    half_width_km = rivers.loc["yangtze", "half_width_m"] / 1000
    assert zhicheng.area / 1e6 == pytest.approx(3.5 * (half_width_km + 1.171), rel=0.15)
    assert zhicheng.centroid.y > river.interpolate(river.project(zhicheng.centroid)).y


def test_shoreline_zones_cover_the_mainstream_water_in_the_region(measured):
    zones = shapely.union_all(measured["shoreline_zones"].geometry.values)
    water = measured["water"].set_index("river_id").geometry
    mainstream = shapely.union_all([water["yangtze"], water["jinsha"]]).intersection(_region(measured))
    assert mainstream.difference(zones).area < 0.01 * mainstream.area
    assert set(measured["shoreline_zones"]["zone"]) == {"protection", "reserved", "controlled", "development"}


def test_confluences_are_protected(measured):
    zones = measured["shoreline_zones"]
    for lonlat in (MIN_JINSHA_CONFLUENCE, TUO_YANGTZE_CONFLUENCE):
        point = _point_m(*lonlat)
        near = zones[zones.distance(point) == 0]
        assert "protection" in set(near["zone"]), lonlat


# --- data_gaps: where the bundled water layer is known to lack the 横江 (README "data_gaps") ------


def _shuifu_seat_m():
    """The 水富 county seat (cpca, as the build reads it): the town at the Heng–Jinsha confluence."""
    import importlib.util

    if importlib.util.find_spec("cpca") is None:  # its data file only: never imported (build extra)
        pytest.skip("cpca not installed (pip install '.[build]')")
    pytest.importorskip("prcoords")
    pytest.importorskip("py7zr")
    from chuannan_gis.layers.build import sources

    return sources.seat_points({"530630": "530630"}).to_crs(MEASURE_CRS).geometry.iloc[0]


def test_data_gap_for_the_heng_is_indicative_water_major_tributary(layers, metadata):
    gaps = layers["data_gaps"]
    assert list(gaps["gap_id"]) == ["heng", "tributaries"]
    gap = gaps.iloc[0]
    assert (gap["missing_layer"], gap["river_class"], gap["data_status"]) == ("water", "major_tributary", "indicative")
    # The gap rules test `intersects`: the near-threshold band (accuracy_m) must reach past the 1 km
    # the shadowed rules measure, so a proposal within 1 km of the area is unknown too.
    assert "横江" in gap["name_zh"] and gap["accuracy_m"] >= 1000
    row = metadata.set_index("layer").loc["data_gaps"]
    assert row["data_status"] == "indicative" and "横江" in row["method"]


def test_tributaries_are_a_gap_over_the_whole_region(layers, measured, metadata):
    # SCHEMA.md: water maps mainstream and major tributaries completely; tributaries are nowhere
    # drawn, so the whole region is a `tributary` gap (Art. 26 on all 干支流 gives unknown there).
    assert metadata.set_index("layer").loc["water", "complete_classes"] == "mainstream,major_tributary"
    gap = layers["data_gaps"].set_index("gap_id").loc["tributaries"]
    assert (gap["missing_layer"], gap["river_class"], gap["data_status"]) == ("water", "tributary", "indicative")
    area = measured["data_gaps"].set_index("gap_id").geometry["tributaries"]
    region = _region(measured)
    assert region.difference(area).area < 1e-6 * region.area
    assert set(layers["water"]["river_class"]) <= {"mainstream", "major_tributary"}


def test_data_gap_covers_the_confluence_and_the_border_near_it(measured):
    gap = measured["data_gaps"].geometry.iloc[0]
    seat = _shuifu_seat_m()
    jinsha = measured["rivers"].set_index("river_id").geometry["jinsha"]
    confluence = jinsha.interpolate(jinsha.project(seat))  # the Jinsha at the 水富 seat
    assert gap.contains(seat) and gap.contains(confluence)
    # The Heng's lower course is the 叙州区–Yunnan boundary: the gap covers that boundary up to
    # 25 km from the confluence.
    region = _region(measured)
    border = region.boundary.intersection(confluence.buffer(25_000))
    assert border.difference(gap).length < 0.01 * border.length


def test_data_gap_stays_off_the_city_centres(measured):
    gap = measured["data_gaps"].geometry.iloc[0]
    for county in ("翠屏区", "江阳区", "自流井区", "市中区"):  # Yibin, Luzhou, Zigong, Neijiang
        assert gap.distance(_point_m(*CITY_CENTRES[county][0])) > 5_000, county
    assert 300 < gap.intersection(_region(measured)).area / 1e6 < 1_500  # km², README: 566.8


# --- Say what the layers cannot see (issue 13) ------------------------------------------------
# Published descriptions (layers/reserves.csv names the pages).
HUAGAOXI = {"county": "510524", "km2": 238.27}  # 叙永 水尾镇, borders 赤水市 and 古蔺
HUAGAOXI_JUNCTION = (105.6587, 28.3082)  # 叙永/古蔺/赤水市 meet (Tianditu), its anchor
JINHUA_EXTENT = (104.125694, 29.256250, 104.142500, 29.263417)  # 104°07′32.5″–104°08′33″ E, 29°15′22.5″–29°15′48.3″ N


def _reserves(measured):
    return measured["nature_reserves"].set_index("reserve_id")


def test_the_regions_other_reserves_are_mapped_with_zoning_unknown(measured):
    reserves = _reserves(measured)
    levels = {
        "huagaoxi": "national",
        "changning_zhuhai": "national",
        "laojunshan": "national",
        "rongxian_jinhua": "provincial",
    }
    for rid, level in levels.items():
        assert reserves.loc[rid, "level"] == level, rid
        assert reserves.loc[rid, "zone"] == "zoning_unknown", rid
        assert "http" in reserves.loc[rid, "source"], rid
    # Each has its published area (画稿溪 238.27 km², 长宁竹海 28,719 ha, 老君山 3,500 ha, 金花 ≥ 110 ha).
    for rid, km2 in {"huagaoxi": 238.27, "changning_zhuhai": 287.19, "laojunshan": 35.0}.items():
        assert reserves.geometry[rid].area / 1e6 == pytest.approx(km2, rel=0.01), rid
    assert reserves.geometry["rongxian_jinhua"].area / 1e6 >= 1.10
    counties = measured["counties"].set_index("adcode").geometry
    for rid, county in {"huagaoxi": "510524", "changning_zhuhai": "511524", "laojunshan": "511529"}.items():
        assert reserves.geometry[rid].difference(counties[county].buffer(1)).area < 1e4, rid


def test_a_site_at_huagaoxi_is_inside_a_reserve_of_unknown_zoning(measured):
    reserves = measured["nature_reserves"]
    # 1 km inside the 叙永 corner where it meets 古蔺 and 赤水市: the reserve's published neighbours.
    junction = _point_m(*HUAGAOXI_JUNCTION)
    xuyong = measured["counties"].set_index("adcode").geometry[HUAGAOXI["county"]]
    site = shapely.ops.nearest_points(xuyong.buffer(-1000).boundary, junction)[0]
    hit = reserves[reserves.contains(site)]
    assert list(hit["reserve_id"]) == ["huagaoxi"]
    assert hit["zone"].iloc[0] == "zoning_unknown"


def test_the_jinhua_reserve_covers_its_published_extent(measured):
    w, s, e, n = JINHUA_EXTENT
    centre = _point_m((w + e) / 2, (s + n) / 2)
    jinhua = _reserves(measured).loc["rongxian_jinhua"]
    assert jinhua.geometry.contains(centre)
    # The whole published extent lies within the feature's accuracy of it.
    extent = gpd.GeoSeries([shapely.box(w, s, e, n)], crs="EPSG:4490").to_crs(MEASURE_CRS).iloc[0]
    assert extent.difference(jinhua.geometry.buffer(jinhua.accuracy_m)).area < 1.0


def test_reserve_accuracy_is_the_scale_of_the_placement(measured):
    reserves = _reserves(measured)
    for rid in ("huagaoxi", "changning_zhuhai"):  # corner radius of a ~240-290 km² patch: 10-20 km
        assert 10_000 <= reserves.loc[rid, "accuracy_m"] <= 20_000, rid
    assert 5_800 <= reserves.loc["laojunshan", "accuracy_m"] <= 12_000  # half its 11.6 km extent + ridge
    assert reserves.loc["rongxian_jinhua", "accuracy_m"] >= 500


def test_fish_reserve_has_the_rivers_lateral_accuracy_and_a_separate_reach_end(measured):
    reserves = _reserves(measured)
    rivers = measured["rivers"].set_index("river_id")
    for rid in ("yangtze", "jinsha", "min", "tuo", "chishui"):
        assert reserves.loc[f"cjsy_{rid}", "accuracy_m"] == rivers.loc[rid, "accuracy_m"], rid
    start = reserves.loc["cjsy_jinsha_start"]
    assert start.accuracy_m == 3000
    assert start.geometry.area < 0.3 * reserves.geometry["cjsy_jinsha"].area  # 6 km of a ~28 km reach
    # A site 2.5 km off the Jinsha, 20 km below the reach start, is outside the reserve's band.
    jinsha = rivers.geometry["jinsha"]
    s = jinsha.project(start.geometry.centroid) + 20_000
    on = jinsha.interpolate(s)
    ahead = jinsha.interpolate(s + 100)
    dx, dy = ahead.x - on.x, ahead.y - on.y
    norm = (dx * dx + dy * dy) ** 0.5
    site = shapely.Point(on.x - dy / norm * 2500, on.y + dx / norm * 2500)
    band = [
        r.geometry.buffer(r.accuracy_m)
        for r in measured["nature_reserves"].itertuples()
        if r.reserve_id.startswith("cjsy_")
    ]
    assert not any(b.contains(site) for b in band)
    assert site.distance(reserves.geometry["cjsy_jinsha"]) > reserves.loc["cjsy_jinsha", "accuracy_m"]


def test_development_shoreline_carries_the_ports_accuracy(measured):
    zones = measured["shoreline_zones"]
    ports = measured["ports"]
    worst = ports["accuracy_m"].max()
    dev = zones[(zones["zone"] == "development") & (zones["river_id"] == "yangtze")]
    assert len(dev) == 2
    for row in dev.itertuples():
        held = ports[ports.intersects(row.geometry)]
        assert not held.empty, row.bank
        assert row.accuracy_m >= held["accuracy_m"].max(), row.bank
    assert zones["accuracy_m"].max() >= worst


def test_every_layer_states_what_it_lacks(metadata, measured):
    assert {"complete_classes", "completeness_zh", "completeness_en"} <= set(metadata.columns)
    for row in metadata.itertuples():
        assert len(row.completeness_zh) > 10 and len(row.completeness_en) > 20, row.layer
    water = metadata.set_index("layer")
    # Complete except where a data_gaps feature says otherwise: the 横江 (a major tributary) is
    # such a gap, placed where it may run, not a region-wide one; tributaries are not complete.
    assert water.loc["water", "complete_classes"] == "mainstream,major_tributary"
    assert "Heng" in water.loc["water", "completeness_en"]
    gaps = measured["data_gaps"].set_index("gap_id")
    assert (
        gaps.loc["heng", "river_class"] == "major_tributary" and gaps.loc["tributaries", "river_class"] == "tributary"
    )
    assert "5 reserves" in water.loc["nature_reserves", "completeness_en"]
