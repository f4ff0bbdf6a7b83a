"""A job's review documents and web map: which files a job offers, and writing one when asked.

The documents are written on first request (``GET /jobs/<id>/files/<name>``) from the stored
Result, not during the check: a one-proposal request is not slowed by a web map it may never open.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import store
from .settings import constraint_set, rule_catalog, set_path

MAP_FILE = "map.html"


@dataclass(frozen=True)
class JobFile:
    name: str
    media_type: str
    title: str


def job_files() -> tuple[JobFile, ...]:
    """The files every job offers, in the order its links list them.

    The review documents are written by suffix (:func:`_write_document`); when
    ``chuannan_gis.documents`` writes .xlsx/.docx/.pdf, add them to ``review`` below — that one line.
    """
    review = ("review.html",)
    titles = {
        ".html": ("text/html", "审查报告 review report"),
        ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "审查意见表 review table"),
        ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "审查意见 review opinion"),
        ".pdf": ("application/pdf", "审查报告 review report (PDF)"),
    }
    files = [JobFile(name, *titles[Path(name).suffix]) for name in review]
    files.append(JobFile(MAP_FILE, "text/html", "网页地图 web map"))
    files.append(JobFile("result.gpkg", "application/geopackage+sqlite3", "结果 Result GeoPackage"))
    return tuple(files)


def links(base_url: str, job_id: str) -> list[dict]:
    """OGC links to a job's files."""
    return [
        {"href": f"{base_url}/jobs/{job_id}/files/{f.name}", "rel": "alternate", "type": f.media_type, "title": f.title}
        for f in job_files()
    ]


def job_file(settings: dict, job_id: str, name: str) -> tuple[Path, str]:
    """The path and media type of job ``job_id``'s file ``name``, written now if it is not yet;
    :class:`~chuannan_gis.service.store.UnknownJob` for an unknown job or file."""
    offered = {f.name: f for f in job_files()}
    if name not in offered:
        raise store.UnknownJob(name)
    folder = store.job_folder(settings["jobs_dir"], job_id)
    path = folder / name
    if not path.exists():
        result, meta = store.load_result(folder)
        # the sets this process holds for the names the job ran with (the report's and map's
        # features); a set renamed since falls back to what the Result records
        with contextlib.suppress(InputError):  # the Result still reopens what it records
            result.hold(
                constraints=constraint_set(set_path(settings["layers"], meta.get("layers"), "layers")),
                catalog=rule_catalog(set_path(settings["rules"], meta.get("rules"), "rules")),
            )
        _write_document(result, path)
    return path, offered[name].media_type


def _write_document(result, path: Path) -> None:
    if path.name == MAP_FILE:
        from ..webmap import write_map

        write_map(result, path, constraints=result.constraint_set())
    elif path.suffix == ".gpkg":
        result.write(path)
    else:
        try:  # the review documents by suffix (.html/.xlsx/.docx/.pdf), where the library has them
            from ..documents import write_document
        except ImportError:  # until then: the HTML report
            from ..report import write_report as write_document
        write_document(result, path)
