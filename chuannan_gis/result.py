"""The Result of a check (SCHEMA.md "Result"): the one thing the report, web map and QGIS render.

``proposals`` (GeoDataFrame, EPSG:4490) has the input fields and the verdict columns;
``findings`` one row per proposal and fired rule; ``not_checked`` the rules that could not run
for lack of an optional layer; ``run_info`` the :class:`RunInfo` record of what was run with
what; ``overlaps`` the 压占分析 (area per proposal, layer and class).  ``Result.write`` stores
them in one GeoPackage, atomically; ``Result.read`` reads it back (a Result written before
``overlaps`` reads with that table empty).  A Result reopens what it was made with (:meth:`Result.constraint_set`,
:meth:`Result.catalog`): the objects the check held, or what its run record names.

The columns of the four tables are defined here and nowhere else.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ._atomic import atomic_output
from .errors import InputError, RuleError
from .verdicts import RANK, VERDICTS

logger = logging.getLogger(__name__)

# --- the columns of the Result (SCHEMA.md "Result"), defined once --------------------------------
# What the check adds to each proposal after its input fields.
VERDICT_COLUMNS = (
    "verdict",
    "verdict_zh",
    "county",
    "city",
    "district",
    "counties",
    "rule_ids",
    "summary_zh",
    "summary_en",
    "citations",
    "indicative",
    "certainty",
    "incomplete_layers",
    "not_covered_layers",
)
# Every column of `proposals` the Result owns: an input field of one of these names is kept as input_<name>.
PROPOSAL_COLUMNS = ("proposal_id", *VERDICT_COLUMNS)
FINDING_COLUMNS = [
    "proposal_id",
    "rule_id",
    "verdict",
    "measured",
    "unit",
    "threshold",
    "layer",
    "feature_id",
    "data_status",
    "accuracy_m",
    "citation",
    "message_zh",
    "message_en",
    "title_zh",
    "title_en",
    "advisory",
    "overlap_pct",
    "near",
    "certainty",
    "share_within_pct",
    "feature_count",
]
# The 压占分析: one row per proposal × layer × class it overlaps (engine/overlaps.py).
OVERLAP_COLUMNS = [
    "proposal_id",
    "layer",
    "class_field",
    "class_value",
    "class_label",  # the class's readable name (a 地类's 地类名称); the value itself for other layers
    "feature_ids",
    "area_ha",
    "area_mu",
    "share_pct",
]
_FLOAT_OVERLAP_COLUMNS = ("area_ha", "area_mu", "share_pct")
NOT_CHECKED_COLUMNS = ["rule_id", "layer", "title_zh", "title_en", "reason_zh", "reason_en"]
# The proposals' layer-note columns and the suffix of the advisory findings rows (``rule_id``
# ``<layer><suffix>``) that Results written before them stored instead, one per proposal and layer.
LAYER_NOTE_SUFFIXES = {"incomplete_layers": "_incomplete", "not_covered_layers": "_not_covered"}
TABLES = ("proposals", "findings", "not_checked", "run_info")
# Column types restored on read (GeoPackage stores booleans as integers, nullable ints as NULL).
_FINDING_TYPES = {
    "proposal_id": "int64",
    "feature_id": "Int64",
    "advisory": bool,
    "near": bool,
    "feature_count": "Int64",
}
_FLOAT_FINDING_COLUMNS = ("measured", "threshold", "accuracy_m", "overlap_pct", "share_within_pct")
# The separators of the run record before it was typed (kept readable).
_LEGACY_PATH_SEPARATOR, _LEGACY_LIST_SEPARATOR = "; ", ", "


@dataclass(frozen=True)
class LayerRecord:
    """One constraint layer as a run used it (SCHEMA.md ``run_info.layers``).

    ``status`` is ``official``, ``indicative`` or ``mixed`` (features of both); ``coverage`` what
    ``layer_metadata`` says (``region`` where it says nothing), ``coverage_zh``/``_en`` the same in
    words (county names and adcodes); ``sha256`` a hash of the layer's features as loaded
    (geometry and attributes), so a later run can tell which layer changed; ``completeness_zh``/
    ``_en`` what the layer is known to lack (said here once, not on every proposal: the proposals'
    ``incomplete_layers`` name the layers whose note applies there).  Records of older Results
    lack the fields after ``sha256`` (read as empty).
    """

    name: str
    status: str
    coverage: str
    source: str
    sha256: str
    title_zh: str = ""
    title_en: str = ""
    coverage_zh: str = ""
    coverage_en: str = ""
    completeness_zh: str = ""
    completeness_en: str = ""
    date: str = ""
    accuracy: str = ""  # layer_metadata accuracy_m (m) as stated there; "" when it states none


# run_info values that are structured: stored as JSON in the key/value table.
_JSON_KEYS = ("constraints_paths", "indicative_layers", "layers", "readings")


@dataclass
class RunInfo(Mapping):
    """What a check ran with (SCHEMA.md ``run_info``), as typed fields.

    It also reads as the key → value mapping it is stored as (``info["rules_sha256"]``,
    ``info.get(...)``, ``dict(info)``), so renderers list it without knowing every field.  Keys a
    later version adds are kept in ``extra`` and written back unchanged.  An empty string means
    "not known" (e.g. the hash of an input given as a GeoDataFrame).
    """

    tool_version: str = ""
    rules_path: str = ""
    rules_sha256: str = ""
    rules_text: str = ""
    constraints_paths: list[str] = field(default_factory=list)  # absolute, bundled file first
    constraints_overlay: str = ""  # the planner's set (--layers) as given, absolute; "" for none
    constraints_fingerprint: str = ""
    indicative_layers: list[str] = field(default_factory=list)
    layers: list[LayerRecord] = field(default_factory=list)
    readings: dict = field(default_factory=dict)
    input_path: str = ""
    input_sha256: str = ""
    time: str = ""
    extra: dict = field(default_factory=dict)

    # -- the mapping view ---------------------------------------------------------------------
    def _keys(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "extra"] + list(self.extra)

    def __getitem__(self, key: str):
        if key != "extra" and key in self._field_names():
            return getattr(self, key)
        return self.extra[key]

    def __iter__(self):
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    @classmethod
    def _field_names(cls) -> frozenset:
        return frozenset(f.name for f in fields(cls))

    # -- building and storing -----------------------------------------------------------------
    @classmethod
    def for_run(cls, catalog, constraints, frame) -> RunInfo:
        """The record of checking ``frame`` (normalised proposals) with ``catalog`` and ``constraints``."""
        from ._version import __version__

        paths = list(dict.fromkeys(_absolute(p) for p in constraints.paths.values()))
        overlay = getattr(constraints, "overlay", None)
        return cls(
            tool_version=__version__,
            rules_path=_absolute(catalog.path),
            rules_sha256=catalog.sha256,
            rules_text=catalog.text,
            constraints_paths=paths,
            constraints_overlay=_absolute(overlay) if overlay else "",
            constraints_fingerprint=constraints.fingerprint,
            indicative_layers=constraints.indicative_layers(),
            layers=layer_records(constraints),
            # the catalog's readings where the law is open; the catalog model may not carry them yet
            readings=dict(getattr(catalog, "readings", None) or {}),
            input_path=str(frame.attrs.get("source") or ""),
            input_sha256=str(frame.attrs.get("sha256") or ""),
            time=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )

    @classmethod
    def from_dict(cls, values: Mapping) -> RunInfo:
        """A record from its key → value form: as stored (strings, JSON), as held in memory, or as
        Results before the typed record stored it (``constraints_path``: ``"; "``-joined paths,
        ``indicative_layers``: ``", "``-joined)."""
        if isinstance(values, RunInfo):
            return values
        values = dict(values)
        legacy = "constraints_path" in values and "constraints_paths" not in values
        if legacy:
            values["constraints_paths"] = _split(values.pop("constraints_path"), _LEGACY_PATH_SEPARATOR)
        known = cls._field_names() - {"extra"}
        typed = {key: _typed(key, values[key]) for key in known if key in values}
        record = cls(**typed, extra={k: v for k, v in values.items() if k not in known})
        if legacy and not record.constraints_overlay:
            record = replace(record, constraints_overlay=_legacy_overlay(record.constraints_paths))
        return record

    def to_table(self) -> pd.DataFrame:
        """The key/value table stored as ``run_info``: structured values as JSON, the rest as text."""
        values = []
        for key in self:
            value = self[key]
            if key == "layers":
                value = [asdict(layer) for layer in value]
            values.append(json.dumps(value, ensure_ascii=False) if key in _JSON_KEYS else _text(value))
        return pd.DataFrame({"key": list(self), "value": values})

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> RunInfo:
        return cls.from_dict(dict(zip(table["key"], table["value"].fillna(""))))


def layer_records(constraints) -> list[LayerRecord]:
    """A :class:`LayerRecord` per layer of ``constraints``, in the set's order; computed once per set.

    (Cached on the set: the dask engine records every partition's run, and a planner's layer of
    100,000 features takes a moment to hash.)
    """
    cached = constraints.__dict__.get("_layer_records")
    if cached is not None:
        return list(cached)
    records = []
    for name, frame in constraints.layers.items():
        info = constraints.layer_info(name)
        records.append(
            LayerRecord(
                name,
                constraints.status(name),
                _text(info.get("coverage")) or "region",
                _text(info.get("source")) or Path(str(constraints.paths.get(name, ""))).name,
                layer_sha256(frame),
                *constraints.title(name),
                *constraints.coverage_names(name),
                # one language stands in for the other where only one is stated
                *(note.strip() for note in constraints.completeness(name)),
                _text(info.get("date")),
                _number_text(info.get("accuracy_m")),
            )
        )
    constraints.__dict__["_layer_records"] = tuple(records)
    return records


def layer_sha256(frame: gpd.GeoDataFrame) -> str:
    """SHA-256 of a layer's features: their WKB geometry and their attribute values, fid order."""
    import hashlib

    import shapely

    digest = hashlib.sha256()
    digest.update(b"".join(shapely.to_wkb(frame.geometry.values, byte_order=1)))
    attributes = frame.drop(columns=frame.geometry.name)
    digest.update(pd.util.hash_pandas_object(attributes, index=True).to_numpy().tobytes())
    digest.update(",".join(map(str, attributes.columns)).encode())
    return digest.hexdigest()


def empty_overlaps() -> pd.DataFrame:
    """An ``overlaps`` table without rows, its columns typed."""
    types = {c: float if c in _FLOAT_OVERLAP_COLUMNS else object for c in OVERLAP_COLUMNS}
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "proposal_id" else t) for c, t in types.items()})


# --- the Result -------------------------------------------------------------------------------
@dataclass
class Result:
    """Outcome of :func:`chuannan_gis.check`.

    ``run_info`` may be given as a mapping (it is made a :class:`RunInfo`).  A Result from a check
    also holds, in memory only (never written, never pickled), the constraint set and rule catalog
    it was made with, so the report and web map of the same run reuse them.
    """

    proposals: gpd.GeoDataFrame
    findings: pd.DataFrame
    not_checked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_CHECKED_COLUMNS))
    run_info: RunInfo = field(default_factory=RunInfo)
    overlaps: pd.DataFrame = field(default_factory=empty_overlaps)
    _held: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # an older Result's advisory note rows, moved out of ``findings`` (see :meth:`layer_notes`)
    _stored_notes: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        self.run_info = RunInfo.from_dict(self.run_info)
        if self.overlaps is None:
            self.overlaps = empty_overlaps()
        self._take_stored_notes()

    def _take_stored_notes(self) -> None:
        """An older Result (advisory ``<layer>_incomplete`` / ``<layer>_not_covered`` findings rows)
        read as a lean one: the rows leave ``findings`` for :meth:`layer_notes`, and the proposals
        get the ``incomplete_layers`` / ``not_covered_layers`` they stand for."""
        findings = self.findings
        if not len(findings) or not {"advisory", "rule_id", "layer"} <= set(findings.columns):
            return
        advisory = findings["advisory"].fillna(False).astype(bool).to_numpy()
        if not advisory.any():
            return
        rule, layer = findings["rule_id"].astype(str), findings["layer"].fillna("").astype(str)
        kind = pd.Series("", index=findings.index)
        for column, suffix in LAYER_NOTE_SUFFIXES.items():
            kind = kind.mask(advisory & (rule == layer + suffix), column)
        stored = (kind != "").to_numpy()
        if not stored.any():
            return
        self._stored_notes = findings[stored].reset_index(drop=True)
        self.findings = findings[~stored].reset_index(drop=True)
        lists = {}
        for column in LAYER_NOTE_SUFFIXES:
            if column not in self.proposals.columns and "proposal_id" in self.proposals.columns:
                rows = findings[stored & (kind == column).to_numpy()]
                joined = rows.groupby("proposal_id", sort=False)["layer"].agg(",".join)
                lists[column] = self.proposals["proposal_id"].map(joined).astype(object).fillna("").to_numpy()
        if lists:
            self.proposals = self.proposals.assign(**lists)

    def layer_notes(self) -> pd.DataFrame:
        """What the layers cannot see where each proposal lies: one row per proposal and layer, in
        the findings' columns, as Results before the lean form stored them among the findings
        (``rule_id`` ``<layer>_incomplete`` or ``<layer>_not_covered``, verdict ``clear``,
        ``advisory`` true, the note as the message, no measure), so a face lists them beside a
        proposal's findings.  Built from the proposals' ``incomplete_layers`` /
        ``not_covered_layers`` and the notes of ``run_info`` ``layers``; an older Result gives
        the rows it stored.  Proposal by proposal, the incomplete layers first.
        """
        if self._stored_notes is not None:
            return self._stored_notes.sort_values("proposal_id", kind="stable").reset_index(drop=True)
        records = {record.name: record for record in self.run_info.layers}
        tables = []
        for column, suffix in LAYER_NOTE_SUFFIXES.items():
            if column not in self.proposals.columns:
                continue
            pairs = pd.DataFrame(
                {
                    "proposal_id": self.proposals["proposal_id"].to_numpy(),
                    "layer": self.proposals[column].fillna("").astype(str).str.split(",").to_numpy(),
                }
            ).explode("layer")
            pairs = pairs[pairs["layer"].fillna("") != ""]
            words = {name: _layer_note_words(column, name, records.get(name)) for name in pairs["layer"].unique()}
            for position, key in enumerate(("title_zh", "title_en", "message_zh", "message_en")):
                pairs[key] = pairs["layer"].map({name: text[position] for name, text in words.items()})
            tables.append(pairs.assign(rule_id=pairs["layer"] + suffix))
        notes = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["proposal_id", "layer"])
        notes = notes.sort_values("proposal_id", kind="stable").reset_index(drop=True)
        notes = notes.assign(verdict="clear", citation="", advisory=True, near=False, certainty="")
        return with_finding_columns(notes)

    def findings_with_notes(self) -> pd.DataFrame:
        """``findings`` followed by :meth:`layer_notes`: every row a face lists under a proposal."""
        notes = self.layer_notes()
        return pd.concat([self.findings, notes], ignore_index=True) if len(notes) else self.findings

    def __getstate__(self):
        # a dask partition's Result travels between processes: without the sets it was made with
        return {**self.__dict__, "_held": {}}

    def verdict_counts(self) -> dict[str, int]:
        """Number of proposals per verdict, worst first, every verdict present (0 when none).

        >>> Result(gpd.GeoDataFrame({"verdict": ["clear", "review"]}), pd.DataFrame()).verdict_counts()
        {'prohibited': 0, 'restricted': 0, 'review': 1, 'unknown': 0, 'clear': 1}
        """
        counts = self.proposals["verdict"].value_counts()
        return {code: int(counts.get(code, 0)) for code in VERDICTS}

    def worst_rank(self) -> int:
        """Rank of the worst verdict (5 = prohibited ... 1 = clear); 0 when there are no proposals."""
        return int(self.proposals["verdict"].map(RANK).max()) if len(self.proposals) else 0

    # -- what it was made with -----------------------------------------------------------------
    def hold(self, constraints=None, catalog=None) -> Result:
        """Keep the ConstraintSet and RuleCatalog this Result was made with (in memory); return self."""
        if constraints is not None:
            self._held["constraints"] = constraints
        if catalog is not None:
            self._held["catalog"] = catalog
        return self

    def constraint_set(self):
        """The constraint set the check used: the one it held, else reopened from ``run_info``.

        Reopening loads the bundled set overlaid with ``run_info.constraints_overlay`` (absolute,
        so from any working folder), once; compare its ``fingerprint`` with
        ``run_info.constraints_fingerprint`` to know whether the files changed since.

        Raises
        ------
        LayerError
            The recorded files are gone or no longer valid.
        """
        if "constraints" not in self._held:
            from .layers import load_constraints

            self._held["constraints"] = load_constraints(self.run_info.constraints_overlay or None)
        return self._held["constraints"]

    def catalog(self):
        """The rule catalog the check used: the one it held, else parsed from ``run_info.rules_text``
        (never the defaults), once.

        Raises
        ------
        RuleError
            The Result records no catalog text, or the text does not validate.
        """
        if "catalog" not in self._held:
            from .rules import load_rules

            if not self.run_info.rules_text:
                raise RuleError(
                    "该结果未记录规则目录 the result records no rule catalog text",
                    file=self.run_info.rules_path or None,
                )
            self._held["catalog"] = load_rules(
                self.run_info.rules_path or "run_info.rules_text", text=self.run_info.rules_text
            )
        return self._held["catalog"]

    # -- storing ---------------------------------------------------------------------------------
    def write(self, path) -> Path:
        """Write the four tables to a GeoPackage at ``path``, atomically; return the path.

        ``findings``, ``not_checked`` and ``run_info`` are attribute tables without geometry;
        ``run_info`` is a key/value table.
        """
        path = Path(path)
        with atomic_output(path) as tmp:
            write_table(tmp, "proposals", self.proposals, append=False)
            for name, table in (
                ("findings", self.findings),
                ("not_checked", self.not_checked),
                ("run_info", self.run_info.to_table()),
                ("overlaps", self.overlaps),
            ):
                write_table(tmp, name, table)
        return path

    @classmethod
    def read(cls, path) -> Result:
        """Read a Result written by :meth:`write` (or by a version before the typed run record)."""
        path = Path(path)
        try:
            layers = {row[0] for row in pyogrio.list_layers(path)}
        except Exception as err:  # pyogrio raises several GDAL error types
            raise InputError(f"cannot be read as a result GeoPackage: {err}", file=path) from err
        missing = [name for name in TABLES if name not in layers]
        if missing:
            raise InputError(f"not a chuannan-gis result: table(s) {', '.join(missing)} missing", file=path)
        proposals = pyogrio.read_dataframe(path, layer="proposals", use_arrow=arrow_usable())
        proposals["indicative"] = proposals["indicative"].astype(bool)
        findings = with_finding_columns(_read_table(path, "findings"))
        not_checked = _read_table(path, "not_checked")
        overlaps = read_overlaps(path) if "overlaps" in layers else None
        return cls(proposals, findings, not_checked, RunInfo.from_table(_read_table(path, "run_info")), overlaps)


def read_overlaps(path, where: str | None = None) -> pd.DataFrame:
    """The ``overlaps`` table of a Result GeoPackage (empty for a Result written before it),
    optionally only the rows an SQL ``where`` selects (e.g. ``proposal_id IN (1, 2)``)."""
    if "overlaps" not in {row[0] for row in pyogrio.list_layers(path)}:
        return empty_overlaps()
    table = pyogrio.read_dataframe(path, layer="overlaps", read_geometry=False, where=where)
    for column in OVERLAP_COLUMNS:
        if column not in table.columns:
            table[column] = None
    return table.astype({"proposal_id": "int64"}).fillna({"class_field": "", "class_value": "", "class_label": ""})


def with_finding_columns(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with every column of :data:`FINDING_COLUMNS`, in order and typed; a column it
    lacks (a Result written before the column was added, a note without a measure) empty."""
    empty = {
        column: pd.NA if column in _FINDING_TYPES else (float("nan") if column in _FLOAT_FINDING_COLUMNS else None)
        for column in FINDING_COLUMNS
        if column not in findings.columns
    }
    return findings.assign(**empty).astype(_FINDING_TYPES)[[*FINDING_COLUMNS, *_extra(findings)]]


def _extra(findings: pd.DataFrame) -> list[str]:
    return [column for column in findings.columns if column not in FINDING_COLUMNS]


def _layer_note_words(column: str, layer: str, record: LayerRecord | None) -> tuple[str, str, str, str]:
    """(title_zh, title_en, message_zh, message_en) of a layer's note in a proposal's ``column``."""
    title_zh = (record.title_zh if record else "") or layer
    title_en = (record.title_en if record else "") or layer
    if column == "incomplete_layers":
        note_zh, note_en = (record.completeness_zh, record.completeness_en) if record else ("", "")
        return f"图层已知不完整：{title_zh}", f"Layer known to be incomplete: {title_en}", note_zh, note_en
    where_zh = (record.coverage_zh or record.coverage) if record else ""
    where_en = (record.coverage_en or record.coverage) if record else ""
    return (
        f"图层未覆盖此处：{title_zh}",
        f"Layer does not cover this place: {title_en}",
        f"未检查：图层“{title_zh}”（{layer}）仅覆盖{where_zh}，本项目不全在其范围内",
        f"not checked: layer {layer} ({title_en}) covers only {where_en}; this proposal is not wholly inside",
    )


@functools.cache
def arrow_usable() -> bool:
    """Whether pyarrow imports here.  It is a dependency of the library, so it does wherever the
    library was installed with pip; not inside QGIS, where the plugin leaves it out (a pyarrow
    built for NumPy 2 beside Debian's NumPy 1.26 fails at import: qgis_plugin deps.py), and the
    GDAL row-by-row paths write and read the same GeoPackage."""
    try:
        import pyarrow  # noqa: F401
    except Exception:  # ImportError, or what a binary built against another NumPy raises
        return False
    return True


def write_table(path, name: str, table: pd.DataFrame, *, append: bool = True) -> None:
    """Write one table of a Result into the GeoPackage at ``path`` (as :meth:`Result.write` does;
    the streamed check writes chunk by chunk with it)."""
    if not isinstance(table, gpd.GeoDataFrame) and len(table) == 0:
        # an empty object column has no type GDAL can map
        table = table.astype({c: str for c in table.columns if table[c].dtype == object})
    # through Arrow (the default; the QGIS plugin falls back): the same GeoPackage (field types,
    # geometry type, CRS), written ~2.5× faster (100,000 proposals and 517,000 findings: 11.7 s → 4.6 s)
    pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", append=append, use_arrow=arrow_usable())


def _read_table(path: Path, layer: str) -> pd.DataFrame:
    return pyogrio.read_dataframe(path, layer=layer, read_geometry=False, use_arrow=arrow_usable())


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _number_text(value) -> str:
    """A metadata number as text ('486', '12.5'); "" when missing or not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return _text(value)
    return "" if number != number else f"{number:g}"


def _absolute(path) -> str:
    """An existing file's absolute path; anything else (``<memory>``) as it is."""
    text = _text(path)
    return str(Path(text).resolve()) if text and Path(text).exists() else text


def _split(value, separator: str) -> list[str]:
    return [v for v in _text(value).split(separator) if v]


def _typed(key: str, value):
    """A run_info value in its in-memory type, from memory, from JSON, or from the legacy text."""
    if key not in _JSON_KEYS:
        return _text(value)
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip()[:1] in ("[", "{") else _split(value, _LEGACY_LIST_SEPARATOR)
        except json.JSONDecodeError:
            value = _split(value, _LEGACY_LIST_SEPARATOR)
    if key == "readings":
        return dict(value or {})
    if key == "layers":
        return [v if isinstance(v, LayerRecord) else LayerRecord(**v) for v in value or ()]
    return [str(v) for v in value or ()]


def _legacy_overlay(paths: list[str]) -> str:
    """The planner's set of a Result written before ``constraints_overlay``: the recorded files
    other than a bundled set, as one GeoPackage or the folder of their files; "" when none (or
    when they cannot have come from one ``--layers``)."""
    overlay = sorted({p for p in paths if not _is_bundled(p)})
    folders = {str(Path(p).parent) for p in overlay}
    if len(overlay) == 1:
        return overlay[0]
    return folders.pop() if len(folders) == 1 else ""


def _is_bundled(path: str) -> bool:
    from .layers import bundled_path

    # the bundled set of this installation or of another one (chuannan_gis/data/constraints.gpkg)
    parts = Path(path).parts[-3:]
    return Path(path).resolve() == bundled_path().resolve() or parts == ("chuannan_gis", "data", "constraints.gpkg")


__all__ = [
    "FINDING_COLUMNS",
    "LAYER_NOTE_SUFFIXES",
    "NOT_CHECKED_COLUMNS",
    "OVERLAP_COLUMNS",
    "PROPOSAL_COLUMNS",
    "TABLES",
    "VERDICT_COLUMNS",
    "LayerRecord",
    "Result",
    "RunInfo",
    "empty_overlaps",
    "layer_records",
    "layer_sha256",
    "read_overlaps",
    "with_finding_columns",
    "write_table",
]
