"""An installed wheel carries everything a check needs: the constraint set, the rule catalog,
the vocabulary, the report template and the web-map assets — with no source tree in sight."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, chuannan_gis
from chuannan_gis.layers import bundled_path
from chuannan_gis.report import write_report
from chuannan_gis.webmap import write_map
import geopandas as gpd, shapely
sites = gpd.GeoDataFrame({"name": ["江安园区"], "kind": ["园区"], "industry": ["重化工"]},
                         geometry=[shapely.Point(105.07, 28.73)], crs="EPSG:4490")
result = chuannan_gis.check(sites)
write_report(result, "report.html")
write_map(result, "map.html")
print(json.dumps({"data": str(bundled_path()), "package": chuannan_gis.__file__,
                  "counties": len(chuannan_gis.load_constraints().layers["counties"]),
                  "rules": len(chuannan_gis.load_rules().rules),
                  "verdict": result.proposals["verdict"].iloc[0]}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("chuannan_gis-*.whl"))


def test_wheel_ships_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "chuannan_gis/data/constraints.gpkg",
        "chuannan_gis/rules/catalog.yaml",
        "chuannan_gis/vocabulary.yaml",
        "chuannan_gis/service/static/index.html",  # the service's landing page
    ):
        assert required in names
    assert any(n.startswith("chuannan_gis/report/templates/") for n in names)
    assert any(n.startswith("chuannan_gis/webmap/static/") for n in names)


def test_installed_wheel_checks_without_the_source_tree(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    # -I would drop PYTHONPATH; -s keeps a user site out; cwd is far from the checkout.
    run = subprocess.run(
        [sys.executable, "-s", "-c", PROBE], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert probe["package"].startswith(str(site)) and probe["data"].startswith(str(site))
    assert probe["counties"] == 28 and probe["rules"] >= 20
    assert probe["verdict"] in {"prohibited", "review", "clear", "unknown", "restricted"}
    assert (work / "report.html").stat().st_size > 0 and (work / "map.html").stat().st_size > 0
