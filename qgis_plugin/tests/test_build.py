"""The documented build: `python qgis_plugin/build.py` → an installable zip with compiled translations."""
from __future__ import annotations

import zipfile

import pytest

pytestmark = pytest.mark.slow


def test_zip_has_the_plugin_translations_and_the_library(tmp_path):
    import build

    with zipfile.ZipFile(build.build_zip(tmp_path / "chuannan_qgis.zip")) as archive:
        names = set(archive.namelist())
    assert {"chuannan_qgis/__init__.py", "chuannan_qgis/metadata.txt", "chuannan_qgis/requirements.txt",
            "chuannan_qgis/i18n/chuannan_qgis_zh.qm", "chuannan_qgis/styles/result.qml",
            "chuannan_qgis/icons/icon.svg", "chuannan_qgis/vendor/chuannan_gis/__init__.py",
            "chuannan_qgis/vendor/chuannan_gis/data/constraints.gpkg",
            "chuannan_qgis/vendor/chuannan_gis/rules/catalog.yaml", "chuannan_qgis/help/qgis.md"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", "resources.py"))]
    assert all(n.startswith("chuannan_qgis/") for n in names)
