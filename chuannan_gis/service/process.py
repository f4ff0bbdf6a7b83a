"""The ``check`` process: pygeoapi's process plugin that runs chuannan-gis's check.

A request's ``proposals`` (a GeoJSON FeatureCollection, EPSG:4490) becomes a GeoDataFrame and goes
through the library's own reader (:func:`chuannan_gis.io.read_proposals`), so the service accepts,
refuses and names exactly what the command line does; a feature without geometry is kept, and the
engine makes it ``unknown``.  The output is the Result as JSON and links to the job's documents.

:meth:`CheckProcessor.prepare` does the reading and every refusal before a job exists (the job
manager calls it), so a bad request is answered 400 or 413 at once, in the sync and async modes
alike, instead of becoming a failed job.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass
from http import HTTPStatus

import geopandas as gpd
import shapely.geometry
from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from .._version import __version__
from ..engines import check_frame
from ..errors import ChuannanError, InputError
from ..io import read_proposals
from ..verdicts import VERDICTS
from . import audit, documents, store
from .settings import DEFAULT_SET, constraint_set, rule_catalog, set_name, set_path

logger = logging.getLogger(__name__)

PROCESS_ID = "check"
INPUT_LABEL = "proposals"
# The key under which the job manager hands the prepared request to execute() (never a client's).
PREPARED = "__chuannan_prepared__"
# With --scheduler, inputs of at least this many proposals go to the dask cluster; smaller ones
# are quicker checked in the server process than shipped.
DASK_MIN_PROPOSALS = 5_000


class InvalidInput(ProcessorExecuteError):
    """A request the check cannot take (400, with the library's message)."""

    http_status_code = HTTPStatus.BAD_REQUEST
    ogc_exception_code = "InvalidParameterValue"


class TooManyFeatures(ProcessorExecuteError):
    """More proposals than the server's ``--max-features`` (413)."""

    http_status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    ogc_exception_code = "PayloadTooLarge"


@dataclass
class PreparedCheck:
    """A request read and validated: what :meth:`CheckProcessor.execute` runs."""

    frame: gpd.GeoDataFrame
    layers: str
    rules: str
    input_sha256: str
    client: str = ""
    progress: object = None  # the engine's progress callback (the job manager sets it)


def process_metadata(settings: dict) -> dict:
    """The OGC API – Processes description of ``check`` for a server with these settings."""
    verdicts = ", ".join(VERDICTS)
    return {
        "version": __version__,
        "id": PROCESS_ID,
        "title": {"en": "Spatial compliance check", "zh": "空间合规性筛查"},
        "description": {
            "en": "Checks proposed industrial parks, ports and projects in the South Sichuan Economic Zone "
            "against the constraint layers and the rule catalog; returns each proposal's verdict "
            f"({verdicts}), the findings with their legal basis, and links to the review documents "
            "and web map. Screening only, not a permit.",
            "zh": "对川南经济区拟建园区、港口与项目进行空间约束筛查，返回每个项目的结论、依据与审查文件链接。"
            "筛查结果，不作为审批依据。",
        },
        "jobControlOptions": ["sync-execute", "async-execute"],
        "keywords": ["chuannan-gis", "compliance", "合规性审查", "川南经济区"],
        "links": [],
        "inputs": {
            "proposals": {
                "title": "Proposals 拟建项目",
                "description": "A GeoJSON FeatureCollection in EPSG:4490 (CGCS2000 lon/lat) with the fields "
                "name, kind, industry, optional status, key_project and purpose, as the command line reads them.",
                "schema": {"type": "object", "contentMediaType": "application/geo+json"},
                "minOccurs": 1,
                "maxOccurs": 1,
            },
            "layers": {
                "title": "Constraint set 约束图层集",
                "description": "The name of a constraint set this server was started with (default: default).",
                "schema": {"type": "string", "enum": list(settings["layers"]), "default": DEFAULT_SET},
                "minOccurs": 0,
                "maxOccurs": 1,
            },
            "rules": {
                "title": "Rule catalog 规则目录",
                "description": "The name of a rule catalog this server was started with (default: default).",
                "schema": {"type": "string", "enum": list(settings["rules"]), "default": DEFAULT_SET},
                "minOccurs": 0,
                "maxOccurs": 1,
            },
        },
        "outputs": {
            "result": {
                "title": "Result 筛查结果",
                "description": "proposals (a FeatureCollection with the verdict fields), findings, not_checked, "
                "overlaps (when the engine writes them), run_info, and links to the job's documents.",
                "schema": {"type": "object", "contentMediaType": "application/json"},
            }
        },
        "example": {"inputs": {"proposals": {"type": "FeatureCollection", "features": []}, "layers": DEFAULT_SET}},
    }


class CheckProcessor(BaseProcessor):
    """pygeoapi process plugin ``check``; ``processor_def`` carries the service settings."""

    def __init__(self, processor_def: dict):
        self.settings = processor_def["settings"]
        super().__init__(processor_def, process_metadata(self.settings))
        self.job_id = None

    def set_job_id(self, job_id: str) -> None:
        self.job_id = job_id

    def prepare(self, data: dict, client: str = "") -> PreparedCheck:
        """Read and validate the request's inputs; raise :class:`InvalidInput` (400) or
        :class:`TooManyFeatures` (413) with the library's message."""
        if not isinstance(data, dict):
            raise InvalidInput(user_msg="inputs 必须是对象 'inputs' must be a JSON object")
        collection = data.get("proposals")
        features = _features(collection)
        limit = int(self.settings["max_features"])
        if len(features) > limit:
            raise TooManyFeatures(
                user_msg=f"项目过多 {len(features)} proposals exceed this server's limit of {limit} (--max-features)"
            )
        try:
            # the names are checked now; execute() looks the sets up by name
            set_path(self.settings["layers"], data.get("layers"), "layers")
            set_path(self.settings["rules"], data.get("rules"), "rules")
            digest = hashlib.sha256(json.dumps(collection, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            frame = features_frame(features)
            # the reader's messages and the run record name the input "proposals", with this hash
            frame.attrs.update(source=INPUT_LABEL, sha256=digest)
            frame = read_proposals(frame)
        except ChuannanError as err:
            raise InvalidInput(user_msg=str(err)) from err
        return PreparedCheck(frame, set_name(data.get("layers")), set_name(data.get("rules")), digest, client)

    def execute(self, data: dict, outputs=None):
        prepared = data.get(PREPARED)  # the job manager's; a client's value of that key is not one
        if not isinstance(prepared, PreparedCheck):
            prepared = self.prepare(data)
        started = time.perf_counter()
        try:
            result = self._check(prepared)
        except Exception as err:
            audit.record(self.settings["audit_log"], self.job_id, prepared, status="failed", error=str(err))
            raise
        job_folder = store.job_folder(self.settings["jobs_dir"], self.job_id)
        store.save_result(result, job_folder, layers=prepared.layers, rules=prepared.rules)
        audit.record(
            self.settings["audit_log"],
            self.job_id,
            prepared,
            status="successful",
            counts=result.verdict_counts(),
            seconds=round(time.perf_counter() - started, 3),
        )
        return "application/json", result_json(result, documents.links(self.settings["public_url"], self.job_id))

    def _check(self, prepared: PreparedCheck):
        constraints = constraint_set(set_path(self.settings["layers"], prepared.layers, "layers"))
        catalog = rule_catalog(set_path(self.settings["rules"], prepared.rules, "rules"))
        options = {} if prepared.progress is None else {"progress": prepared.progress}
        if self.settings["scheduler"] and len(prepared.frame) >= DASK_MIN_PROPOSALS:
            options |= {"engine": "dask", "scheduler": self.settings["scheduler"]}
        return check_frame(prepared.frame, catalog, constraints, **options)

    def __repr__(self):
        return f"<CheckProcessor> {self.name}"


def _features(collection) -> list:
    """The features of a GeoJSON FeatureCollection; anything else is a 400."""
    if collection is None:
        raise InvalidInput(user_msg="缺少输入 proposals the input 'proposals' (a GeoJSON FeatureCollection) is missing")
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        got = collection.get("type") if isinstance(collection, dict) else type(collection).__name__
        raise InvalidInput(
            user_msg=f"proposals 不是 GeoJSON 要素集合 'proposals' is not a GeoJSON FeatureCollection (got {got!r})"
        )
    features = collection.get("features")
    if not isinstance(features, list):
        raise InvalidInput(user_msg="proposals 缺少 features 列表 the FeatureCollection has no 'features' list")
    if not features:
        raise InvalidInput(user_msg="proposals 没有要素 the FeatureCollection has no features: nothing to check")
    return features


def features_frame(features: list) -> gpd.GeoDataFrame:
    """GeoJSON features as a GeoDataFrame in EPSG:4490; a feature whose geometry is null stays (no
    geometry: the check makes it ``unknown``); one that is not a Feature, or whose geometry cannot
    be read, is an InputError naming it (1-based, as the reader numbers rows)."""
    rows, geometries = [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError("不是 GeoJSON 要素 not a GeoJSON Feature", file=INPUT_LABEL, feature=number)
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise InputError("properties 必须是对象 'properties' must be an object", file=INPUT_LABEL, feature=number)
        geometry = feature.get("geometry")
        try:
            geometries.append(None if geometry is None else shapely.geometry.shape(geometry))
        except Exception as err:  # shapely raises several types for a malformed geometry
            raise InputError(
                f"几何无法读取 the geometry cannot be read: {err}", file=INPUT_LABEL, feature=number
            ) from err
        rows.append(properties)
    return gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4490")


def result_json(result, links: list) -> dict:
    """The Result as JSON (SCHEMA.md "Service"): ``proposals`` a FeatureCollection, the other
    tables as lists of records, ``run_info`` its key → value record, and the documents' links."""
    output = {
        "proposals": json.loads(result.proposals.to_json(na="null", drop_id=True)),
        "findings": _records(result.findings),
        "not_checked": _records(result.not_checked),
    }
    overlaps = getattr(result, "overlaps", None)
    if overlaps is not None:
        output["overlaps"] = _records(overlaps)
    info = {key: result.run_info[key] for key in result.run_info}
    info["layers"] = [asdict(layer) for layer in result.run_info.layers]
    output["run_info"] = info
    output["verdict_counts"] = result.verdict_counts()
    output["links"] = links
    return output


def _records(table) -> list:
    return json.loads(table.to_json(orient="records", force_ascii=False)) if len(table) else []
