"""Fixtures for the plugin's tests, run in a real headless QGIS through pytest-qgis.

Under CI (``CI=true``) a missing QGIS is an error, never a skip.  When the bundled constraint set
has not been built yet, in-process tests use a small synthetic set in its place.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
REPO = PLUGIN_ROOT.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

try:
    import qgis.core  # noqa: F401
except ImportError:
    if IN_CI:
        raise
    collect_ignore_glob = ["test_*.py"]

sys.path.insert(0, str(PLUGIN_ROOT))  # `import chuannan_qgis`, `import build`, `from tests import data`

from tests import data  # noqa: E402


@pytest.fixture(scope="session")
def bundled_constraints(tmp_path_factory):
    """Path of the constraint set the library uses as bundled (the real one when it is built)."""
    import chuannan_gis.layers

    real = chuannan_gis.layers.bundled_path()
    if real.exists():
        yield real
        return
    synthetic = data.write_constraints(tmp_path_factory.mktemp("constraints") / "constraints.gpkg")
    patcher = pytest.MonkeyPatch()
    patcher.setattr(chuannan_gis.layers, "bundled_path", lambda: synthetic)
    yield synthetic
    patcher.undo()


@pytest.fixture(scope="session")
def real_bundle():
    """The built constraint set, for runs in another process (qgis_process) that cannot be patched."""
    import chuannan_gis.layers

    path = chuannan_gis.layers.bundled_path()
    if not path.exists():
        if IN_CI:
            pytest.fail(f"the bundled constraint set {path} is missing")
        pytest.skip("the bundled constraint set is not built yet")
    return path


@pytest.fixture
def proposals_gpkg(tmp_path):
    """Proposals with Chinese field names and values (名称, 类型=园区, 行业=化工 ...)."""
    return data.write_proposals(tmp_path / "proposals.gpkg")


@pytest.fixture
def plugin(qgis_iface, bundled_constraints):
    """The plugin as QGIS loads it: classFactory, initGui; unloaded afterwards."""
    import chuannan_qgis

    loaded = chuannan_qgis.classFactory(qgis_iface)
    loaded.initGui()
    yield loaded
    loaded.unload()


@pytest.fixture
def processing_env(qgis_processing, plugin):
    """Processing initialised and the plugin's provider registered; returns ``processing``."""
    from qgis import processing

    return processing


def library_verdicts(path, field_map=None) -> dict[str, str]:
    """name → verdict as chuannan_gis itself gives them for a proposals file."""
    import chuannan_gis

    result = chuannan_gis.check(str(path), field_map=field_map)
    return dict(zip(result.proposals["name"], result.proposals["verdict"]))


@pytest.fixture(autouse=True)
def bundled_constraint_setting():
    """Every test starts and ends with the plugin's constraint-set setting on the bundled set
    (the setting lives in the QGIS profile, across tests)."""
    from chuannan_qgis import core

    core.set_constraint_set_path(None)
    yield
    core.set_constraint_set_path(None)
