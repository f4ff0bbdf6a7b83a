"""Rebuilding the constraint set from its public sources gives the committed GeoPackage.

Needs the ``build`` extra and Debian ``gmt`` + ``gmt-gshhg-full`` (CI installs both).  The
comparison is per layer: feature count, attributes, and a checksum of the sorted WKB, so that
file-level differences (GeoPackage timestamps) do not matter.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from chuannan_gis.layers.schema import BUNDLED_LAYERS, METADATA_TABLE

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "chuannan_gis" / "data" / "constraints.gpkg"

pytestmark = pytest.mark.slow


def _checksum(gdf: gpd.GeoDataFrame) -> str:
    digest = hashlib.sha256()
    for wkb in sorted(shapely.to_wkb(gdf.geometry.values, byte_order=1)):
        digest.update(wkb)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    if shutil.which("gmt") is None:
        pytest.skip("GMT not installed (apt-get install gmt gmt-gshhg-full)")
    from chuannan_gis.layers.build import build

    tmp = tmp_path_factory.mktemp("rebuild")
    return build(tmp / "constraints.gpkg", work_dir=tmp / "work", inputs_dir=ROOT / "layers")


@pytest.mark.parametrize("layer", BUNDLED_LAYERS)
def test_rebuild_matches_committed_layer(rebuilt, layer):
    fresh = gpd.read_file(rebuilt, layer=layer, engine="pyogrio")
    committed = gpd.read_file(COMMITTED, layer=layer, engine="pyogrio")
    assert len(fresh) == len(committed)
    assert fresh.drop(columns="geometry").equals(committed.drop(columns="geometry"))
    assert _checksum(fresh) == _checksum(committed)


def test_rebuild_matches_committed_metadata(rebuilt):
    fresh = pyogrio.read_dataframe(rebuilt, layer=METADATA_TABLE)
    committed = pyogrio.read_dataframe(COMMITTED, layer=METADATA_TABLE)
    assert fresh.equals(committed)


def test_rebuild_leaves_no_temporary_file(rebuilt):
    assert [p.name for p in rebuilt.parent.glob("*.gpkg")] == ["constraints.gpkg"]
