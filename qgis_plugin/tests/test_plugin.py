"""The plugin loads, registers its provider and toolbar button, and unloads cleanly."""
from __future__ import annotations

import configparser
import subprocess
import sys
import tomllib

from qgis.core import QgsApplication

from tests.conftest import PLUGIN_ROOT, REPO

METADATA = PLUGIN_ROOT / "chuannan_qgis" / "metadata.txt"


def test_class_factory_init_gui_unload(qgis_iface):
    import chuannan_qgis

    plugin = chuannan_qgis.classFactory(qgis_iface)
    plugin.initGui()
    registry = QgsApplication.processingRegistry()
    assert registry.providerById("chuannan") is not None
    assert {a.name() for a in registry.providerById("chuannan").algorithms()} >= {"checkproposals", "loadconstraints"}
    assert plugin.action.isCheckable()
    plugin.unload()
    assert registry.providerById("chuannan") is None


def test_metadata_is_complete():
    parser = configparser.ConfigParser()
    parser.read(METADATA, encoding="utf-8")
    general = parser["general"]
    for key in ("name", "description", "about", "qgisMinimumVersion", "version", "author",
                "tags", "icon", "description[zh]", "about[zh]", "description[en]", "about[en]"):
        assert general.get(key, "").strip(), key
    # No invented addresses: until the project has a public home, the about text says so.
    assert not any(general.get(key) for key in ("email", "repository", "tracker", "homepage"))
    assert "example.org" not in METADATA.read_text("utf-8")
    assert "no public issue tracker" in general["about[en]"] and "尚无公开" in general["about[zh]"]
    assert general["hasProcessingProvider"] == "yes"
    assert tuple(int(p) for p in general["qgisMinimumVersion"].split(".")) >= (3, 22)
    assert (METADATA.parent / general["icon"]).exists()
    import chuannan_gis

    assert general["version"] == chuannan_gis.__version__


def test_requirements_equal_the_library_dependencies():
    from chuannan_qgis import deps

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    library = pyproject["project"]["dependencies"]
    # the one declared exception: pyarrow (a NumPy-2 build breaks beside Debian's NumPy in QGIS)
    assert set(deps.LEFT_OUT) == {"pyarrow"} and any(line.startswith("pyarrow") for line in library)
    assert deps.requirements() == [line for line in library if not line.startswith(tuple(deps.LEFT_OUT))]


def test_loading_the_plugin_imports_nothing_heavy():
    code = ("import sys; sys.path.insert(0, %r)\n"
            "import chuannan_qgis, chuannan_qgis.plugin, chuannan_qgis.processing.provider\n"
            "heavy = [m for m in ('geopandas', 'shapely', 'pandas', 'pyogrio', 'chuannan_gis.engine')\n"
            "         if m in sys.modules]\n"
            "assert not heavy, heavy\n") % str(PLUGIN_ROOT)
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_compiled_resources_and_qt_through_qgis_pyqt():
    sources = list((PLUGIN_ROOT / "chuannan_qgis").rglob("*.py"))
    assert not [p for p in sources if p.name == "resources.py"]
    for path in sources:
        text = path.read_text("utf-8")
        assert "from PyQt5" not in text and "import PyQt5" not in text and "qgis._" not in text, path
