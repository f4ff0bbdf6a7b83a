"""The WSGI application: pygeoapi's Flask app serving the ``check`` process, with the service's
own gate in front (bearer token, body size, bad JSON) and the few routes OGC API – Processes does
not define: the landing page for people, file conversion for it, and the jobs' documents.

pygeoapi reads its configuration when its Flask module is first imported, so one process serves
one configuration: :func:`create_app` writes it (and the OpenAPI document derived from it) into
the jobs folder, points pygeoapi at them and imports it.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import yaml

from .._version import __version__
from ..errors import ChuannanError
from . import documents, store
from .process import PROCESS_ID
from .settings import ServiceSettings, load_all, token

logger = logging.getLogger(__name__)

CONFIG_FILE = "pygeoapi-config.yml"
OPENAPI_FILE = "pygeoapi-openapi.yml"
# The views that need the bearer token when CHUANNAN_SERVICE_TOKEN is set (execution, jobs,
# conversion), by the endpoint Flask matched: a trailing slash or an encoded path reaches none other.
EXECUTION_ENDPOINT = "pygeoapi.execute_process_jobs"
PROTECTED_ENDPOINTS = {EXECUTION_ENDPOINT, "pygeoapi.get_jobs", "pygeoapi.get_job_result", "job_file", "convert"}
PROTECTED_PREFIXES = ("/jobs", "/convert")
UPLOAD_FIELD = "file"
# How many reverse proxies stand in front (their X-Forwarded-For then names the client).
PROXIES_ENV = "CHUANNAN_SERVICE_PROXIES"


def pygeoapi_config(settings: ServiceSettings) -> dict:
    """pygeoapi's configuration for ``settings``: the ``check`` process and the job manager."""
    jobs = Path(settings.jobs_dir)
    processor = {
        "name": "chuannan_gis.service.process.CheckProcessor",
        "settings": {**settings.as_dict(), "public_url": settings.public_url},
    }
    return {
        "server": {
            "bind": {"host": settings.host, "port": settings.port},
            "url": settings.public_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US", "zh-CN"],
            "pretty_print": False,
            "limits": {"default_items": 50, "max_items": 500},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OpenStreetMap"},
            "manager": {
                "name": "chuannan_gis.service.jobs.JobManager",
                "connection": str(jobs / "jobs.json"),
                "output_dir": str(jobs / "outputs"),
                "jobs_dir": str(jobs),
                "job_ttl_hours": settings.job_ttl_hours,
            },
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": {"en": "chuannan-gis compliance screening", "zh": "川南经济区空间合规性筛查"},
                "description": {
                    "en": "OGC API – Processes for chuannan-gis: screening only, not a permit.",
                    "zh": "川南经济区空间约束筛查服务（筛查结果，不作为审批依据）",
                },
                "keywords": ["chuannan-gis", "OGC API - Processes"],
                "keywords_type": "theme",
                "terms_of_service": "https://opensource.org/licenses/MIT",
                "url": settings.public_url,
            },
            "license": {"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
            "provider": {"name": "chuannan-gis", "url": settings.public_url},
            "contact": {"name": "chuannan-gis", "position": "", "email": "", "url": settings.public_url},
        },
        "resources": {PROCESS_ID: {"type": "process", "processor": processor}},
    }


def create_app(settings: ServiceSettings):
    """The Flask (WSGI) application serving ``settings``; once per process."""
    if "pygeoapi.flask_app" in sys.modules:
        raise RuntimeError("pygeoapi serves one configuration per process: create_app was already called")
    jobs = Path(settings.jobs_dir)
    (jobs / store.JOBS_FOLDER).mkdir(parents=True, exist_ok=True)
    (jobs / "outputs").mkdir(exist_ok=True)
    load_all(settings)  # a bad set stops the start; the request threads then only read
    config = pygeoapi_config(settings)
    # each worker writes the same files: atomically, so none reads another's half-written one
    store.write_atomically(jobs / CONFIG_FILE, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    from pygeoapi.openapi import get_oas

    store.write_atomically(jobs / OPENAPI_FILE, yaml.safe_dump(get_oas(config), allow_unicode=True, sort_keys=False))
    os.environ["PYGEOAPI_CONFIG"] = str(jobs / CONFIG_FILE)
    os.environ["PYGEOAPI_OPENAPI"] = str(jobs / OPENAPI_FILE)
    from pygeoapi import flask_app

    app = flask_app.APP
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    proxies = int(os.environ.get(PROXIES_ENV, "0") or 0)
    if proxies:  # behind N reverse proxies: the client is the address they forward (audit log)
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # pygeoapi's translator warns about every JSON-schema key of the process description
    logging.getLogger("pygeoapi.l10n").setLevel(logging.ERROR)
    _install_gate(app, settings)
    _install_routes(app, settings, config["resources"][PROCESS_ID]["processor"]["settings"])
    return app


def error_response(status: int, code: str, message: str, headers=None):
    """An OGC API exception body (as pygeoapi writes its own)."""
    from flask import Response

    body = json.dumps({"type": code, "code": code, "description": message}, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json", headers=headers or {})


def _install_gate(app, settings: ServiceSettings) -> None:
    from flask import request
    from werkzeug.exceptions import RequestEntityTooLarge

    limit_text = f"{settings.max_body_mb:g} MB"

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        return error_response(413, "PayloadTooLarge", f"请求过大 the request exceeds {limit_text} (--max-body-mb)")

    @app.before_request
    def gate():
        expected = token()
        if expected and (request.endpoint in PROTECTED_ENDPOINTS or _protected(request.path)):
            given = request.headers.get("Authorization", "")
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), expected.encode()):
                return error_response(
                    401,
                    "Unauthorized",
                    "需要令牌 this route needs 'Authorization: Bearer <token>'",
                    {"WWW-Authenticate": 'Bearer realm="chuannan-gis"'},
                )
        if request.content_length is not None and request.content_length > settings.max_body_bytes:
            return too_large(None)
        if request.endpoint == EXECUTION_ENDPOINT:
            try:
                body = json.loads(request.get_data())
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                return error_response(
                    400, "InvalidParameterValue", f"请求不是有效的 JSON the request is not valid JSON: {err}"
                )
            if not isinstance(body, dict):
                return error_response(
                    400, "InvalidParameterValue", "请求必须是 JSON 对象 the request must be a JSON object with 'inputs'"
                )
        return None

    @app.after_request
    def job_status_body(response):
        # pygeoapi answers an accepted async job with an empty (null) body; the standard's is the
        # job's status (statusInfo), which a client can read without a second request
        location = response.headers.get("Location", "")
        if response.status_code == 201 and response.get_data() in (b"null", b""):
            job_id = location.rstrip("/").rsplit("/", 1)[-1]
            status = {"jobID": job_id, "processID": PROCESS_ID, "type": "process", "status": "accepted"}
            status["links"] = [{"href": location, "rel": "monitor", "type": "application/json", "title": "job status"}]
            response.set_data(json.dumps(status))
            response.mimetype = "application/json"
        return response


def _protected(path: str) -> bool:
    """The paths of the protected views, also where no view matched (their 404 needs the token too)."""
    path = "/" + path.strip("/")
    return path.startswith(PROTECTED_PREFIXES) or (path.startswith("/processes/") and path.endswith("/execution"))


def _install_routes(app, settings: ServiceSettings, process_settings: dict) -> None:
    from flask import Response, request, send_file

    landing = app.view_functions["pygeoapi.landing_page"]

    def landing_page():
        # people get the upload page; clients asking for JSON get OGC API's landing page
        wants_json = request.args.get("f") == "json" or (
            request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
        )
        if wants_json:
            return landing()
        page = files(__package__).joinpath("static/index.html").read_text(encoding="utf-8")
        return Response(page.replace("{{VERSION}}", __version__), mimetype="text/html")

    app.view_functions["pygeoapi.landing_page"] = landing_page

    @app.route("/jobs/<job_id>/files/<name>")
    def job_file(job_id, name):
        try:
            path, media_type = documents.job_file(process_settings, job_id, name)
        except store.UnknownJob:
            return error_response(404, "NoSuchJob", f"没有此任务或文件 no such job or file: {job_id}/{name}")
        return send_file(path, mimetype=media_type, download_name=name, as_attachment=not name.endswith(".html"))

    @app.route("/convert", methods=["POST"])
    def convert():
        uploads = request.files.getlist(UPLOAD_FIELD)
        if not uploads:
            return error_response(
                400, "MissingParameterValue", f"未上传文件 no file uploaded (form field {UPLOAD_FIELD!r})"
            )
        try:
            collection = _convert(uploads, request.form, settings.max_features)
        except _TooMany as err:
            return error_response(413, "PayloadTooLarge", str(err))
        except ChuannanError as err:
            return error_response(400, "InvalidParameterValue", str(err))
        return Response(json.dumps(collection, ensure_ascii=False), mimetype="application/geo+json")


class _TooMany(Exception):
    pass


# Which uploaded file is the one to read, when several come together (a shapefile's parts).
_MAIN_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".kmz", ".csv", ".tsv", ".txt", ".zip")


def _convert(uploads, form, max_features: int) -> dict:
    """Uploaded proposal file(s) → the FeatureCollection ``read_proposals`` makes of them, in EPSG:4490."""
    from ..errors import InputError, LayerError
    from ..io import read_proposals
    from ..mappings import parse_fields

    with tempfile.TemporaryDirectory(prefix="chuannan-upload-") as folder:
        saved = []
        for upload in uploads:
            name = Path(upload.filename or "").name
            if not name or name.startswith("."):
                raise InputError("上传文件缺少文件名 an uploaded file has no name")
            upload.save(Path(folder) / name)
            saved.append(Path(folder) / name)
        main = min(
            saved, key=lambda p: _MAIN_SUFFIXES.index(p.suffix.lower()) if p.suffix.lower() in _MAIN_SUFFIXES else 99
        )
        options = {key: form.get(key) or None for key in ("layer", "crs", "input_datum", "encoding")}
        try:
            options["field_map"] = parse_fields(form.getlist("field"), example="kind=类型")  # as --field reads them
        except LayerError as err:
            raise InputError(err.message, field="field") from err
        try:
            frame = read_proposals(main, **options)
        except ChuannanError as err:
            # the planner knows the file by its name, not by the server's temporary folder
            raise InputError(str(err).replace(f"{folder}/", "")) from err
    if len(frame) > max_features:
        raise _TooMany(f"项目过多 {len(frame)} proposals exceed this server's limit of {max_features} (--max-features)")
    return json.loads(frame.drop(columns=["proposal_id"]).to_json(na="null", drop_id=True))
