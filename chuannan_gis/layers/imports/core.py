"""Reading a bureau's delivered layer and turning it into a schema layer: the steps every template shares.

Reading (any OGR source, File Geodatabase folders included; GBK shapefiles without ``.cpg``
detected as for proposals; mojibake refused), the CRS (declared or given; zone-prefixed eastings
under a CRS without the prefix, and the reverse, caught and named), field and value mapping
(template aliases, 10-character DBF truncations, Chinese values, the planner's ``--field`` and
``--value``), geometry repair (``make_valid``) and the common fields of SCHEMA.md.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml

from ...crs import STORAGE_CRS, declare_crs
from ...errors import CRSError, LayerCRSError, LayerError
from ...files import blank_values
from ..read import describe_layers, list_layer_names, read_vector_layer
from ..schema import DATA_STATUSES, LAYERS, NULLABLE_VOCAB

logger = logging.getLogger(__name__)

# Positional accuracy from a source's scale: 0.5 mm on the map (the customary plane error of a
# well-defined point on plains and hills; hills and mountains are worse), e.g. 1:10 000 → 5 m.
SCALE_ACCURACY_MM = 0.5
MAX_LISTED = 5  # problems listed per field; the message gives the true count


@dataclass(frozen=True)
class Template:
    name: str
    target: str
    title_zh: str
    title_en: str
    standard: str
    standard_checked: bool
    layer_names: tuple[str, ...]
    # "required" | "infer"; not written in the template: required for a sparse target layer
    # (LayerSpec.sparse, the one source), else infer (see template_coverage)
    coverage: str
    fields: dict = field(default_factory=dict)  # output field → {aliases, required, help}
    values: dict = field(default_factory=dict)  # output field → {source value: code}
    codes: dict = field(default_factory=dict)  # dltb: land-use code → {name, rule, why}
    names: dict = field(default_factory=dict)  # dltb: DLMC → DLBM
    options: dict = field(default_factory=dict)
    coverage_layer_names: tuple[str, ...] = ()
    complete_classes: str = ""
    completeness_zh: str = ""
    completeness_en: str = ""


def _template_dir():
    return resources.files("chuannan_gis").joinpath("layers", "imports", "templates")


def load_templates() -> dict[str, Template]:
    """The built-in templates by name (one YAML each in ``layers/imports/templates``)."""
    templates = {}
    for entry in sorted(_template_dir().iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
        raw["layer_names"] = tuple(raw.get("layer_names", ()))
        raw["coverage_layer_names"] = tuple(raw.get("coverage_layer_names", ()))
        raw["codes"] = {str(k): v for k, v in (raw.get("codes") or {}).items()}
        raw["values"] = {f: {str(k): v for k, v in m.items()} for f, m in (raw.get("values") or {}).items()}
        raw["coverage"] = template_coverage(raw["target"], raw.get("coverage"))
        templates[raw["name"]] = Template(**raw)
    return templates


def template_coverage(target: str, stated: str | None) -> str:
    """How a template's import gets its coverage: ``required`` (--coverage) or ``infer``.

    A sparse layer (:attr:`LayerSpec.sparse`) always needs it stated: its features' extent says
    nothing about where the bureau's data cover.  A template for a wall-to-wall layer infers it
    unless it says ``coverage: required`` (a water layer delivered as river polygons only, not as
    wall-to-wall land-use patches)."""
    if target not in LAYERS:
        raise LayerError(f"template for unknown layer {target!r}; layers: {', '.join(LAYERS)}")
    if LAYERS[target].sparse:
        if stated not in (None, "required"):
            raise LayerError(f"layer {target} is sparse: its templates cannot say coverage: {stated}")
        return "required"
    return stated or "infer"


def get_template(name: str) -> Template:
    templates = load_templates()
    if name not in templates:
        raise LayerError(
            f"no template {name!r}; templates: {', '.join(templates)} (`chuannan-gis layers templates` lists them)"
        )
    return templates[name]


# --- reading (through chuannan_gis.layers.read) -------------------------------------------------
def found_layers(path: Path) -> str:
    """'DLTB (MultiPolygon, EPSG:4523, 12 features); XZQ (…)' for an error message."""
    return "; ".join(str(found) for found in describe_layers(path)) or "none"


def choose_layer(path: Path, layer: str | None, names: tuple[str, ...], template: str) -> str | None:
    """The layer of ``path`` to read: ``layer``, else the one named as the template expects, else the only one."""
    found = list_layer_names(path)
    if layer is not None:
        if layer not in found:
            raise LayerError(f"no layer {layer!r}; the source has: {found_layers(path)}", file=path, layer=layer)
        return layer
    by_folded = {n.lower(): n for n in found}
    for candidate in names:
        if candidate.lower() in by_folded:
            return by_folded[candidate.lower()]
    geometric = list_layer_names(path, geometric=True)
    if len(geometric) == 1:
        return geometric[0]
    raise LayerError(
        f"which layer? template {template} looks for {', '.join(names)}; the source has: "
        f"{found_layers(path)}; pass --layer NAME",
        file=path,
    )


_NO_CRS = (
    "the layer has no CRS (no .prj); pass --crs, e.g. EPSG:4523 (CGCS2000 GK zone 35 with the "
    "zone prefix, eastings like 35 500 000) or EPSG:4544 (CM 105°E without it)"
)


def read_source(source, *, layer=None, where=None, encoding=None, crs=None, template: Template) -> tuple:
    """(frame in its own CRS, the layer read, the file read) for one delivered source.

    Read by :func:`chuannan_gis.layers.read.read_vector_layer`: GBK shapefiles without ``.cpg``
    detected, mojibake and Gauss-Krüger zone-prefix mistakes refused, ``--crs`` declared.
    """
    path = Path(source)
    if not path.exists():
        raise LayerError("no such file or folder", file=path)
    chosen = choose_layer(path, layer, template.layer_names, template.name)
    file = path
    if path.is_dir() and path.suffix.lower() != ".gdb" and chosen and (path / f"{chosen}.shp").exists():
        file, chosen = path / f"{chosen}.shp", None  # a folder of shapefiles: read the one file
    label = chosen or Path(file).stem
    frame = read_vector_layer(file, chosen, encoding=encoding, name=label, where=where, crs=crs)
    frame = declare_crs(frame, None, file=file, layer=label, missing=_NO_CRS)
    return frame, label, file


def check_region(frame: gpd.GeoDataFrame, file, layer) -> None:
    """Refuse coordinates that cannot lie in 川南经济区 in the declared CRS (the proposals check)."""
    from ...io import check_coordinates

    try:
        check_coordinates(frame, file)
    except CRSError as err:
        raise LayerCRSError(err.message, file=file, layer=layer, feature=err.feature, field="geometry") from err


# --- fields and values --------------------------------------------------------------------------
def find_column(columns, aliases) -> str | None:
    """The column named by one of ``aliases`` (any case; also its 10-character DBF truncation)."""
    by_folded = {str(c).strip().lower(): c for c in columns if c != "geometry"}
    for alias in aliases:
        for candidate in (str(alias), str(alias)[:10]):
            if candidate.lower() in by_folded:
                return by_folded[candidate.lower()]
    return None


def map_fields(frame: gpd.GeoDataFrame, template: Template, field_map: dict, constants: dict, file, layer):
    """Add the template's output fields from their source columns; keep the delivered ones beside them.

    Returns (frame, {output field: source column or 'constant'}).
    """
    unknown = set(field_map) - set(template.fields) - set(LAYERS[template.target].fields)
    if unknown:
        raise LayerError(
            f"cannot map {', '.join(sorted(unknown))}: template {template.name} has fields "
            f"{', '.join(template.fields)}",
            file=file,
            layer=layer,
        )
    out = frame.copy()
    used = {}
    for name, spec in template.fields.items():
        if name in constants:
            used[name] = "constant"
            continue
        column = field_map.get(name)
        if column is not None and column not in frame.columns:
            raise LayerError(
                f"mapped field {column!r} not found; fields: {_columns(frame)}", file=file, layer=layer, field=name
            )
        column = column or find_column(frame.columns, [name, *spec.get("aliases", [])])
        if column is None:
            if spec.get("required"):
                raise LayerError(
                    f"no field for {name} ({spec.get('help', '')}); looked for "
                    f"{', '.join(spec.get('aliases', []))}; fields: {_columns(frame)}; map it with "
                    f"--field {name}=SOURCE_FIELD or set --constant {name}=VALUE",
                    file=file,
                    layer=layer,
                    field=name,
                )
            continue
        used[name] = column
    # Delivered columns whose names clash (case-insensitively: SQLite) with an output field move aside.
    outputs = {
        n.lower()
        for n in (
            *template.fields,
            *LAYERS[template.target].fields,
            "data_status",
            "accuracy_m",
            "source",
            "date",
            "fid",
        )
    }
    aside = {
        c: f"src_{c}" for c in frame.columns if c != "geometry" and str(c).lower() in outputs and used.get(str(c)) != c
    }
    out = out.rename(columns=aside)
    for name, column in used.items():
        if column == "constant":
            out[name] = constants[name]
        else:
            out[name] = out[aside.get(column, column)]
    for name, value in constants.items():
        if name not in used:
            out[name] = value
    # An optional field the delivery lacks (red lines without BSM or HXLX): ids from the row, the
    # rest empty, so the layer is read rather than refused; vocabulary fields are never guessed.
    spec = LAYERS[template.target]
    for name, field_spec in template.fields.items():
        if name in out.columns or name in spec.vocab or field_spec.get("required") or name not in spec.fields:
            continue
        if name.endswith("_id"):
            out[name], used[name] = np.arange(1, len(out) + 1), "row number"
        else:
            out[name], used[name] = None, "empty (not delivered)"
    return out, used


def _columns(frame) -> str:
    return ", ".join(str(c) for c in frame.columns if c != "geometry") or "none"


def _blank(series: pd.Series) -> np.ndarray:
    """Blank (:func:`chuannan_gis.io.blank_values`), or a missing value written out as text ('nan', 'None')."""
    return blank_values(series) | series.astype(str).str.strip().isin(["nan", "None", "<NA>"]).to_numpy()


def map_values(
    frame: gpd.GeoDataFrame, template: Template, value_map: dict, file, layer, id_column=None
) -> tuple[gpd.GeoDataFrame, dict]:
    """Vocabulary fields as codes (template values, schema aliases, ``--value``); blanks and unknowns refused.

    Returns (frame, {field: {source value: count}} of the values mapped).
    """
    spec = LAYERS[template.target]
    mapped_counts = {}
    unknown_fields = set(value_map) - set(frame.columns)
    if unknown_fields:
        raise LayerError(
            f"--value for {', '.join(sorted(unknown_fields))}, which the layer does not have "
            f"(output fields: {', '.join(c for c in frame.columns if c != 'geometry')})",
            file=file,
            layer=layer,
        )
    for name in set(template.values) | set(spec.vocab) | set(value_map):
        if name not in frame.columns or name == "river_id":
            continue
        codes = {}
        for source in (template.values.get(name, {}), spec.aliases.get(name, {}), value_map.get(name, {})):
            codes.update({str(k).strip().lower(): v for k, v in source.items()})
        allowed = spec.vocab.get(name)
        codes.update({c: c for c in allowed or ()})
        raw = frame[name]
        text = raw.astype(str).str.strip()
        result = text.str.lower().map(codes)
        if allowed is None:  # a value map without a vocabulary: map what it knows, keep the rest
            frame[name] = result.where(result.notna(), raw)
            continue
        blank = _blank(raw)
        nullable = (template.target, name) in NULLABLE_VOCAB  # urban zones: a blank says "not stated"
        bad = (result.isna().to_numpy() & ~blank) | (blank & ~nullable)
        if bad.any():
            raise _value_error(frame, name, bad, blank, allowed, file, layer, id_column)
        mapped_counts[name] = text.value_counts().to_dict()
        frame[name] = result.where(~blank, None) if nullable else result
    return frame, mapped_counts


def _value_error(frame, name, bad, blank, allowed, file, layer, id_column):
    rows = np.flatnonzero(bad)
    listed = []
    for row in rows[:MAX_LISTED]:
        label = _feature(frame, row, id_column)
        value = "empty" if blank[row] else repr(frame[name].iloc[row])
        listed.append(f"{label}: {value}")
    more = f" … and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else ""
    what = "empty" if blank[rows].all() else "not recognised"
    return LayerError(
        f"{len(rows)} feature(s) with a value {what} ({'; '.join(listed)}{more}); allowed: "
        f"{', '.join(allowed)} (Chinese values as in `chuannan-gis layers templates`); map others with "
        f"--value {name}:SOURCE_VALUE=CODE",
        file=file,
        layer=layer,
        feature=_feature(frame, rows[0], id_column),
        field=name,
    )


def _feature(frame, row, id_column=None) -> str:
    ident = frame[id_column].iloc[row] if id_column and id_column in frame.columns else None
    ident = None if ident is None or (isinstance(ident, float) and math.isnan(ident)) else ident
    return f"#{row + 1}" + (f" ({ident})" if ident is not None else "")


def river_ids(
    frame: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame, value_map: dict, file, layer, required: bool, id_column=None
) -> gpd.GeoDataFrame:
    """``river_id`` from river names or ids (长江, Yangtze, yangtze) as the river lines name them."""
    if "river_id" not in frame.columns:
        return frame
    lookup = {}
    for row in rivers.itertuples():
        for key in (row.river_id, getattr(row, "name_zh", None), getattr(row, "name_en", None)):
            if isinstance(key, str) and key.strip():
                lookup[key.strip().lower()] = row.river_id
    lookup.update({str(k).strip().lower(): v for k, v in value_map.get("river_id", {}).items()})
    raw = frame["river_id"]
    blank = _blank(raw)
    ids = raw.astype(str).str.strip().str.lower().map(lookup)
    bad = (~blank & ids.isna().to_numpy()) | (blank & required)
    if bad.any():
        known = ", ".join(f"{r.river_id} ({getattr(r, 'name_zh', '')})" for r in rivers.itertuples())
        raise _value_error(
            frame, "river_id", bad, blank, [f"a river of the river lines: {known}"], file, layer, id_column
        )
    frame["river_id"] = ids.where(~pd.Series(blank, index=frame.index), None)
    return frame


# --- geometry and common fields -----------------------------------------------------------------
def polygons(frame: gpd.GeoDataFrame, file, layer) -> tuple[gpd.GeoDataFrame, int, int]:
    """Repair invalid polygons with make_valid, keep their polygonal parts as MultiPolygons.

    Returns (frame, repaired count, dropped count: features with no area left or no geometry).
    """
    geoms = np.asarray(frame.geometry.values)
    types = set(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]).tolist())
    if types - {3, 6, 7}:  # Polygon, MultiPolygon, GeometryCollection
        kinds = sorted(set(frame.geometry.geom_type.dropna()))
        raise LayerError(
            f"the layer holds {', '.join(kinds)}; this template needs polygons",
            file=file,
            layer=layer,
            field="geometry",
        )
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    repaired = geoms.copy()
    repaired[invalid] = shapely.make_valid(geoms[invalid])
    out = []
    for geom in repaired:
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        parts = [q for p in parts for q in shapely.get_parts(p) if q.area > 0]
        out.append(shapely.MultiPolygon(parts) if parts else None)
    keep = np.array([g is not None for g in out], dtype=bool)
    frame = frame.set_geometry(gpd.GeoSeries(out, index=frame.index, crs=frame.crs))
    return frame[keep].copy(), int(invalid.sum()), int((~keep).sum())


def accuracy_from(constants: dict, file, layer) -> tuple[float, str]:
    """(accuracy_m, how it was obtained) from --constant accuracy_m=… or scale=1:10000."""
    if constants.get("accuracy_m") not in (None, ""):
        try:
            return float(constants["accuracy_m"]), "stated"
        except ValueError as err:
            raise LayerError(
                f"accuracy_m {constants['accuracy_m']!r} is not a number of metres",
                file=file,
                layer=layer,
                field="accuracy_m",
            ) from err
    scale = constants.get("scale")
    if scale not in (None, ""):
        match = re.fullmatch(r"\s*(?:1\s*[:：/]\s*)?([\d,_ ]+)\s*", str(scale))
        if not match:
            raise LayerError(f"scale {scale!r}: expected 1:10000", file=file, layer=layer, field="scale")
        denominator = float(match.group(1).replace(",", "").replace("_", "").replace(" ", ""))
        metres = denominator * SCALE_ACCURACY_MM / 1000
        return metres, f"from the scale 1:{denominator:,.0f} × {SCALE_ACCURACY_MM} mm on the map = {metres:g} m"
    return float("nan"), "not stated"


def common_fields(frame: gpd.GeoDataFrame, constants: dict, label: str, accuracy_m: float, file, layer):
    status = str(constants.get("data_status", "official"))
    if status not in DATA_STATUSES:
        raise LayerError(
            f"data_status {status!r} is not one of {', '.join(DATA_STATUSES)}",
            file=file,
            layer=layer,
            field="data_status",
        )
    frame["data_status"] = status
    frame["accuracy_m"] = accuracy_m
    frame["source"] = str(constants.get("source") or label)
    frame["date"] = str(constants.get("date") or "not stated")
    for helper in ("scale",):
        if helper in frame.columns:
            frame = frame.drop(columns=helper)
    return frame


def to_storage(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame if frame.crs.equals(STORAGE_CRS) else frame.to_crs(STORAGE_CRS)
