"""Take ``docs/img/qgis.png`` from a real QGIS desktop under Xvfb.

    /tmp/qgis-venv/bin/python qgis_plugin/screenshot.py

Run by Python, it makes a fresh QGIS profile (Chinese interface, the plugin enabled) and starts
``xvfb-run qgis --code qgis_plugin/screenshot.py``; run by QGIS, it loads the constraint layers,
checks ``examples/proposals.gpkg``, clicks one site with the click-to-check tool, and saves a
screenshot of the main window.
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(os.environ.get("CHUANNAN_REPO", Path.cwd())).resolve()
OUTPUT = REPO / "docs" / "img" / "qgis.png"
PROFILE_SETTINGS = """[locale]
overrideFlag=true
userLocale=zh-Hans
[PythonPlugins]
chuannan_qgis=true
processing=true
[qgis]
checkVersion=false
showTips322=false
"""


def launch() -> int:
    """Start QGIS under Xvfb with a throw-away profile and this file as its start-up code."""
    here = Path(__file__).resolve()
    with tempfile.TemporaryDirectory() as profile:
        settings = Path(profile) / "profiles" / "default" / "QGIS" / "QGIS3.ini"
        settings.parent.mkdir(parents=True)
        settings.write_text(PROFILE_SETTINGS, "utf-8")
        env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": profile, "QGIS_PLUGINPATH": str(here.parent),
               "PYTHONPATH": os.pathsep.join([*site.getsitepackages(), str(REPO)]),
               "CHUANNAN_REPO": str(REPO)}
        env.pop("QT_QPA_PLATFORM", None)
        command = [shutil.which("xvfb-run") or "xvfb-run", "-a", "-s", "-screen 0 1600x1000x24",
                   "qgis", "--nologo", "--noversioncheck", "--code", str(here)]
        return subprocess.run(command, env=env, timeout=600, check=False).returncode


def shoot() -> None:
    """Inside QGIS: once the plugins have loaded, build the scene."""
    from qgis.PyQt.QtCore import QTimer

    QTimer.singleShot(3000, scene)


def scene() -> None:
    """Load layers, check the examples, click a site; grab the window once the map has rendered."""
    from qgis import processing
    from qgis.core import QgsApplication, QgsGeometry, QgsProject
    from qgis.PyQt.QtCore import QTimer
    from qgis.utils import iface, plugins

    iface.mainWindow().resize(1600, 1000)
    processing.runAndLoadResults("chuannan:loadconstraints", {})
    result = Path(tempfile.mkdtemp()) / "result.gpkg"
    processing.runAndLoadResults("chuannan:checkproposals", {
        "INPUT": str(REPO / "examples" / "proposals.gpkg"), "OUTPUT": str(result)})
    results = [layer for layer in QgsProject.instance().mapLayers().values() if str(result) in layer.source()]
    site_geometry = next(f.geometry() for f in results[0].getFeatures() if f["verdict"] == "prohibited")
    canvas = iface.mapCanvas()
    plugin = plugins["chuannan_qgis"]
    plugin.action.setChecked(True)
    panel = plugin.click_check.panel
    panel.industry.setCurrentIndex(panel.industry.findData("chemical"))
    plugin.click_check.check(QgsGeometry(site_geometry.pointOnSurface()))

    def zoom():
        canvas.setExtent(site_geometry.boundingBox().buffered(0.12))
        canvas.refresh()

    def grab():
        canvas.waitWhileRendering()
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        iface.mainWindow().grab().save(str(OUTPUT))
        QgsApplication.exit(0)

    QTimer.singleShot(4000, zoom)  # after Processing has loaded the layers and zoomed to them
    QTimer.singleShot(10000, grab)


if __name__ == "__main__" and "qgis.utils" not in sys.modules:
    sys.exit(launch())
else:
    shoot()
