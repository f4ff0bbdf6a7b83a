"""`qgis_process run`: Debian's QGIS with its own Python, seeing the library through PYTHONPATH."""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import zipfile

import pyogrio
import pytest

from tests.conftest import IN_CI, PLUGIN_ROOT, REPO, library_verdicts
from tests.data import PROPOSAL_FIELDS
from tests.test_processing import FIELD_PARAMETERS, result_uris, verdicts_of

pytestmark = pytest.mark.slow


def qgis_process(*args, plugin_path, profile, pythonpath, cwd=None) -> subprocess.CompletedProcess:
    executable = shutil.which("qgis_process")
    if executable is None:
        if IN_CI:
            pytest.fail("qgis_process is not installed")
        pytest.skip("qgis_process is not installed")
    env = {**os.environ, "QGIS_PLUGINPATH": str(plugin_path), "QGIS_CUSTOM_CONFIG_PATH": str(profile),
           "PYTHONPATH": os.pathsep.join(map(str, pythonpath)), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([executable, *args], env=env, capture_output=True, text=True, timeout=300, check=False,
                          cwd=cwd)


def run_check(tmp_path, proposals, plugin_path, pythonpath):
    profile = tmp_path / "profile"
    enabled = qgis_process("plugins", "enable", "chuannan_qgis", plugin_path=plugin_path, profile=profile,
                           pythonpath=pythonpath)
    assert enabled.returncode == 0, enabled.stderr
    arguments = [f"--{key}={value}" for key, value in FIELD_PARAMETERS.items()]
    done = qgis_process("--json", "run", "chuannan:checkproposals", f"--INPUT={proposals}", *arguments,
                        f"--OUTPUT={tmp_path / 'result.gpkg'}", f"--REPORT={tmp_path / 'report.html'}",
                        plugin_path=plugin_path, profile=profile, pythonpath=pythonpath)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)["results"]


def test_qgis_process_gives_the_library_verdicts(tmp_path, proposals_gpkg, real_bundle):
    results = run_check(tmp_path, proposals_gpkg, PLUGIN_ROOT, [*site.getsitepackages(), REPO])
    assert results["OUTPUT"].startswith(str(tmp_path / "result.gpkg"))
    assert (tmp_path / "report.html").exists()
    assert verdicts_of(result_uris(tmp_path / "result.gpkg")) == library_verdicts(proposals_gpkg, dict(PROPOSAL_FIELDS))


def test_built_zip_installs_and_checks_with_its_own_copy_of_the_library(tmp_path, proposals_gpkg, real_bundle):
    import build

    archive = build.build_zip(tmp_path / "dist" / "chuannan_qgis.zip")
    plugins = tmp_path / "plugins"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(plugins)
    # Only the third-party libraries from the venv: chuannan_gis comes from the zip's vendor folder.
    run_check(tmp_path, proposals_gpkg, plugins, site.getsitepackages())
    assert verdicts_of(result_uris(tmp_path / "result.gpkg")) == library_verdicts(proposals_gpkg, dict(PROPOSAL_FIELDS))


def test_qgis_process_screens_a_county_as_the_library_does(tmp_path, real_bundle):
    """In QGIS's own process, where its GDAL is loaded: rasterio's copy must still write the raster."""
    import chuannan_gis
    import rasterio
    from chuannan_gis.vocabulary import vocabularies

    from tests.test_screen_region import COUNTY, RESOLUTION

    profile, pythonpath = tmp_path / "profile", [*site.getsitepackages(), REPO]
    enabled = qgis_process("plugins", "enable", "chuannan_qgis", plugin_path=PLUGIN_ROOT, profile=profile,
                           pythonpath=pythonpath)
    assert enabled.returncode == 0, enabled.stderr
    counties = [str(name) for name in chuannan_gis.load_constraints().layers["counties"]["name_zh"]]
    choices = {key: list(vocabularies()[field].terms).index(code) for key, field, code in (
        ("KIND", "kind", "port"), ("INDUSTRY", "industry", "general_cargo_port"), ("STATUS", "status", "new"))}
    done = qgis_process("--json", "run", "chuannan:screenregion", *[f"--{k}={v}" for k, v in choices.items()],
                        f"--RESOLUTION={RESOLUTION}", f"--COUNTY={counties.index(COUNTY)}",
                        f"--OUTPUT={tmp_path / 'port.tif'}", plugin_path=PLUGIN_ROOT, profile=profile,
                        pythonpath=pythonpath)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["results"]["OUTPUT"] == str(tmp_path / "port.tif")
    expected = chuannan_gis.screen("port", "general_cargo_port", str(tmp_path / "library.tif"), resolution=RESOLUTION,
                                   extent=COUNTY)
    with rasterio.open(tmp_path / "port.tif") as got, rasterio.open(expected.path) as want:
        assert got.crs.to_epsg() == 4544 and got.transform == want.transform
        assert (got.read(1) == want.read(1)).all()


def documented_commands() -> list[str]:
    """The `qgis_process` lines of docs/qgis.md's command-line block, continuation lines joined."""
    text = (REPO / "docs" / "qgis.md").read_text("utf-8")
    block = text.split("From the command line", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [line.split("#")[0].strip() for line in joined.splitlines() if line.startswith("qgis_process")]


def test_the_documented_commands_run_as_written_on_the_examples(tmp_path, real_bundle):
    """docs/qgis.md's commands, run from the repository as a reader would (outputs into tmp_path)."""
    import shlex

    profile, pythonpath = tmp_path / "profile", [*site.getsitepackages(), REPO]
    commands = documented_commands()
    assert any("checkproposals" in c for c in commands) and any("screenregion" in c for c in commands)
    assert any("importofficial" in c for c in commands)
    for command in commands:
        words = shlex.split(command)[1:]
        for output in ("result.gpkg", "report.html", "jiangan.tif", "official.gpkg"):
            words = [w.replace(f"={output}", f"={tmp_path / output}") for w in words]
        done = qgis_process(*words, plugin_path=PLUGIN_ROOT, profile=profile, pythonpath=pythonpath, cwd=REPO)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    assert verdicts_of([f"{tmp_path / 'result.gpkg'}|layername=proposals"])
    assert (tmp_path / "report.html").exists() and (tmp_path / "jiangan.tif").exists()
    # the example red line, imported for 江安县, and the last check ran on it
    meta = pyogrio.read_dataframe(tmp_path / "official.gpkg", layer="layer_metadata", read_geometry=False)
    assert meta.set_index("layer").loc["eco_redlines", "coverage"] == "511523"
    run = pyogrio.read_dataframe(tmp_path / "result.gpkg", layer="run_info", read_geometry=False)
    assert dict(zip(run["key"], run["value"]))["constraints_overlay"] == str(tmp_path / "official.gpkg")
