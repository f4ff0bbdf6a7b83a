"""A run that must wait for another (a check started during a background Screen region) says so:
in its log and progress text, in the task manager (its task's description) and in the message bar."""
from __future__ import annotations

import threading
import time

from qgis.core import QgsApplication, QgsProcessingFeedback, QgsTask

from tests.test_processing import FIELD_PARAMETERS


class Log(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos = []

    def pushInfo(self, info):  # noqa: N802 (QGIS API)
        self.infos.append(info)


class Idle(QgsTask):
    """Stands for the Processing dialog's task of the waiting run, in the task manager."""

    def __init__(self, description):
        super().__init__(description, QgsTask.CanCancel)
        self.done = threading.Event()

    def run(self):
        self.done.wait(20)
        return True


def test_a_check_waiting_for_a_running_screen_says_so(processing_env, plugin, proposals_gpkg, tmp_path):
    from chuannan_qgis import threads

    held, release = threading.Event(), threading.Event()

    def background_screen():
        threads.set_job("Screen region")
        with threads.library_call():
            held.set()
            release.wait(20)

    screen = threading.Thread(target=background_screen)
    screen.start()
    assert held.wait(10)
    task = Idle("Check proposals")
    QgsApplication.taskManager().addTask(task)
    for _ in range(100):  # until the task manager has started it
        if task in QgsApplication.taskManager().activeTasks():
            break
        time.sleep(0.05)
    told = []
    plugin.wait_notice.waiting.connect(lambda job, holder, message: told.append((job, holder, task.description())))
    log = Log()
    threading.Timer(1.5, release.set).start()  # the screen ends after a while; the check then runs
    started = time.perf_counter()
    try:
        processing_env.run("chuannan:checkproposals", {"INPUT": str(proposals_gpkg), **FIELD_PARAMETERS,
                                                       "OUTPUT": str(tmp_path / "r.gpkg")}, feedback=log)
    finally:
        release.set()
        screen.join()
        task.done.set()
    waited = time.perf_counter() - started
    assert waited >= 1.0  # it did wait for the screen
    assert any("Waiting for “Screen region” to finish" in line for line in log.infos), log.infos
    assert told and told[0][:2] == ("Check proposals", "Screen region")
    assert "Waiting for “Screen region”" in told[0][2]  # the task manager's line said so meanwhile
    assert task.description() == "Check proposals"  # and is the job's name again once it runs
    assert any("合计 total: 4" == line for line in log.infos)  # then the check ran to the end
