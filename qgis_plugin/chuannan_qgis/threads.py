"""Running chuannan_gis in QGIS's worker threads without crashing QGIS.

QGIS runs an algorithm from the toolbox, batch mode or the modeler dialog in a pooled ``QThread``
(``QgsProcessingAlgRunnerTask``).  Python does not own that thread: every time QGIS calls into
Python there (``processAlgorithm``), a fresh Python thread state is made, and destroyed when the
call returns — and with it the thread's ``threading.local`` data.

pyproj (3.7) keeps one PROJ context per OS thread in a C thread-specific slot, but the object that
frees it (``pyproj._context.ContextManager``) in a ``threading.local``.  When the call returns, the
context is freed while the slot still points at it; the next run that QGIS schedules on the same
pooled thread reuses the freed context and QGIS dies with signal 11 in ``proj_create`` (seen from
``CRS.__init__`` ← geopandas ← ``pyogrio.read_dataframe`` ← ``chuannan_gis.io.read_proposals``).
:func:`library_call` keeps that object alive for as long as its OS thread can run Python again,
so the slot never dangles.

It also serialises the plugin's calls into the library: the constraint set is cached once per
file (``core.load_constraints``) and shared by the worker thread and the click-to-check tool on
the main thread, and nothing promises that geopandas/shapely objects may be used by two threads
at once.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

LOCK = threading.RLock()
_LOCAL = threading.local()  # .job: the name of the run this thread is doing (an algorithm's display name)
_HOLDER: list = [None]  # the job holding the library now, named for whoever must wait for it
# Set by the plugin (a queued Qt signal): called with (waiting job, holder, message) when a run must
# wait, so the message bar can say so on the main thread.
ANNOUNCE = None
# OS thread id → pyproj's ContextManager of that thread.  An entry is replaced when the system
# reuses the id for a new thread (whose slot starts empty), so this holds one context per id.
_PINNED: dict[int, object] = {}


@contextmanager
def library_call():
    """Hold the library lock for the call and keep this thread's PROJ context alive afterwards."""
    with LOCK:
        outermost = _HOLDER[0] is None
        if outermost:
            _HOLDER[0] = getattr(_LOCAL, "job", None) or "click-to-check"
            end_wait()
        try:
            yield
        finally:
            if outermost:
                _HOLDER[0] = None
            pin_proj_context()


def set_job(name: str | None) -> None:
    """Name the run this thread does, so that another run waiting for it can say what it waits for."""
    _LOCAL.job = name


def holder() -> str | None:
    """The job holding the library now, or None."""
    return _HOLDER[0]


def announce_wait(job: str, message: str, feedback=None) -> None:
    """Say that ``job`` waits: in its log and progress text (the Processing dialog), in the task
    manager (its task's description) and in the message bar (through :data:`ANNOUNCE`)."""
    if feedback is not None:
        feedback.pushInfo(message)
        feedback.setProgressText(message)
    try:
        from qgis.core import QgsApplication

        for task in QgsApplication.taskManager().activeTasks():
            if task.description() == job:
                task.setDescription(f"{job} — {message}")
                _LOCAL.renamed = (task, job)
                break
    except (ImportError, RuntimeError):
        pass
    if ANNOUNCE is not None:
        ANNOUNCE(job, holder() or "", message)


def end_wait() -> None:
    """The wait is over: the task's description back to the job's name."""
    renamed = getattr(_LOCAL, "renamed", None)
    _LOCAL.renamed = None
    if renamed is not None:
        task, job = renamed
        try:
            task.setDescription(job)
        except RuntimeError:  # the task is gone
            pass


def busy() -> bool:
    """Whether another thread is inside :func:`library_call` now (the click-check then says so
    instead of freezing the map until a background run ends)."""
    if LOCK.acquire(blocking=False):
        LOCK.release()
        return False
    return True


def pin_proj_context() -> None:
    """Keep pyproj's per-thread PROJ context of the calling thread from being freed."""
    if threading.current_thread() is threading.main_thread():
        return  # the main thread's Python state lives as long as QGIS: nothing is freed early
    try:
        from pyproj._context import get_context_manager
    except ImportError:  # pyproj not installed or a version without per-thread contexts
        return
    manager = get_context_manager()
    if manager is not None:  # None: this thread state made no context (it reused the pinned one)
        _PINNED[threading.get_native_id()] = manager
