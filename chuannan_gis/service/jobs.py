"""The job store: pygeoapi's TinyDB job manager, made safe for several workers and restarts.

pygeoapi's TinyDB manager already holds a file lock around every read and write of its JSON
file, so worker processes never interleave; but TinyDB rewrites the file in place, and a worker
killed mid-write would leave it broken.  Here every write goes to a temporary file renamed over
the store (:class:`AtomicJSONStorage`), so the store is always one whole version.  The manager
also

* answers a bad request before any job exists (the process's ``prepare``: 400 / 413),
* records which worker runs a job, so after a restart a job whose worker is gone is marked
  failed rather than "running" for ever,
* removes jobs (record, output, folder) older than ``--job-ttl-hours``, at start and then at
  most once a minute as jobs are added or listed,
* makes no callbacks to the URLs a request names (pygeoapi's subscribers).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tinydb
from pygeoapi.process.manager.tinydb_ import TinyDBManager
from pygeoapi.util import JobStatus, get_current_datetime
from tinydb.storages import Storage

from . import store

logger = logging.getLogger(__name__)

PURGE_INTERVAL_S = 60


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces its file whole on every write (callers hold the file lock)."""

    def __init__(self, path, **_):
        self.path = Path(path)

    def read(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return json.loads(text) if text.strip() else None

    def write(self, data) -> None:
        store.write_atomically(self.path, json.dumps(data, ensure_ascii=False))

    def close(self) -> None:
        pass


class JobManager(TinyDBManager):
    """pygeoapi's job manager for the ``check`` process (``server.manager`` in its configuration)."""

    def __init__(self, manager_def: dict):
        super().__init__(manager_def)
        # pygeoapi would POST a job's outcome to any URL a request names (its "subscriber"): from
        # inside a bureau's network that reaches hosts the client cannot; clients poll instead
        self.supports_subscribing = False
        self.jobs_dir = Path(manager_def["jobs_dir"])
        self.ttl = timedelta(hours=float(manager_def["job_ttl_hours"]))
        self._last_purge = 0.0
        self.mark_orphans_failed()
        self.purge_expired()

    def _db(self):
        return _locked_db(self.connection)

    # -- accepting a job ------------------------------------------------------------------------
    def execute_process(self, process_id, data_dict, *args, **kwargs):
        from .process import PREPARED

        processor = self.get_processor(process_id)
        prepare = getattr(processor, "prepare", None)
        if prepare is not None:
            # raises the process's own 400 / 413 before a job is recorded
            prepared = prepare(data_dict, client=_client())
            data_dict = {**data_dict, PREPARED: prepared}
        self.purge_expired(throttled=True)
        return super().execute_process(process_id, data_dict, *args, **kwargs)

    def _execute_handler_sync(self, processor, job_id, data_dict, *args, **kwargs):
        # pygeoapi records a job as running only when it is done: report the check's progress
        from .process import PREPARED

        prepared = data_dict.get(PREPARED)
        if prepared is not None:
            prepared.progress = JobProgress(self, job_id)
        return super()._execute_handler_sync(processor, job_id, data_dict, *args, **kwargs)

    def get_jobs(self, *args, **kwargs) -> dict:
        self.purge_expired(throttled=True)  # a server that gets no new jobs still forgets old ones
        return super().get_jobs(*args, **kwargs)

    def add_job(self, job_metadata: dict) -> str:
        return super().add_job({**job_metadata, "worker_pid": os.getpid()})

    def delete_job(self, job_id: str) -> bool:
        job = self.get_job(job_id)  # JobNotFoundError: 404
        with self._db() as db:
            removed = bool(db.remove(tinydb.where("identifier") == job_id))
        self._remove_outputs(job)
        return removed

    # -- keeping the store tidy -----------------------------------------------------------------
    def mark_orphans_failed(self) -> None:
        """Jobs accepted or running in a process that no longer exists (the server was stopped or
        a worker died) can never finish: say so instead of leaving them running."""
        unfinished = (JobStatus.accepted.value, JobStatus.running.value)
        with self._db() as db:
            for job in db.search(tinydb.where("status").one_of(unfinished)):
                if _running_elsewhere(job.get("worker_pid")):
                    continue
                db.update(
                    {
                        "status": JobStatus.failed.value,
                        "updated": get_current_datetime(),
                        "finished": get_current_datetime(),
                        "message": "服务重启，任务中断 the server stopped before the job finished; run it again",
                    },
                    tinydb.where("identifier") == job["identifier"],
                )

    def purge_expired(self, throttled: bool = False) -> int:
        """Remove every job created more than ``--job-ttl-hours`` ago; return how many."""
        now = time.monotonic()
        if throttled and now - self._last_purge < PURGE_INTERVAL_S:
            return 0
        self._last_purge = now
        cutoff = datetime.now(timezone.utc) - self.ttl
        with self._db() as db:
            expired = [job for job in db.all() if _created(job) < cutoff]
            db.remove(tinydb.where("identifier").one_of([job["identifier"] for job in expired]))
        for job in expired:
            self._remove_outputs(job)
        self._remove_stray_folders(cutoff)
        if expired:
            logger.info("removed %d job(s) older than %s", len(expired), self.ttl)
        return len(expired)

    def _remove_outputs(self, job: dict) -> None:
        location = job.get("location")
        if location and location != "None":
            Path(location).unlink(missing_ok=True)
        store.remove_job_folder(self.jobs_dir, job["identifier"])

    def _remove_stray_folders(self, cutoff: datetime) -> None:
        # a folder whose record is gone (a worker killed between the two removals)
        folder = self.jobs_dir / store.JOBS_FOLDER
        for path in folder.iterdir() if folder.is_dir() else ():
            modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            if modified < cutoff:
                shutil.rmtree(path, ignore_errors=True)

    def __repr__(self):
        return f"<chuannan JobManager> {self.name}"


class JobProgress:
    """The engine's ``progress(done, total, *current)`` (rules, or the dask engine's proposals) as
    the job's status: ``running`` and a percentage (5–95), written at most once a second (each
    write rewrites the store)."""

    INTERVAL_S = 1.0

    def __init__(self, manager: JobManager, job_id: str):
        self.manager, self.job_id = manager, job_id
        self.last = 0.0

    def __call__(self, done: int, total: int, *current) -> None:
        now = time.monotonic()
        if now - self.last < self.INTERVAL_S:
            return
        self.last = now
        rule = f" ({current[0]})" if current else ""
        self.manager.update_job(
            self.job_id,
            {
                "status": JobStatus.running.value,
                "progress": 5 + int(90 * done / max(total, 1)),
                "message": f"筛查中 checking: {done}/{total}{rule}",
                "updated": get_current_datetime(),
            },
        )


class _locked_db:
    """The TinyDB store under its file lock, as TinyDBManager's own ``_db`` but atomic."""

    def __init__(self, path):
        from filelock import FileLock

        self.path = path
        self.lock = FileLock(f"{path}.lock")

    def __enter__(self):
        self.lock.acquire()
        try:
            self.db = tinydb.TinyDB(self.path, storage=AtomicJSONStorage)
        except BaseException:
            self.lock.release()
            raise
        return self.db

    def __exit__(self, *exc):
        try:
            self.db.close()
        finally:
            self.lock.release()


def _created(job: dict) -> datetime:
    try:
        return datetime.strptime(job.get("created") or "", "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return datetime.now(timezone.utc)  # unreadable: keep it


def _running_elsewhere(pid) -> bool:
    """Whether process ``pid`` lives and is not this one (called at start, before this process
    has accepted a job: a job recorded under its own pid is an earlier server's)."""
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _client() -> str:
    """The address of the client of the request being answered ("" outside a request)."""
    from flask import has_request_context, request

    return (request.remote_addr or "") if has_request_context() else ""
