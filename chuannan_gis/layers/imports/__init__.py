"""``chuannan-gis layers import``: a bureau's delivered layers → a validated constraint set.

One import per source (:func:`import_layer`), or several from a MAP.yaml (:func:`read_map`);
:func:`write_layers` writes them into a GeoPackage in EPSG:4490, replacing same-named layers of an
existing one (with a warning) and keeping the others, atomically, and validates it before it
replaces anything.  The templates (``templates/*.yaml``) are data: target layer, field aliases,
value maps, the DLTB code table (docs/official-data.md "Importing").
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import yaml

from ..._atomic import atomic_output
from ...crs import STORAGE_CRS
from ...datums import to_cgcs2000
from ...errors import LayerError
from ...mappings import parse_fields
from ..coverage import coverage_code, describe_counties
from ..load import load_constraints
from ..read import list_layer_names
from ..report import validate
from ..schema import LAYERS, METADATA_FIELDS, METADATA_TABLE
from . import core, shoreline, water
from .core import Template, get_template, load_templates
from .coverage import coverage_option, resolve_coverage

logger = logging.getLogger(__name__)

COVERAGE_LAYER = "layer_coverage"
MAP_KEYS = (
    "template",
    "source",
    "layer",
    "encoding",
    "crs",
    "where",
    "fields",
    "values",
    "constants",
    "coverage",
    "rivers",
    "water",
    "codes",
)


@dataclass
class ImportResult:
    """One imported layer: the frame (EPSG:4490), its layer_metadata row, what the import did."""

    layer: str
    frame: gpd.GeoDataFrame
    metadata: dict
    report: list[str] = field(default_factory=list)
    coverage_geometry: object = None  # shapely geometry when coverage is a polygon
    extra: list[ImportResult] = field(default_factory=list)  # e.g. the planner's river lines
    # what the report says, as numbers: read, repaired, dropped (no area), written
    counts: dict = field(default_factory=dict)


def import_layer(
    template,
    source,
    *,
    layer=None,
    coverage=None,
    fields=None,
    values=None,
    constants=None,
    where=None,
    crs=None,
    encoding=None,
    rivers=None,
    water_frame=None,
    codes=None,
    bundled=None,
    datum_shift=None,
    assume_accuracy_m=None,
) -> ImportResult:
    """Import one delivered layer with a template; nothing is written (see :func:`write_layers`).

    ``fields``: {schema field: source field}; ``values``: {field: {source value: code}};
    ``constants``: {field: value}, including ``data_status``, ``accuracy_m`` or ``scale`` (1:10000),
    ``source``, ``date``, ``licence``; ``coverage``: county/city names or adcodes, ``region`` or a
    polygon file (required for every template but ``dltb``, which infers it); ``rivers``: a river-line
    file for naming water (default: the bundled centrelines); ``water_frame``: the supplied water a
    ``shoreline`` import splits at its medial axis; ``codes``: {DLBM: rule} overrides for ``dltb``;
    ``datum_shift``: the bureau's parameters from Xian 1980 / Beijing 1954 (:mod:`chuannan_gis.datums`),
    or ``assume_accuracy_m``: take PROJ's zero shift, the features' ``accuracy_m`` this many metres;
    ``bundled``: the bundled constraint set already loaded (its rivers name the water, its
    counties resolve the coverage), else loaded here.
    """
    template = template if isinstance(template, Template) else get_template(template)
    fields, values, constants = dict(fields or {}), _values(values), dict(constants or {})
    constants = {k: v for k, v in constants.items() if v is not None}
    _require_coverage(template, coverage, source)
    frame, label, file = core.read_source(
        source, layer=layer, where=where, encoding=encoding, crs=crs, template=template
    )
    report = [
        f"read {len(frame)} features from {file}"
        + (f" layer {label}" if label else "")
        + (f" where {where}" if where else "")
        + f" ({frame.crs.to_string()})"
    ]
    core.check_region(frame, file, label)
    read = len(frame)
    frame, repaired, dropped = core.polygons(frame, file, label)
    counts = {"read": read, "repaired": repaired, "dropped": dropped}
    report.append(f"repaired {repaired} invalid polygon(s) with make_valid")
    if dropped:
        report.append(f"dropped {dropped} feature(s) with no area (empty or null geometry)")
    frame = to_cgcs2000(frame, datum_shift, file, layer=label, assumed_accuracy_m=assume_accuracy_m)
    if assume_accuracy_m is not None:
        constants["accuracy_m"] = assume_accuracy_m  # the accuracy the planner vouches for, in every face
    frame = core.to_storage(frame)
    frame, used = core.map_fields(frame, template, fields, constants, file, label)
    report.append("fields: " + ", ".join(f"{k} ← {v}" for k, v in used.items()) if used else "fields: none mapped")
    id_column = next(
        (c for c in ("parcel_id", "block_id", "reserve_id", "park_id", "name_zh") if c in frame.columns), None
    )
    frame, _ = core.map_values(frame, template, values, file, label, id_column)
    bundled = bundled if bundled is not None else load_constraints()
    river_lines, extra = _rivers(rivers, bundled)
    accuracy, accuracy_how = core.accuracy_from(constants, file, label)
    if np.isnan(accuracy):
        logger.warning("%s: accuracy not stated: pass --constant accuracy_m=METRES or --constant scale=1:10000", file)
    report.append(f"accuracy_m: {accuracy_how}" + ("" if np.isnan(accuracy) else f" ({accuracy:g} m)"))
    if template.name == "dltb":
        extra.append(_landuse(frame, template, constants, _label(source, label, constants), accuracy, file, label))
        report.append(f"landuse: every patch, {len(extra[-1].frame)} written to layer landuse (the 压占分析 by 地类)")
    frame, river_report, (complete, zh, en) = _name_rivers(
        frame, template, river_lines, values, codes, id_column, file, label
    )
    report += river_report
    if template.target == "shoreline_zones":
        frame, report_lines = _shoreline_water(frame, template, water_frame)
        report += report_lines
        frame, _, _ = core.polygons(frame, file, label)  # the unions stay valid in lon/lat
    frame = core.common_fields(frame, constants, _label(source, label, constants), accuracy, file, label)
    frame = frame.reset_index(drop=True)
    coverage_text, coverage_geom, how = _coverage(template, coverage, frame, source, file, bundled.layers["counties"])
    report.append(f"coverage: {coverage_text} ({how})")
    metadata = {
        **_described(template, _label(source, label, constants), constants, accuracy, accuracy_how),
        "coverage": coverage_text,
        "complete_classes": complete or "",
        "completeness_zh": zh,
        "completeness_en": en,
    }
    for item in extra:
        item.metadata["coverage"] = coverage_text
        item.coverage_geometry = coverage_geom
    report.append(f"wrote {len(frame)} features to layer {template.target}")
    counts["written"] = len(frame)
    return ImportResult(template.target, frame, metadata, report, coverage_geom, extra, counts)


def _landuse(frame, template, constants, source_label: str, accuracy: float, file, layer) -> ImportResult:
    """Every 图斑 of a DLTB as the ``landuse`` layer (SCHEMA.md): 地类编码/名称, 权属, 图斑编号;
    the code normalised as the water classification reads it, the name from the code where blank."""
    codes = water.land_codes(frame, template)
    by_code = {code: name for name, code in template.names.items()}
    names = _column(frame, "DLMC")
    names = names.where(names != "", codes.map(by_code).fillna(""))
    landuse = gpd.GeoDataFrame(
        {
            "dlbm": codes.to_numpy(dtype=object),
            "dlmc": names.to_numpy(dtype=object),
            "qsxz": _column(frame, "QSXZ").to_numpy(dtype=object),
            "qsdwmc": _column(frame, "QSDWMC").to_numpy(dtype=object),
            "tbbh": _column(frame, "TBBH").to_numpy(dtype=object),
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    landuse = core.common_fields(landuse, constants, source_label, accuracy, file, layer).reset_index(drop=True)
    spec = LAYERS["landuse"]
    metadata = {
        "layer": "landuse",
        "title_zh": spec.title_zh,
        "title_en": spec.title_en,
        "source": source_label,
        "licence": str(constants.get("licence", "as delivered; not stated")),
        "date": str(constants.get("date", "not stated")),
        "method": f"chuannan-gis layers import --template {template.name}: every 地类图斑 as delivered",
        "data_status": str(constants.get("data_status", "official")),
        "accuracy_m": accuracy,
        "complete_classes": "",
        "completeness_zh": "三调地类图斑全部入库（覆盖范围内无缝覆盖）。",
        "completeness_en": "Every 三调 land-use patch (wall-to-wall inside the coverage).",
    }
    return ImportResult("landuse", landuse, metadata, [f"landuse: {len(landuse)} patches"])


def _column(frame, name: str) -> pd.Series:
    """A delivered text column, stripped, "" where missing or empty."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    column = frame[name].astype(object)
    return column.where(column.notna(), "").astype(str).str.strip()


def _require_coverage(template, coverage, source) -> None:
    if template.coverage == "required" and not coverage:
        raise LayerError(
            f"template {template.name} needs --coverage: a {LAYERS[template.target].title_en.lower()} layer is sparse, "
            "so a place with no feature means 'none here' only where the bureau's data cover; without the area they "
            "cover, the import would wipe the bundled features everywhere else.  Give the counties or cities it covers "
            "(e.g. --coverage 江安县,翠屏区 or --coverage 宜宾市), `region`, or a polygon file",
            file=source,
        )


def _name_rivers(frame, template, river_lines, values, codes, id_column, file, label):
    """(frame with river_id and river_class where its layer has them, report lines, (complete
    classes, completeness zh, en)): DLTB patches classified as water (``water.classify``), any other
    layer's features given the river ids their values or the nearest line say."""
    complete, zh, en = template.complete_classes, template.completeness_zh, template.completeness_en
    if template.name == "dltb":
        frame, water_report = water.classify(frame, template, river_lines, codes, file, label)
        return frame, ["land-use codes:", *water.format_report(water_report)], (complete, zh, en)
    frame = core.river_ids(
        frame, river_lines, values, file, label, required=template.target == "shoreline_zones", id_column=id_column
    )
    if template.target == "water":
        _refuse_unnamed_classes(frame, file, label)
        complete = ",".join(sorted(set(frame["river_class"])))
    zh = zh or "按主管部门交付的数据入库；覆盖范围内的完整性以交付方为准。"
    en = en or "As delivered by the bureau; complete within its coverage as far as the bureau says."
    return frame, [], (complete, zh, en)


def _refuse_unnamed_classes(frame, file, label) -> None:
    """Only a tributary may be unnamed: water of another class needs its river_id."""
    bad = frame["river_id"].isna() & (frame["river_class"] != "tributary")
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())
        raise LayerError(
            f"{len(rows)} feature(s) of class {frame['river_class'].iloc[rows[0]]} with no river_id "
            "(only a tributary may be unnamed)",
            file=file,
            layer=label,
            feature=f"#{rows[0] + 1}",
            field="river_id",
        )


def _described(template, source_label: str, constants: dict, accuracy: float, accuracy_how: str) -> dict:
    """The ``layer_metadata`` row's description of an imported layer: title, source, licence, date, method."""
    return {
        "layer": template.target,
        "title_zh": LAYERS[template.target].title_zh,
        "title_en": LAYERS[template.target].title_en,
        "source": source_label,
        "licence": str(constants.get("licence", "as delivered; not stated")),
        "date": str(constants.get("date", "not stated")),
        "method": f"chuannan-gis layers import --template {template.name} ({template.standard.strip()}); "
        f"accuracy: {accuracy_how}",
        "data_status": str(constants.get("data_status", "official")),
        "accuracy_m": accuracy,
    }


def _label(source, layer, constants) -> str:
    if constants.get("source"):
        return str(constants["source"])
    name = Path(str(source)).name
    return f"{name}:{layer}" if layer and layer != Path(str(source)).stem else name


def parse_values(texts) -> dict:
    """{field: {source value: code}} from strings FIELD:SOURCE_VALUE=CODE (``--value``'s syntax).

    >>> parse_values(["zone:保护岸段=protection", "bank:北岸=left"])
    {'zone': {'保护岸段': 'protection'}, 'bank': {'北岸': 'left'}}
    """
    return _values(list(texts or ()))


def _values(values) -> dict:
    """{field: {source: code}} from a dict or from CLI strings FIELD:SOURCE_VALUE=CODE."""
    if isinstance(values, dict):
        return {f: {str(k): v for k, v in m.items()} for f, m in values.items()}
    out: dict = {}
    for text in values or ():
        name, sep, rest = str(text).partition(":")
        source, sep2, code = rest.rpartition("=")
        if not sep or not sep2 or not name.strip() or not source.strip():
            raise LayerError(f"--value {text!r}: expected FIELD:SOURCE_VALUE=CODE, e.g. zone:岸线保护区=protection")
        out.setdefault(name.strip(), {})[source.strip()] = code.strip()
    return out


def _rivers(rivers, bundled) -> tuple[gpd.GeoDataFrame, list[ImportResult]]:
    """The river lines that name water: the planner's file (also written as `rivers`), else the bundled ones."""
    if rivers is None:
        return bundled.layers["rivers"], []
    template = Template(
        name="rivers",
        target="rivers",
        title_zh="河流中心线",
        title_en="River centrelines",
        standard="the planner's river lines (assumed field names)",
        standard_checked=False,
        layer_names=("rivers", "HL", "河流"),
        coverage="infer",
        fields={
            "river_id": {"aliases": ["river_id", "HLBM", "河流编码", "HLDM"], "required": True},
            "name_zh": {"aliases": ["name_zh", "HLMC", "河流名称", "名称", "NAME"], "required": False},
            "river_class": {"aliases": ["river_class", "river_clas", "HLDJ", "河流等级", "等级"], "required": True},
        },
        values={"river_class": load_templates()["water"].values["river_class"]},
    )
    frame, label, file = core.read_source(rivers, template=template)
    geoms = frame.geometry.geom_type.dropna().unique()
    if set(geoms) - {"LineString", "MultiLineString"}:
        raise LayerError(f"river lines must be lines, found {', '.join(geoms)}", file=file, layer=label)
    frame = core.to_storage(frame)
    frame, _ = core.map_fields(frame, template, {}, {}, file, label)
    frame, _ = core.map_values(frame, template, {}, file, label, "river_id")
    frame["name_zh"] = frame["name_zh"] if "name_zh" in frame.columns else frame["river_id"]
    frame["name_en"] = frame.get("name_en", frame["river_id"])
    for column in ("basin_km2", "half_width_m"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame.columns else np.nan
    frame["geometry"] = [
        shapely.MultiLineString(list(shapely.get_parts(g))) if g is not None else None
        for g in shapely.line_merge(np.asarray(frame.geometry.values))
    ]
    frame = frame.set_geometry("geometry", crs=STORAGE_CRS)
    frame = core.common_fields(frame, {}, Path(str(rivers)).name, np.nan, file, label)
    meta = {
        "layer": "rivers",
        "title_zh": "河流中心线",
        "title_en": "River centrelines",
        "source": Path(str(rivers)).name,
        "licence": "as delivered; not stated",
        "date": "not stated",
        "method": "the planner's river lines (--rivers)",
        "data_status": "official",
        "accuracy_m": np.nan,
        "complete_classes": "",
        "completeness_zh": "",
        "completeness_en": "",
    }
    return frame, [
        ImportResult("rivers", frame.reset_index(drop=True), meta, [f"river lines: {len(frame)} from {file}"])
    ]


def _shoreline_water(frame, template, water_frame):
    if water_frame is None or len(water_frame) == 0:
        logger.warning(
            "shoreline zones: no supplied water (import dltb/water first, or pass --water): the zones stay "
            "land strips, so a wharf on the water lies in none"
        )
        return frame, ["water: none supplied; zones kept as land strips (a wharf on the water lies in none)"]
    out, rep = shoreline.add_water(frame, water_frame, template.options)
    return out, [
        f"water split at its medial axis: {rep['zones_extended']} zone(s) extended over "
        f"{rep['assigned_m2'] / 1e6:.3f} km² of water; {rep['unzoned_m2'] / 1e6:.3f} km² of nearby water "
        f"has no zone within {template.options.get('max_gap_m', 200)} m of its edge"
    ]


def _coverage(template, coverage, frame, source, file, region):
    """(coverage text, polygon or None, how it was decided); ``region``: the bundled counties."""
    if coverage:
        text, polygon = coverage_option(coverage, region)
        return text, polygon, f"the polygon of {coverage}" if polygon is not None else "as given"
    # wall-to-wall layers only (dltb): a delivered XZQ layer, else the counties the patches cover
    path = Path(str(source))
    names = {n.lower(): n for n in list_layer_names(path)} if path.exists() else {}
    xzq = next((names[n.lower()] for n in template.coverage_layer_names if n.lower() in names), None)
    if xzq is not None:
        table = pyogrio.read_dataframe(path, layer=xzq, read_geometry=False)
        column = core.find_column(table.columns, ["XZQDM", "行政区代码", "XZQHDM", "adcode"])
        if column is not None:
            codes = sorted({str(v)[:6] for v in table[column].dropna()} & set(region["adcode"].astype(str)))
            if codes:
                text = coverage_code(codes, region)
                return text, None, f"inferred from the delivered {xzq} layer ({describe_counties(codes, region)})"
    share = float(template.options.get("cover_share", 0.95))
    surveyed = shapely.union_all(shapely.buffer(np.asarray(frame.to_crs("EPSG:4544").geometry.values), 0.5))
    measured = region.to_crs("EPSG:4544")
    covered = [
        str(a)
        for a, g in zip(measured["adcode"], measured.geometry.values, strict=True)
        if shapely.intersection(g, surveyed).area >= share * g.area
    ]
    if not covered:
        raise LayerError(
            f"cannot infer the coverage: the source has no XZQ (行政区) layer and its patches cover no "
            f"county of 川南 to {share:.0%}; pass --coverage (e.g. --coverage 江安县)",
            file=file,
        )
    text = coverage_code(covered, region)
    return text, None, f"inferred: the counties its patches cover to {share:.0%} ({describe_counties(covered, region)})"


# --- MAP.yaml -----------------------------------------------------------------------------------
def read_map(path) -> list[dict]:
    """The entries of a MAP.yaml (a list, or {layers: [...]}); relative sources are relative to the file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise LayerError(f"not valid YAML: {err}", file=path) from err
    entries = raw.get("layers", raw.get("imports")) if isinstance(raw, dict) else raw
    if not isinstance(entries, list) or not entries:
        raise LayerError(
            "a MAP.yaml is a list of entries (or `layers:` with one), each with template and source", file=path
        )
    out = []
    for number, raw_entry in enumerate(entries, 1):
        if not isinstance(raw_entry, dict) or "template" not in raw_entry or "source" not in raw_entry:
            raise LayerError("each entry needs `template` and `source`", file=path, feature=f"entry {number}")
        unknown = set(raw_entry) - set(MAP_KEYS)
        if unknown:
            raise LayerError(
                f"unknown key(s) {', '.join(sorted(unknown))}; keys: {', '.join(MAP_KEYS)}",
                file=path,
                feature=f"entry {number}",
            )
        entry = dict(raw_entry)
        for key in ("source", "rivers", "water"):
            if entry.get(key) and not Path(str(entry[key])).is_absolute():
                entry[key] = str(path.parent / str(entry[key]))
        if entry.get("coverage") and Path(path.parent / str(entry["coverage"])).exists():
            entry["coverage"] = str(path.parent / str(entry["coverage"]))
        out.append(entry)
    return out


def import_source(
    template,
    source,
    output,
    *,
    layer=None,
    coverage=None,
    fields=None,
    values=None,
    constants=None,
    where=None,
    crs=None,
    encoding=None,
    rivers=None,
    water=None,
    codes=None,
    datum_shift=None,
    assume_accuracy_m=None,
) -> tuple[list[ImportResult], list[str]]:
    """Import one delivered source with a template into GeoPackage ``output``: ``layers import
    --template NAME SOURCE -o OUT`` and the QGIS plugin's *Import official layers*.

    The options are those of a MAP.yaml entry (:func:`import_layer`; ``water``: the water a
    shoreline plan is split over, default the output's).  Returns (results, warnings) as
    :func:`import_entries`, which it calls with this one entry.
    """
    entry = {
        "template": template,
        "source": source,
        "layer": layer,
        "coverage": coverage,
        "fields": fields,
        "values": values,
        "constants": constants,
        "where": where,
        "crs": crs,
        "encoding": encoding,
        "rivers": rivers,
        "water": water,
        "codes": codes,
        "datum_shift": datum_shift,
        "assume_accuracy_m": assume_accuracy_m,
    }
    return import_entries([entry], output)


def import_entries(entries: list[dict], output, *, bundled=None) -> tuple[list[ImportResult], list[str]]:
    """Import every entry (in order: a shoreline entry uses the water imported before it, or OUT's) and write OUT.

    The bundled constraint set is loaded once (unless given as ``bundled``) and handed to every
    import and to the validation of what is written."""
    results = []
    bundled = bundled if bundled is not None else load_constraints()
    for entry in entries:
        if Path(str(entry["source"])).resolve() == Path(output).resolve():
            raise LayerError(
                "the output is the source: an import never modifies its input; write another file", file=output
            )
        options = {
            k: entry.get(k)
            for k in (
                "layer",
                "coverage",
                "fields",
                "values",
                "constants",
                "where",
                "crs",
                "encoding",
                "rivers",
                "codes",
                "datum_shift",
                "assume_accuracy_m",
            )
        }
        water_frame = _supplied_water(entry.get("water"), results, output)
        results.append(
            import_layer(entry["template"], entry["source"], water_frame=water_frame, bundled=bundled, **options)
        )
    return results, write_layers(results, output, bundled=bundled)


def _supplied_water(path, results, output):
    if path:
        return gpd.read_file(path, engine="pyogrio", layer="water" if str(path).endswith(".gpkg") else None)
    for result in reversed(results):
        if result.layer == "water":
            return result.frame
    out = Path(output)
    if out.exists() and "water" in set(list_layer_names(out)):
        return gpd.read_file(out, layer="water", engine="pyogrio")
    return None


# --- writing ------------------------------------------------------------------------------------
def write_layers(results: list[ImportResult], output, *, bundled=None) -> list[str]:
    """Write the imported layers into GeoPackage ``output`` atomically; return the warnings.

    An existing ``output`` keeps its other layers; a same-named layer is replaced (warned).  The
    set is validated (over ``bundled``, the bundled set if already loaded) before it replaces anything.
    """
    output = Path(output)
    if output.suffix.lower() != ".gpkg":
        raise LayerError("the output must be a GeoPackage (.gpkg)", file=output)
    flat = [item for r in results for item in (r, *r.extra)]
    existing = set(list_layer_names(output)) if output.exists() else set()
    names = [r.layer for r in flat]
    warnings = _replaced(names, existing, output)
    for text in warnings:
        logger.warning(text)
    with atomic_output(output) as tmp:
        if output.exists():
            shutil.copyfile(output, tmp)
        for result in flat:
            _write_layer(result, tmp)
        _write_metadata(flat, tmp, output, names, existing)
        _write_coverage(flat, tmp, output, names, existing)
        _refuse_invalid(tmp, output, bundled)
    return warnings


def _replaced(names: list[str], existing: set, output: Path) -> list[str]:
    """Warnings for the layers of ``output`` replaced; LayerError when two entries write one layer."""
    warnings = []
    for name in sorted(set(names)):
        if names.count(name) > 1:
            raise LayerError(
                f"two entries write layer {name}; merge their sources or import them into separate sets",
                file=output,
                layer=name,
            )
        if name in existing:
            warnings.append(f"layer {name} replaced in {output} (the others kept)")
    return warnings


def _write_layer(result: ImportResult, tmp: Path) -> None:
    frame = result.frame
    if not frame.crs.equals(STORAGE_CRS):  # imports store in EPSG:4490 already (core.to_storage)
        frame = frame.set_geometry(frame.geometry.to_crs(STORAGE_CRS))
    pyogrio.write_dataframe(
        frame,
        tmp,
        layer=result.layer,
        driver="GPKG",
        geometry_type=LAYERS[result.layer].geometry,
        promote_to_multi=True,
    )


def _write_metadata(flat: list[ImportResult], tmp: Path, output: Path, names: list[str], existing: set) -> None:
    """``layer_metadata``: the imported layers' rows, after the kept rows of the layers not replaced."""
    meta = pd.DataFrame([r.metadata for r in flat])
    if METADATA_TABLE in existing:
        old = pyogrio.read_dataframe(output, layer=METADATA_TABLE, read_geometry=False)
        meta = pd.concat([old[~old["layer"].isin(names)], meta], ignore_index=True)
    columns = [*METADATA_FIELDS, "coverage"] + [c for c in meta.columns if c not in (*METADATA_FIELDS, "coverage")]
    meta = meta.reindex(columns=columns)
    for column in meta.columns:
        if column != "accuracy_m":
            meta[column] = meta[column].astype(object).where(meta[column].notna(), "").astype(str)
    pyogrio.write_dataframe(meta, tmp, layer=METADATA_TABLE, driver="GPKG")


def _write_coverage(flat: list[ImportResult], tmp: Path, output: Path, names: list[str], existing: set) -> None:
    """``layer_coverage``: the polygon coverages of the imported layers, beside the kept ones."""
    polygons = [(r.layer, r.coverage_geometry) for r in flat if r.coverage_geometry is not None]
    if not polygons and COVERAGE_LAYER not in existing:
        return
    old = (
        gpd.read_file(output, layer=COVERAGE_LAYER, engine="pyogrio")
        if COVERAGE_LAYER in existing
        else gpd.GeoDataFrame({"layer": []}, geometry=[], crs=STORAGE_CRS)
    )
    new = gpd.GeoDataFrame({"layer": [n for n, _ in polygons]}, geometry=[g for _, g in polygons], crs=STORAGE_CRS)
    cover = pd.concat([old[~old["layer"].isin(names)].to_crs(STORAGE_CRS), new], ignore_index=True)
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(cover, crs=STORAGE_CRS),
        tmp,
        layer=COVERAGE_LAYER,
        driver="GPKG",
        geometry_type="MultiPolygon",
        promote_to_multi=True,
    )


def _refuse_invalid(tmp: Path, output: Path, bundled) -> None:
    """LayerError listing the first problems when the written set does not validate (nothing is written)."""
    problems = validate(tmp, bundled=bundled)
    if problems:
        listed = "; ".join(str(p).replace(str(tmp), str(output)) for p in problems[:5])
        more = f" … and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise LayerError(f"the imported set does not validate, nothing written: {listed}{more}", file=output)


def describe_templates() -> list[dict]:
    """What `chuannan-gis layers templates` prints: per template its target, fields, codes and standard."""
    rows = []
    for t in load_templates().values():
        rows.append(
            {
                "name": t.name,
                "target": t.target,
                "title": f"{t.title_zh} {t.title_en}",
                "coverage": "inferred (XZQ layer or covered counties)"
                if t.coverage == "infer"
                else "--coverage required",
                "fields": {
                    n: {"aliases": s.get("aliases", []), "required": bool(s.get("required")), "help": s.get("help", "")}
                    for n, s in t.fields.items()
                },
                "values": t.values,
                "codes": t.codes,
                "standard": t.standard.strip(),
                "standard_checked": t.standard_checked,
                "options": t.options,
            }
        )
    return rows


__all__ = [
    "ImportResult",
    "describe_templates",
    "import_entries",
    "import_layer",
    "import_source",
    "load_templates",
    "parse_fields",
    "parse_values",
    "read_map",
    "resolve_coverage",
    "write_layers",
]
