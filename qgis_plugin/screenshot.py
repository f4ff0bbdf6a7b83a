"""Screenshots of the plugin in use, from a real QGIS desktop under Xvfb, into ``docs/img/``.

    /tmp/qgis-venv/bin/python qgis_plugin/screenshot.py [--locale zh|en] [--out DIR] [SHOT ...]

Run by Python, it makes a fresh QGIS profile (interface language ``--locale``, the plugin enabled)
and starts ``xvfb-run qgis --code qgis_plugin/screenshot.py``; run by QGIS, it loads the constraint
layers with *Load constraint layers*, checks ``examples/proposals.gpkg`` with *Check proposals*,
clicks the Jiang'an heavy-chemical park with the click-to-check tool, and writes the shots asked
for (all by default):

    region  qgis-region.png     the map of the whole region (1200x800)
    site    qgis-site.png       the map zoomed on the Jiang'an park, labelled (1200x800)
    panel   qgis-panel-<locale>.png   the click-to-check panel with the verdict of that click
    table   qgis-table.png      the attribute table of the result layer, verdicts coloured
    window  qgis.png            the whole QGIS window (the README's picture; 1600x1000)

``qgis_plugin/tests/test_screenshots.py`` runs this and checks the images.  Inside QGIS a failure
is written to ``screenshot-error.txt`` in the output folder and QGIS exits with status 1, so a
broken scene never leaves a dialog open until the timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

# Run by QGIS (``--code``) this file has no ``__file__``: the launcher passes the checkout on.
REPO = Path(os.environ.get("CHUANNAN_REPO") or Path(__file__).resolve().parents[1]).resolve()
OUTPUT_DIR = REPO / "docs" / "img"
SHOTS = ("region", "site", "panel", "table", "window")
MAP_SIZE = (1200, 800)
WINDOW_SIZE = (1600, 1000)
PANEL_SIZE = (460, 960)  # tall enough for three findings without scrolling
TABLE_SIZE = (1200, 420)
SITE_NAME = "江安长江沿岸重化工园区"
SITE_ZOOM = 3  # the site's half-height in the map's half-height
MAX_BYTES = 300_000
ERROR_FILE = "screenshot-error.txt"
MANIFEST = "screenshots.json"
PLACES = "screenshot-places.json"  # where each proposal lies in the map shots, for the pixel test
LOCALES = {"zh": "zh-Hans", "en": "en_US"}
PROFILE_SETTINGS = """[locale]
overrideFlag=true
userLocale={locale}
[PythonPlugins]
chuannan_qgis=true
processing=true
[qgis]
checkVersion=false
showTips322=false
"""


def file_names(locale: str) -> dict[str, str]:
    return {"region": "qgis-region.png", "site": "qgis-site.png", "panel": f"qgis-panel-{locale}.png",
            "table": "qgis-table.png", "window": "qgis.png"}


def launch(out: Path = OUTPUT_DIR, locale: str = "zh", shots=SHOTS, timeout: float = 300) -> dict:
    """Start QGIS under Xvfb with a throw-away profile and this file as its start-up code; return
    what it wrote (shot → path) and how long it took.  Raises when QGIS fails or writes nothing."""
    import time

    here = Path(__file__).resolve()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in (ERROR_FILE, MANIFEST, PLACES):
        (out / stale).unlink(missing_ok=True)
    for tool in ("xvfb-run", "qgis"):
        if not shutil.which(tool):
            raise FileNotFoundError(f"{tool} is not installed (apt-get install qgis xvfb)")
    with tempfile.TemporaryDirectory() as profile:
        settings = Path(profile) / "profiles" / "default" / "QGIS" / "QGIS3.ini"
        settings.parent.mkdir(parents=True)
        settings.write_text(PROFILE_SETTINGS.format(locale=LOCALES[locale]), "utf-8")
        env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": profile, "QGIS_PLUGINPATH": str(here.parent),
               "PYTHONPATH": os.pathsep.join([*site.getsitepackages(), str(REPO)]),
               "CHUANNAN_REPO": str(REPO), "CHUANNAN_SHOTS_DIR": str(out), "CHUANNAN_SHOTS": ",".join(shots),
               "CHUANNAN_SHOTS_LOCALE": locale, "CHUANNAN_SHOTS_RUN": "1"}
        env.pop("QT_QPA_PLATFORM", None)  # a real X display (Xvfb), not Qt's offscreen platform
        command = ["xvfb-run", "-a", "-s", f"-screen 0 {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}x24",
                   "qgis", "--nologo", "--noversioncheck", "--code", str(here)]
        started = time.perf_counter()
        # A session of its own, so that a timeout ends QGIS and Xvfb too, not only xvfb-run.
        qgis = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            log, _ = qgis.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(qgis.pid, signal.SIGKILL)
            log, _ = qgis.communicate()
            raise RuntimeError(f"QGIS did not finish the screenshots in {timeout:.0f} s:\n{log[-3000:]}") from None
        seconds = time.perf_counter() - started
    error = out / ERROR_FILE
    if error.exists():
        message = error.read_text("utf-8")
        error.unlink()
        raise RuntimeError(f"the screenshot scene failed in QGIS:\n{message}")
    manifest = out / MANIFEST
    if not manifest.exists():
        raise RuntimeError(f"QGIS exited ({qgis.returncode}) without writing the screenshots:\n{log[-3000:]}")
    written = json.loads(manifest.read_text("utf-8"))
    manifest.unlink()
    places_file = out / PLACES
    places = json.loads(places_file.read_text("utf-8")) if places_file.exists() else {}
    places_file.unlink(missing_ok=True)
    for name in written.values():
        shrink(out / name)
    return {"shots": {shot: out / name for shot, name in written.items()}, "seconds": seconds,
            "returncode": qgis.returncode, "places": places}


def shrink(path: Path, limit: int = MAX_BYTES) -> None:
    """Re-save a PNG above ``limit`` bytes with a 256-colour palette, when Pillow is there (else
    leave it lossless): a median-cut palette plus the verdict colours, every pixel mapped to its
    nearest entry without dithering, so that the small verdict markers keep their exact colours."""
    if path.stat().st_size <= limit:
        return
    try:
        from PIL import Image
    except ImportError:
        return
    from chuannan_gis.verdicts import VERDICTS

    verdicts = [int(v.colour[i:i + 2], 16) for v in VERDICTS.values() for i in (1, 3, 5)]
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    common = rgb.quantize(256 - len(VERDICTS), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = Image.new("P", (1, 1))
    palette.putpalette(common.getpalette()[: 3 * (256 - len(VERDICTS))] + verdicts)
    rgb.quantize(palette=palette, dither=Image.Dither.NONE).save(path, optimize=True)


# ---- inside QGIS ---------------------------------------------------------------------------------

def shoot() -> None:
    """Inside QGIS: once the plugins have loaded, build the scene."""
    from qgis.PyQt.QtCore import QTimer

    QTimer.singleShot(1000, guarded(Scene().start))


def guarded(step):
    """A timer callback that, instead of raising into QGIS (an error dialog, no exit), writes the
    traceback beside the shots and quits."""
    def run():
        try:
            step()
        except Exception:  # noqa: BLE001 (everything must end the run)
            from qgis.core import QgsApplication

            out = Path(os.environ.get("CHUANNAN_SHOTS_DIR", OUTPUT_DIR))
            out.mkdir(parents=True, exist_ok=True)
            (out / ERROR_FILE).write_text(traceback.format_exc(), "utf-8")
            QgsApplication.exit(1)
    return run


class Scene:
    """The planner's session: layers loaded, examples checked, one site clicked; then the shots."""

    def __init__(self):
        self.out = Path(os.environ.get("CHUANNAN_SHOTS_DIR", OUTPUT_DIR))
        self.shots = [s for s in os.environ.get("CHUANNAN_SHOTS", ",".join(SHOTS)).split(",") if s]
        self.names = file_names(os.environ.get("CHUANNAN_SHOTS_LOCALE", "zh"))
        self.written = {}
        self.result_layer = None
        self.site = None
        self.places = {}  # shot → [{name, verdict, certainty, x, y}]

    def start(self) -> None:
        from qgis import processing
        from qgis.core import QgsGeometry, QgsPointXY, QgsProject
        from qgis.PyQt.QtCore import QTimer
        from qgis.utils import iface, plugins

        iface.mainWindow().resize(*WINDOW_SIZE)
        iface.mainWindow().move(0, 0)
        # The planner's usual order: their proposals first, then the constraint layers, the check,
        # and the constraint layers loaded once more (refreshed in place, under the results).
        opened = iface.addVectorLayer(str(REPO / "examples" / "proposals.gpkg"), "proposals 拟建项目", "ogr")
        if opened is None or not opened.isValid():
            raise RuntimeError("examples/proposals.gpkg did not open")
        processing.runAndLoadResults("chuannan:loadconstraints", {})
        result = Path(tempfile.mkdtemp()) / "result.gpkg"
        processing.runAndLoadResults("chuannan:checkproposals", {"INPUT": opened.id(), "OUTPUT": str(result)})
        processing.runAndLoadResults("chuannan:loadconstraints", {})
        project = QgsProject.instance()
        results = [layer for layer in project.mapLayers().values()
                   if str(result) in layer.source() and layer.isSpatial()]
        if not results:
            raise RuntimeError("Check proposals loaded no result layer")
        self.result_layer = results[0]
        self.site = next(f.geometry() for f in self.result_layer.getFeatures() if f["name"] == SITE_NAME)
        plugin = plugins["chuannan_qgis"]
        plugin.action.setChecked(True)
        panel = plugin.click_check.panel
        panel.industry.setCurrentIndex(panel.industry.findData("heavy_chemical"))
        panel.name.setText(SITE_NAME)
        box = self.site.boundingBox()  # the lower part of the site: its centre is where labels go
        click = QgsGeometry.fromPointXY(QgsPointXY(box.center().x(), box.yMinimum() + box.height() * 0.25))
        plugin.click_check.check(click if click.within(self.site) else self.site.pointOnSurface())
        self.panel = panel
        QTimer.singleShot(1500, guarded(self.maps))

    def save(self, shot: str, image) -> None:
        path = self.out / self.names[shot]
        if not image.save(str(path), "PNG", 0):  # quality 0: the strongest compression
            raise RuntimeError(f"could not write {path}")
        self.written[shot] = path.name

    def visible_layers(self):
        from qgis.core import QgsProject

        root = QgsProject.instance().layerTreeRoot()
        return [node.layer() for node in root.findLayers()
                if node.isVisible() and node.layer() is not None and node.layer().isSpatial()]

    def render(self, extent):
        """The visible layers over ``extent`` in a MAP_SIZE image, labels included."""
        from qgis.core import (
            QgsExpressionContext,
            QgsExpressionContextUtils,
            QgsMapRendererParallelJob,
            QgsMapSettings,
            QgsProject,
        )
        from qgis.PyQt.QtCore import QSize
        from qgis.PyQt.QtGui import QColor
        from qgis.utils import iface

        settings = QgsMapSettings(iface.mapCanvas().mapSettings())
        settings.setLayers(self.visible_layers())
        settings.setOutputSize(QSize(*MAP_SIZE))
        settings.setOutputDpi(96)
        settings.setBackgroundColor(QColor("#ffffff"))
        settings.setExtent(extent)
        # The canvas's expression context holds the canvas's @map_scale: give the render its own,
        # or scale-dependent symbols (the verdict markers at small scales) follow the canvas.
        context = QgsExpressionContext()
        context.appendScopes([QgsExpressionContextUtils.globalScope(),
                              QgsExpressionContextUtils.projectScope(QgsProject.instance()),
                              QgsExpressionContextUtils.mapSettingsScope(settings)])
        settings.setExpressionContext(context)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        from chuannan_qgis.canvas_legend import paint_legend
        from qgis.PyQt.QtGui import QPainter

        painter = QPainter(image)  # the canvas draws the legend annotation; a render job does not
        paint_legend(painter, image.width(), image.height())
        painter.end()
        self.last_settings = settings
        return image

    def locate(self, shot: str, settings) -> None:
        """Where each proposal of the result (its marker: a point on its surface) is in the image."""
        transform = settings.mapToPixel()
        found = []
        for feature in self.result_layer.getFeatures():
            point = feature.geometry().pointOnSurface().asPoint()
            pixel = transform.transform(point)
            found.append({"name": feature["name"], "verdict": feature["verdict"],
                          "certainty": feature["certainty"] if "certainty" in feature.fields().names() else "",
                          "x": pixel.x(), "y": pixel.y()})
        self.places[shot] = found

    def maps(self) -> None:
        from qgis.core import QgsRectangle
        from qgis.PyQt.QtCore import QTimer

        if "region" in self.shots:
            region = QgsRectangle()
            for layer in self.visible_layers():
                region.combineExtentWith(layer.extent())
            self.save("region", self.render(region.buffered(region.width() * 0.02)))
            self.locate("region", self.last_settings)
        if "site" in self.shots:
            self.save("site", self.render(self.site_extent()))
            self.locate("site", self.last_settings)
        QTimer.singleShot(100, guarded(self.panel_shot))

    def site_extent(self):
        """A box around the site with the map's aspect ratio, wide enough to show the river."""
        from qgis.core import QgsRectangle

        box = self.site.boundingBox()
        centre = box.center()
        half_height = max(box.height(), box.width() / MAP_SIZE[0] * MAP_SIZE[1]) * SITE_ZOOM
        half_width = half_height * MAP_SIZE[0] / MAP_SIZE[1]
        return QgsRectangle(centre.x() - half_width, centre.y() - half_height,
                            centre.x() + half_width, centre.y() + half_height)

    def panel_shot(self) -> None:
        from qgis.PyQt.QtCore import QTimer

        if "panel" in self.shots:
            self.panel.setFloating(True)
            self.panel.resize(*PANEL_SIZE)
            self.panel.show()
            QTimer.singleShot(800, guarded(lambda: (self.save("panel", self.panel.grab()), self.dock_panel())))
        else:
            QTimer.singleShot(0, guarded(self.table_shot))

    def dock_panel(self) -> None:
        from qgis.PyQt.QtCore import QTimer

        self.panel.setFloating(False)
        QTimer.singleShot(300, guarded(self.table_shot))

    def table_shot(self) -> None:
        from qgis.PyQt.QtCore import QTimer
        from qgis.utils import iface

        if "table" not in self.shots:
            QTimer.singleShot(0, guarded(self.window_shot))
            return
        self.arrange_table()
        dialog = iface.showAttributeTable(self.result_layer)
        dialog.resize(*TABLE_SIZE)

        def grab():
            self.save("table", dialog.grab())
            dialog.close()
            QTimer.singleShot(300, guarded(self.window_shot))
        QTimer.singleShot(1500, guarded(grab))

    def arrange_table(self) -> None:
        """Columns as a planner would set them for a first look: the name in full, the verdicts,
        the county and the reasons; ids, kind, industry and status hidden."""
        layer = self.result_layer
        config = layer.attributeTableConfig()
        widths = {"name": 190, "verdict": 95, "verdict_zh": 95, "county": 80, "summary_zh": 520}
        columns = config.columns()
        for column in columns:
            column.hidden = column.name not in widths
            column.width = widths.get(column.name, -1)
        order = {name: i for i, name in enumerate(widths)}
        columns.sort(key=lambda column: order.get(column.name, len(order)))
        config.setColumns(columns)
        layer.setAttributeTableConfig(config)

    def window_shot(self) -> None:
        from qgis.PyQt.QtCore import QTimer
        from qgis.utils import iface

        if "window" not in self.shots:
            QTimer.singleShot(0, guarded(self.finish))
            return
        canvas = iface.mapCanvas()
        canvas.setExtent(self.site_extent())
        canvas.refresh()

        def grab():
            canvas.waitWhileRendering()
            self.save("window", iface.mainWindow().grab())
            self.finish()
        QTimer.singleShot(4000, guarded(grab))

    def finish(self) -> None:
        from qgis.core import QgsApplication

        (self.out / PLACES).write_text(json.dumps(self.places, ensure_ascii=False), "utf-8")
        (self.out / MANIFEST).write_text(json.dumps(self.written), "utf-8")
        QgsApplication.exit(0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shots", nargs="*", help=f"any of {', '.join(SHOTS)} (default: all)")
    parser.add_argument("--locale", choices=sorted(LOCALES), default="zh")
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR)
    args = parser.parse_args(argv)
    unknown = set(args.shots) - set(SHOTS)
    if unknown:
        parser.error(f"unknown shots: {', '.join(sorted(unknown))}")
    done = launch(args.out, args.locale, args.shots or SHOTS)
    for shot, path in done["shots"].items():
        print(f"{shot}: {path}")
    print(f"{done['seconds']:.1f} s")
    return 0


if __name__ == "__main__" and "qgis.utils" not in sys.modules:
    sys.exit(main())
elif os.environ.get("CHUANNAN_SHOTS_RUN") == "1" and "qgis.utils" in sys.modules:  # QGIS's --code
    shoot()
