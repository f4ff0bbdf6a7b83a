"""A job's folder: the Result it made (Parquet, quick to write and read back) and its documents.

``<jobs-dir>/jobs/<job id>/`` holds ``result/`` (the four tables) and ``job.json`` (the named sets it
ran with); the documents are written beside them when first asked for.  Job ids are pygeoapi's
UUIDs: anything else names no folder, so no request can reach a path outside the jobs folder.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .._atomic import atomic_output
from ..result import Result, RunInfo

JOBS_FOLDER = "jobs"
_TABLES = ("findings", "not_checked", "overlaps")


class UnknownJob(LookupError):
    """No job of this id (or not an id at all)."""


def is_job_id(text) -> bool:
    try:
        return isinstance(text, str) and str(uuid.UUID(text)) == text
    except ValueError:
        return False


def job_folder(jobs_dir, job_id) -> Path:
    """The folder of job ``job_id``; :class:`UnknownJob` for a string that is not a job id."""
    if not is_job_id(job_id):
        raise UnknownJob(job_id)
    return Path(jobs_dir) / JOBS_FOLDER / job_id


def save_result(result: Result, folder: Path, **meta) -> None:
    """Store ``result`` in ``folder`` (replacing what was there as one rename), with ``meta``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        tables = scratch / "result"
        tables.mkdir()
        result.proposals.to_parquet(tables / "proposals.parquet")
        for name in _TABLES:
            table = getattr(result, name, None)
            if table is not None:
                _plain(table).to_parquet(tables / f"{name}.parquet")
        result.run_info.to_table().to_parquet(tables / "run_info.parquet")
        (scratch / "job.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        scratch.rename(folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load_result(folder: Path) -> tuple[Result, dict]:
    """The Result stored by :func:`save_result` and its ``meta``; :class:`UnknownJob` when none is."""
    tables = folder / "result"
    if not (tables / "proposals.parquet").exists():
        raise UnknownJob(folder.name)
    proposals = gpd.read_parquet(tables / "proposals.parquet")
    read = {
        name: pd.read_parquet(tables / f"{name}.parquet") for name in _TABLES if (tables / f"{name}.parquet").exists()
    }
    run_info = RunInfo.from_table(pd.read_parquet(tables / "run_info.parquet"))
    result = Result(proposals, read["findings"], read["not_checked"], run_info)
    if "overlaps" in read:
        result.overlaps = read["overlaps"]
    return result, json.loads((folder / "job.json").read_text(encoding="utf-8"))


def write_atomically(path: Path, text: str) -> None:
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def remove_job_folder(jobs_dir, job_id) -> None:
    with contextlib.suppress(UnknownJob):
        shutil.rmtree(job_folder(jobs_dir, job_id), ignore_errors=True)


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    # an all-empty object column has no Arrow type: store it as text
    return table.astype({c: str for c in table.columns if table[c].dtype == object and table[c].isna().all()})
