"""The streamed check (chuannan_gis.stream), which `chuannan-gis check` runs with either engine:
chunk by chunk, a feature keeps the id and the name it has in the whole file."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import InputError
from chuannan_gis.layers import load_constraints
from chuannan_gis.result import Result
from chuannan_gis.stream import check_to_file


@pytest.fixture(scope="module")
def site():
    return load_constraints().measured("counties").set_index("adcode").loc["511523"].geometry.representative_point()


def _parcels(site, count, industry="electronics"):
    return gpd.GeoDataFrame(
        {"kind": "industrial_park", "industry": [industry] * count},  # no name field: a 三调-like extract
        geometry=[shapely.Point(site.x + 300 * i, site.y).buffer(50) for i in range(count)],
        crs=MEASURE_CRS,
    )


def test_chunks_keep_the_file_s_ids_and_feature_names(tmp_path, site):
    _parcels(site, 5).to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    streamed = check_to_file(tmp_path / "parcels.gpkg", tmp_path / "out.gpkg", chunk_rows=2)
    proposals = Result.read(streamed.path).proposals
    assert proposals["proposal_id"].tolist() == [0, 1, 2, 3, 4]
    assert proposals["name"].tolist() == [f"要素 {i} / feature {i}" for i in range(1, 6)]  # not 1, 2, 1, 2, 1
    assert sum(streamed.verdict_counts().values()) == 5


def test_a_bad_value_in_a_later_chunk_is_named_by_its_row_in_the_file(tmp_path, site):
    parcels = _parcels(site, 5)
    parcels.loc[3, "industry"] = "不存在的行业"
    parcels.to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    with pytest.raises(InputError, match="row 4") as raised:
        check_to_file(tmp_path / "parcels.gpkg", tmp_path / "out.gpkg", chunk_rows=2)
    assert "industry" in str(raised.value)
    assert not (tmp_path / "out.gpkg").exists()  # nothing half-written
