"""Run the plugin's algorithms the way the QGIS desktop does, round after round, in one process.

    python qgis_plugin/tests/worker_rounds.py PROPOSALS WORKDIR [ROUNDS]

Each round: a click-check (main thread), ``processing.run`` of *Check proposals* (main thread),
then *Check proposals*, *Screen region*, *Export web map* and *Import official layers* each as a
``QgsProcessingAlgRunnerTask`` on ``QgsApplication.taskManager()`` — what the toolbox, batch mode
and the modeler dialog do, running the algorithm in a pooled worker thread unless it sets
``FlagNoThreading`` — waiting in the event loop as the desktop does.  It prints ``round N ok`` after
each round and ``done N``; a crash (QGIS died in pyproj on the worker thread) shows as a signal
exit code, which is why ``test_worker_threads.py`` runs this file in its own process.
"""
from __future__ import annotations

import faulthandler
import os
import sys
from pathlib import Path

faulthandler.enable()  # a segfault prints the Python stacks of every thread to stderr

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PLUGIN_ROOT))
sys.path.insert(0, "/usr/share/qgis/python/plugins")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingAlgorithm,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QEventLoop, QTimer  # noqa: E402

TASK_TIMEOUT_MS = 120_000


def run_in_task(algorithm_id: str, parameters: dict) -> dict:
    """One algorithm run as the toolbox runs it; returns its results or raises."""
    registry = QgsApplication.processingRegistry()
    algorithm = registry.createAlgorithmById(algorithm_id)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    errors = []

    class Feedback(QgsProcessingFeedback):  # keeps the algorithm's errors, to say why a run failed
        def reportError(self, error, fatalError=False):  # noqa: N802,N803 (QGIS API)
            errors.append(error)
            super().reportError(error, fatalError)

    feedback = Feedback()
    outcome = {}
    loop = QEventLoop()

    def finished(successful, results):
        outcome.update(successful=successful, results=results)
        loop.quit()

    threaded = not (algorithm.flags() & QgsProcessingAlgorithm.FlagNoThreading)
    if threaded:
        task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
        task.executed.connect(finished)
        QgsApplication.taskManager().addTask(task)
        QTimer.singleShot(TASK_TIMEOUT_MS, loop.quit)
        loop.exec()
    else:  # the toolbox runs such an algorithm on the main thread (AlgorithmDialog: execute())
        results, successful = algorithm.run(parameters, context, feedback)
        finished(successful, results)
    if not outcome.get("successful"):
        raise RuntimeError(f"{algorithm_id} failed in its task: {outcome or 'timed out'}; {' | '.join(errors)}")
    return {"threaded": threaded, **outcome["results"]}


def template(name: str) -> int:
    """The TEMPLATE choice of Import official layers for template ``name``."""
    from chuannan_qgis import core

    return [t["name"] for t in core.templates()].index(name)


def verdicts(path: str) -> dict:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path if "|" in path else f"{path}|layername=proposals", "result", "ogr")
    return {feature["name"]: feature["verdict"] for feature in layer.getFeatures()}


def main(proposals: str, workdir: str, rounds: int) -> int:
    app = QgsApplication([], True)
    app.initQgis()
    from processing.core.Processing import Processing
    from qgis import processing

    Processing.initialize()
    import chuannan_qgis
    from chuannan_qgis.clickcheck import ClickCheck
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtWidgets import QAction

    plugin = chuannan_qgis.classFactory(None)
    plugin.initProcessing()
    canvas = QgsMapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    canvas.setExtent(QgsRectangle(104.0, 28.0, 106.0, 29.6))
    action = QAction()
    click = ClickCheck(canvas, action)
    work = Path(workdir)
    fields = {"NAME_FIELD": "name", "KIND_FIELD": "kind", "INDUSTRY_FIELD": "industry"}
    for number in range(1, rounds + 1):
        click.check(QgsGeometry.fromPointXY(QgsPointXY(105.44, 28.88 + number / 1000)))
        assert click.result is not None, click.panel.result.toPlainText()
        processing.run("chuannan:checkproposals",
                       {"INPUT": proposals, **fields, "OUTPUT": str(work / f"main{number}.gpkg")})
        checked = run_in_task("chuannan:checkproposals",
                              {"INPUT": proposals, **fields, "OUTPUT": str(work / f"task{number}.gpkg")})
        main = verdicts(str(work / f"main{number}.gpkg"))
        assert verdicts(checked["OUTPUT"]) == main and main, (checked["OUTPUT"], main)
        screened = run_in_task("chuannan:screenregion", {
            "KIND": 0, "INDUSTRY": 0, "RESOLUTION": 2000, "EXTENT": "105.3,105.5,28.8,29.0 [EPSG:4490]",
            "OUTPUT": str(work / f"screen{number}.tif")})
        exported = run_in_task("chuannan:exportwebmap", {"RESULT": checked["OUTPUT"],
                                                         "OUTPUT": str(work / f"map{number}.html")})
        assert Path(screened["OUTPUT"]).stat().st_size and Path(exported["OUTPUT"]).stat().st_size
        imported = run_in_task("chuannan:importofficial", {
            "INPUT": str(Path(proposals).with_name("redline_jiangan.geojson")), "TEMPLATE": template("redline"),
            "COVERAGE": "511523", "ACCURACY_M": 2, "OUTPUT": str(work / f"official{number}.gpkg"),
            "USE_AS_CONSTRAINT_SET": False})
        assert imported["LAYER"] == "eco_redlines" and Path(imported["OUTPUT"]).stat().st_size
        # The documents: every format in round 1, the quick .xlsx after (a .docx/.pdf costs seconds)
        documents = run_in_task("chuannan:reviewdocuments", {
            "RESULT": checked["OUTPUT"], "FORMATS": [0, 1, 2] if number == 1 else [0],
            "OUTPUT": str(work / f"documents{number}")})
        assert documents["FILES"] and all(Path(f).stat().st_size for f in documents["FILES"]), documents
        printed = run_in_task("chuannan:printmap", {"RESULT": checked["OUTPUT"], "PROPOSAL": next(iter(main)),
                                                    "OUTPUT": str(work / f"print{number}.pdf")})
        assert Path(printed["OUTPUT"]).read_bytes()[:5] == b"%PDF-", printed
        runs = (("check", checked), ("screen", screened), ("map", exported), ("import", imported),
                ("documents", documents), ("printmap", printed))
        threaded = ",".join(name for name, run in runs if run["threaded"])
        print(f"round {number} ok; in worker threads: {threaded}", flush=True)
    print(f"done {rounds}", flush=True)
    click.close()
    del click, canvas
    os._exit(0)  # skip exitQgis(): its own teardown crashes when Python still holds layers (RECIPES.md)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10))
