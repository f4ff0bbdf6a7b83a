"""The plugin object QGIS talks to: Processing provider, click-to-check button, dependency notice."""
from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QFileDialog, QMessageBox, QPushButton

from . import deps, threads
from .i18n import install_translator, remove_translator, tr

ICON = Path(__file__).parent / "icons" / "icon.svg"


class WaitNotice(QObject):
    """Tells the planner in the message bar that a run waits for another (emitted from any thread)."""

    waiting = pyqtSignal(str, str, str)  # waiting job, the job it waits for, the message

    def __init__(self, iface):  # noqa: QGS105 (the plugin's own interface, handed on)
        super().__init__()
        self.iface = iface
        self.waiting.connect(self.show)

    def show(self, job: str, _holder: str, message: str) -> None:
        self.iface.messageBar().pushMessage(job, message, Qgis.Info, 8)


class ChuannanPlugin:
    def __init__(self, iface):  # noqa: QGS105 (QGIS hands the plugin its interface here)
        self.iface = iface
        self.provider = None
        self.action = None
        self.set_action = None
        self.click_check = None
        self.install_task = None
        self.order_keeper = None
        self.warnings = []  # the "missing libraries" messages, withdrawn once the install has worked
        deps.activate()
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS API)
        from .processing.provider import ChuannanProvider

        self.provider = ChuannanProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS API)
        self.initProcessing()
        from .layer_order import OrderKeeper

        self.order_keeper = OrderKeeper()  # results stay on top when the planner adds layers later
        self.wait_notice = WaitNotice(self.iface)
        threads.ANNOUNCE = self.wait_notice.waiting.emit  # queued: a worker thread's wait, told on the main thread
        self.action = QAction(QIcon(str(ICON)), tr("Click to check"), self.iface.mainWindow())
        self.action.setCheckable(True)
        self.action.setToolTip(tr("Click a point or draw a polygon on the map to check it"))
        self.action.toggled.connect(self.toggle_click_check)
        self.iface.addToolBarIcon(self.action)
        self.iface.addPluginToMenu(tr("Chuannan compliance"), self.action)
        self.set_action = QAction(tr("Constraint set…"), self.iface.mainWindow())
        self.set_action.setToolTip(tr("Choose the constraint layers that Check proposals, Screen region and "
                                      "click-to-check all use"))
        self.set_action.triggered.connect(self.choose_constraint_set)
        self.iface.addPluginToMenu(tr("Chuannan compliance"), self.set_action)
        self.warn_if_missing()

    def choose_constraint_set(self) -> None:
        """Ask for the planner's constraint GeoPackage (cancel: keep; "bundled": the bundled set)."""
        from . import core

        current = core.constraint_set_path()
        answer = QMessageBox.question(
            self.iface.mainWindow(), tr("Constraint set…"),
            tr("The constraint set now used: {0}. Choose a GeoPackage of official layers (Yes), or use "
               "the bundled set (No)?").format(current or tr("the bundled set")),
            QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel)
        if answer == QMessageBox.No:
            core.set_constraint_set_path(None)
        elif answer == QMessageBox.Yes:
            path, _ = QFileDialog.getOpenFileName(self.iface.mainWindow(), tr("Constraint set…"), current or "",
                                                  tr("GeoPackage (*.gpkg)"))
            if path:
                core.set_constraint_set_path(path)

    def unload(self):
        threads.ANNOUNCE = None
        if self.order_keeper is not None:
            self.order_keeper.stop()
            self.order_keeper = None
        if self.click_check is not None:
            self.iface.removeDockWidget(self.click_check.panel)
            self.click_check.close()
            self.click_check = None
        if self.set_action is not None:
            self.iface.removePluginMenu(tr("Chuannan compliance"), self.set_action)
            self.set_action.deleteLater()
            self.set_action = None
        if self.action is not None:
            self.iface.removePluginMenu(tr("Chuannan compliance"), self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)

    def toggle_click_check(self, checked: bool) -> None:
        """Show the click-to-check panel and arm its map tool (built on first use)."""
        if checked and not deps.missing() and self.click_check is None:
            from .clickcheck import ClickCheck

            self.click_check = ClickCheck(self.iface.mapCanvas(), self.action, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.click_check.panel)
            self.click_check.panel.restore_placement()  # floating, readable, where the planner left it
        if self.click_check is not None:
            self.click_check.set_active(checked)
        elif checked:
            self.action.setChecked(False)
            self.warn_if_missing()

    def warn_if_missing(self) -> bool:
        """Tell the planner which libraries are missing and offer to install them; True if any."""
        unmet = deps.missing()
        if not unmet:
            return False
        from .core import missing_message

        bar = self.iface.messageBar()
        message = bar.createMessage(tr("Chuannan compliance"), missing_message(unmet))
        button = QPushButton(tr("Install dependencies"))
        button.clicked.connect(self.install_dependencies)
        message.layout().addWidget(button)
        bar.pushWidget(message, Qgis.Warning)
        self.warnings.append(message)
        return True

    def install_dependencies(self) -> None:
        """Run pip in the background; say how it went.  A click while it runs does nothing more."""
        if self.install_task is not None:
            return
        self.install_task = QgsTask.fromFunction(tr("Installing Python libraries for Chuannan compliance"),
                                                 lambda _task: deps.install(), on_finished=self._installed)
        QgsApplication.taskManager().addTask(self.install_task)

    def _installed(self, exception, done=None) -> None:
        self.install_task = None
        bar = self.iface.messageBar()
        if isinstance(exception, deps.ShippedTooOld):
            bar.pushMessage(tr("Chuannan compliance"), tr(
                "This QGIS's own {libraries} is older than Chuannan compliance needs. A newer copy in the "
                "profile would shadow QGIS's own and can break QGIS, so nothing was installed: update QGIS, "
                "or that library of the Python QGIS runs.").format(libraries=str(exception)), Qgis.Critical, 0)
            return
        if exception is None and done is None and deps.missing():  # only chuannan_gis itself: not on PyPI
            bar.pushMessage(tr("Chuannan compliance"), tr("chuannan_gis itself is missing: install the plugin "
                                                          "again from its zip (dist/chuannan_qgis.zip)."),
                            Qgis.Critical, 0)
            return
        if exception is None and (done is None or done.returncode == 0) and not deps.missing():
            for message in self.warnings:  # the warnings are stale now: leave only the news
                bar.popWidget(message)
            self.warnings = []
            # duration 0: the notice stays until the planner closes it (restarting is up to them)
            bar.pushMessage(tr("Chuannan compliance"), tr("Libraries installed. Restart QGIS to use them."),
                            Qgis.Success, 0)
            return
        detail = str(exception) if exception else (done.stderr or done.stdout)[-500:] if done else ""
        bar.pushMessage(tr("Chuannan compliance"),
                        tr("Installing the libraries failed: {detail}").format(detail=detail), Qgis.Critical, 0)
