"""The plugin's one contact with chuannan_gis: read, check, write, style.

Nothing here decides a verdict: proposals go through ``chuannan_gis.io.read_proposals`` and
``chuannan_gis.check_frame`` exactly as on the command line, and the Result is written by
``Result.write``.  chuannan_gis and its libraries are imported inside the functions, after
:func:`require` has made sure they are there.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from qgis.core import QgsSettings, QgsVectorLayer

from . import deps
from .i18n import language, tr
from .style import style_result
from .threads import library_call

RESULT_LAYER = "proposals"
_READY = False  # set once require() has found everything


class MissingDependencies(RuntimeError):
    """chuannan_gis or a library it needs is not installed; the message says how to fix it."""


class Canceled(RuntimeError):
    """The planner cancelled the run."""


def missing_message(unmet: list[str], system: str | None = None) -> str:
    """The planner-facing text for missing libraries, with the ways to fix it on this platform."""
    system = system or deps.platform()
    command = deps.shell_command(system)
    text = tr("Chuannan compliance needs Python libraries that this QGIS does not have: {missing}. "
              "Click “Install dependencies” in the message bar: it installs them into your QGIS "
              "profile, needs internet and no administrator rights; restart QGIS afterwards.").format(
        missing=", ".join(unmet))
    if system == "windows":
        by_hand = tr("Or open the OSGeo4W Shell from the Start menu (as administrator for an all-users "
                     "install) and run: {command}")
    elif system == "macos":
        by_hand = tr("Or run in Terminal, with the Python inside the QGIS application: {command}")
    else:
        by_hand = tr("Or run in a terminal, with the Python QGIS runs (on Debian and Ubuntu it refuses "
                     "plain pip and pip --user, hence --break-system-packages, which installs into your "
                     "home folder only): {command}")
    return text + " " + by_hand.format(command=command)


def require() -> None:
    """Raise :class:`MissingDependencies` unless chuannan_gis and its libraries can be imported;
    then load the compiled ones safely beside QGIS's own (:func:`deps.import_native`)."""
    global _READY
    if _READY:  # libraries do not vanish from a running QGIS; reading their metadata costs ~60 ms
        return
    unmet = deps.missing()
    if unmet:
        raise MissingDependencies(missing_message(unmet))
    deps.import_native()
    _READY = True


def guarded(function):
    """Run ``function`` inside :func:`threads.library_call`: one library call at a time, and safe in
    the worker threads QGIS runs algorithms in (see :mod:`threads` for the crash it prevents)."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        with library_call():
            return function(*args, **kwargs)

    return call


def field_map(**fields: str | None) -> dict[str, str]:
    """Schema field → input field, for the fields the planner mapped (blank, or the schema's own
    name — the parameters' default — means the default: read_proposals finds it, or not, itself)."""
    return {key: value for key, value in fields.items() if value and value != key}


@guarded
def read_proposals(source, layer: str | None = None, fields: dict | None = None, constants: str = "", **options):
    """Proposals from a file of any form chuannan_gis reads or a GeoDataFrame, normalised (Chinese
    values accepted); ``constants``: ``kind=industrial_park;industry=chemical``; ``options``: the
    other read options (``crs``, ``input_datum``, ``datum_shift``)."""
    require()
    from chuannan_gis.io import parse_assignments
    from chuannan_gis.io import read_proposals as _read

    given = parse_assignments(constants or "", separator=";")
    return _read(source, layer=layer or None, field_map=fields or None, constants=given, **options)


@guarded
def load_proposals(source, layer: str | None, output: str, **options) -> int:
    """Read ``source`` as :func:`read_proposals` does and write it as GeoPackage ``output``; the count."""
    frame = read_proposals.__wrapped__(source, layer, None, **options)  # the lock is held already
    frame.to_file(output, driver="GPKG", layer="proposals", engine="pyogrio")
    return len(frame)


@guarded
def export_land_coordinates(source, layer: str | None, output: str, width: int, name_field: str | None) -> int:
    """Polygons of an OGR source as a 用地坐标 TXT (chuannan_gis.readers.landcoord_txt); the count."""
    require()
    import geopandas as gpd
    from chuannan_gis.readers import landcoord_txt

    frame = gpd.read_file(source, layer=layer or None, engine="pyogrio")
    if name_field and name_field in frame.columns and name_field != "name":
        frame = frame.rename(columns={name_field: "name"})
    landcoord_txt.write(frame, output, width=width, label=source)
    return len(frame)


@guarded
def drawn_proposal(wkt: str, crs: str, **values: str):
    """One proposal from a geometry drawn on the canvas (WKT in ``crs``) and the planner's choices
    of ``name``, ``kind``, ``industry`` and ``status``."""
    require()
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({key: [value] for key, value in values.items()},
                             geometry=[shapely.from_wkt(wkt)], crs=crs)
    return read_proposals(frame)


@guarded
def check(proposals, constraints: str | None = None, rules: str | None = None, feedback=None):
    """``chuannan_gis.check_frame`` of proposals already normalised by :func:`read_proposals`, with
    the constraint set cached per file, reporting progress to a Processing ``feedback`` and
    stopping with :class:`Canceled` when it is cancelled."""
    require()
    import chuannan_gis

    return chuannan_gis.check_frame(proposals, chuannan_gis.load_rules(rules or None), load_constraints(constraints),
                                    progress=_progress(feedback))


# The one constraint-set setting (QgsSettings) that Check proposals, Screen region, Load
# constraint layers and click-to-check all use: the planner's GeoPackage (or folder) overlaid on
# the bundled set; empty: the bundled set alone.
CONSTRAINT_SET_KEY = "chuannan_compliance/constraint_set"


def constraint_set_path() -> str | None:
    """The planner's constraint set the plugin uses (the setting), or None for the bundled set."""
    value = QgsSettings().value(CONSTRAINT_SET_KEY, "", type=str)
    return value or None


def set_constraint_set_path(path: str | None) -> None:
    """Make ``path`` the set every face of the plugin uses (None or "": the bundled set)."""
    QgsSettings().setValue(CONSTRAINT_SET_KEY, str(path) if path else "")


@guarded
def load_constraints(path: str | None = None):
    """The constraint set (bundled, overlaid with ``path``, by default the plugin's setting
    :func:`constraint_set_path`), loaded once per file version."""
    require()
    path = path or constraint_set_path()
    return _load_constraints(path or None, _mtime(path))


@lru_cache(maxsize=4)
def _load_constraints(path, _mtime_key):
    import chuannan_gis

    return chuannan_gis.load_constraints(path)


def _mtime(path: str | None) -> float | None:
    return os.path.getmtime(path) if path and os.path.exists(path) else None


def _progress(feedback):
    if feedback is None:
        return None

    def report(done: int, total: int, *_current) -> None:
        if feedback.isCanceled():
            raise Canceled(tr("Cancelled"))
        feedback.setProgress(100.0 * done / max(total, 1))

    return report


@guarded
def write_result(result, path: str) -> list[str]:
    """Write the Result GeoPackage and return the URIs of its ``proposals`` layer, one per
    geometry type (QGIS draws one type per layer).  A single-type layer also gets the verdict style
    stored in the GeoPackage as its default, so it opens styled anywhere."""
    result.write(path)
    families = sorted({kind.removeprefix("Multi") for kind in result.proposals.geom_type.dropna()})
    base = f"{path}|layername={RESULT_LAYER}"
    if len(families) > 1:
        return [f"{base}|geometrytype={family}" for family in families]
    layer = QgsVectorLayer(base, RESULT_LAYER, "ogr")
    style_result(layer)
    layer.saveStyleToDatabase(RESULT_LAYER, tr("Verdict colours"), True, "")
    return [base]


def is_far_outside(err: Exception) -> bool:
    """Whether ``err`` is the library's refusal of coordinates that cannot lie in or near 川南 in
    their CRS: for a click on the canvas, whose CRS QGIS knows, it means the place is far outside."""
    try:
        from chuannan_gis.errors import CRSError
    except ImportError:
        return False
    return isinstance(err, CRSError) and getattr(err, "field", None) == "geometry"


def outside_rule():
    """The rule a place outside 川南 gets (``region_outside``: verdict unknown, its title and citation)."""
    import chuannan_gis

    return next(rule for rule in chuannan_gis.load_rules(None).rules if rule.id == "region_outside")


def error_text(err: Exception) -> str:
    """A library error as a planner reads it in QGIS: the message, without the location prefix
    that names the in-memory frame of a click (``file <GeoDataFrame>; feature row 1 (…)``)."""
    message = getattr(err, "message", None)
    return str(message) if message and getattr(err, "file", None) in (None, "<GeoDataFrame>") else str(err)


def webmap_available() -> bool:
    """Whether chuannan_gis, with its libraries, is installed and has the web-map export."""
    if deps.missing():
        return False
    try:
        return importlib.util.find_spec("chuannan_gis.webmap") is not None
    except ImportError:
        return False


@guarded
def write_webmap(result_path: str, path: str, constraints: str | None, basemap: str) -> None:
    """The web map of a result GeoPackage; without ``constraints`` it draws the layers the check used."""
    from chuannan_gis.webmap import write_map

    write_map(result_path, path, constraints=load_constraints(constraints) if constraints else None,
              basemap=basemap)


@guarded
def screen(kind: str, industry: str, output: str, *, status: str = "new", resolution: float = 100.0,
           extent=None, constraints: str | None = None, rules: str | None = None, feedback=None):
    """``chuannan_gis.screen`` with the constraint set cached per file, reporting progress per window
    to a Processing ``feedback`` and stopping with :class:`Canceled` when it is cancelled."""
    require()
    import chuannan_gis

    return chuannan_gis.screen(kind, industry, output, status=status, resolution=resolution, extent=extent,
                               constraints=load_constraints(constraints), rules=rules or None,
                               progress=_progress(feedback))


def terms(field: str) -> list[tuple[str, str]]:
    """(code, label) of every term of vocabulary ``field`` (``kind``, ``industry``, ``status``), the
    label in both languages, the interface language first; empty while chuannan_gis is missing."""
    try:
        from chuannan_gis.labels import term_label
        from chuannan_gis.vocabulary import vocabularies

        codes = list(vocabularies()[field].terms)
    except ImportError:
        return []
    order = "zh en" if language() == "zh" else "en zh"
    return [(code, term_label(field, code, order)) for code in codes]


def counties() -> list[tuple[str, str]]:
    """(Chinese name, label in both languages) of the counties of the bundled constraint set, read
    with QGIS's own OGR so that listing them imports nothing heavy; empty when it is not there."""
    path = bundled_constraints_path()
    if path is None:
        return []
    layer = QgsVectorLayer(f"{path}|layername=counties", "counties", "ogr")
    if not layer.isValid():
        return []
    found = []
    for feature in layer.getFeatures():
        zh, en = str(feature["name_zh"]), str(feature["name_en"])
        found.append((zh, f"{zh} {en}" if language() == "zh" else f"{en} {zh}"))
    return found


def library_folder() -> Path | None:
    """The folder of the chuannan_gis package QGIS would import (the checkout's, the venv's or the
    zip's vendored copy), found without importing it, or None."""
    try:
        spec = importlib.util.find_spec("chuannan_gis")
    except ImportError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def bundled_constraints_path() -> Path | None:
    """The constraint set that ships inside chuannan_gis (``chuannan_gis.layers.bundled_path``
    without importing geopandas), or None."""
    folder = library_folder()
    path = folder / "data" / "constraints.gpkg" if folder else None
    return path if path and path.exists() else None


def templates() -> list[dict]:
    """The library's import templates, as ``chuannan_gis.layers.imports.load_templates`` reads them
    (one YAML file each in ``layers/imports/templates``, in the same order: by file name), read here
    as data so that listing them at start-up imports nothing heavy; empty while it is missing."""
    folder = library_folder()
    folder = folder / "layers" / "imports" / "templates" if folder else None
    if folder is None or not folder.is_dir():
        return []
    try:
        import yaml
    except ImportError:
        return []
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"),
                                                                                key=lambda p: p.name)]


# Several field or value mappings in one parameter: one per line, or separated by ; (or ；).
_MAPPING_SEPARATORS = re.compile(r"[;；\r\n]+")


def split_mappings(text: str | None) -> list[str]:
    """``"zone=GNQ; bank=AB"`` → ``["zone=GNQ", "bank=AB"]`` (blank entries dropped)."""
    return [part.strip() for part in _MAPPING_SEPARATORS.split(text or "") if part.strip()]


@guarded
def import_mappings(fields: str | None, values: str | None) -> tuple[dict, dict]:
    """({schema field: source field}, {field: {source value: code}}) from the plugin's parameters,
    in the command line's syntax ``schema_field=SOURCE_FIELD`` and ``FIELD:SOURCE_VALUE=CODE``
    (parsed by the library, which names a malformed entry)."""
    require()
    from chuannan_gis.layers.imports import parse_fields, parse_values

    return parse_fields(split_mappings(fields)), parse_values(split_mappings(values))


@guarded
def import_official(template: str, source: str, output: str, *, layer: str | None = None,
                    coverage: str | None = None, fields: dict | None = None, values: dict | None = None,
                    constants: dict | None = None):
    """``chuannan_gis.layers.imports.import_source``, the function ``chuannan-gis layers import
    --template`` calls: one source into GeoPackage ``output`` (same-named layer replaced, others
    kept, validated before it replaces anything).  Returns (results, warnings): the warnings the
    library returns and those it logs (e.g. an accuracy not stated), each once."""
    require()
    from chuannan_gis.layers.imports import import_source

    with logged_warnings() as logged:
        results, warnings = import_source(template, source, output, layer=layer, coverage=coverage or None,
                                          fields=fields or None, values=values or None, constants=constants or None)
    return results, list(dict.fromkeys([*warnings, *logged]))


@guarded
def needs_coverage(template: str) -> bool:
    """Whether an import with ``template`` must be told its coverage (the library's rule: a sparse
    layer always, others when their template says so)."""
    require()
    from chuannan_gis.layers.imports import get_template

    return get_template(template).coverage == "required"


@guarded
def describe_coverage(code: str) -> str:
    """A ``layer_metadata.coverage`` in words: ``江安县 511523`` for a county list; ``region`` and
    ``polygon`` as they are."""
    require()
    from chuannan_gis.layers.coverage import describe_counties
    from chuannan_gis.layers.imports.coverage import counties

    adcodes = [part for part in str(code).split(",") if part.strip().isdigit()]
    return describe_counties([a.strip() for a in adcodes], counties()) if adcodes else str(code)


@contextmanager
def logged_warnings():
    """The messages of the warnings chuannan_gis logs in this thread while the block runs (on the
    command line they go to stderr; in QGIS the algorithm reports them)."""
    messages: list[str] = []
    thread = threading.get_ident()

    class Collect(logging.Handler):
        def emit(self, record):
            if record.thread == thread:
                messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("chuannan_gis")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


@guarded
def write_report(result, path: str) -> None:
    from chuannan_gis.report import write_report as _write

    _write(result, path)
