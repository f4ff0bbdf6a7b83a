"""The Result of a check (SCHEMA.md "Result"): the one thing the report, web map and QGIS render.

``proposals`` (GeoDataFrame, EPSG:4490) has the input fields and the verdict columns;
``findings`` one row per proposal and fired rule; ``not_checked`` the rules that could not run
for lack of an optional layer; ``run_info`` what was run with what (tool version, the rule
catalog's path, hash and full text, the constraint set's fingerprint, the input's hash, time).
``Result.write`` stores all four in one GeoPackage, atomically; ``Result.read`` reads it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .errors import InputError
from .io import atomic_output
from .verdicts import RANK, VERDICTS

NOT_CHECKED_COLUMNS = ["rule_id", "layer", "title_zh", "title_en", "reason_zh", "reason_en"]
RUN_INFO_KEYS = ("tool_version", "rules_path", "rules_sha256", "rules_text", "constraints_path",
                 "constraints_fingerprint", "indicative_layers", "input_path", "input_sha256", "time")
# run_info values that are lists in memory; stored comma-separated.
LIST_KEYS = ("indicative_layers",)
TABLES = ("proposals", "findings", "not_checked", "run_info")
# Column types restored on read (GeoPackage stores booleans as integers, nullable ints as NULL).
_FINDING_TYPES = {"proposal_id": "int64", "feature_id": "Int64", "advisory": bool, "near": bool}


@dataclass
class Result:
    """Outcome of :func:`chuannan_gis.check`."""

    proposals: gpd.GeoDataFrame
    findings: pd.DataFrame
    not_checked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_CHECKED_COLUMNS))
    run_info: dict = field(default_factory=dict)

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

    def write(self, path) -> Path:
        """Write the four tables to a GeoPackage at ``path``, atomically; return the path.

        ``findings``, ``not_checked`` and ``run_info`` are attribute tables without geometry;
        ``run_info`` is a key/value table.
        """
        path = Path(path)
        with atomic_output(path) as tmp:
            pyogrio.write_dataframe(self.proposals, tmp, layer="proposals", driver="GPKG")
            for name, table in (("findings", self.findings), ("not_checked", self.not_checked),
                                ("run_info", _run_info_table(self.run_info))):
                pyogrio.write_dataframe(_storable(table), tmp, layer=name, driver="GPKG", append=True)
        return path

    @classmethod
    def read(cls, path) -> Result:
        """Read a Result written by :meth:`write`."""
        path = Path(path)
        try:
            layers = {row[0] for row in pyogrio.list_layers(path)}
        except Exception as err:  # pyogrio raises several GDAL error types
            raise InputError(f"cannot be read as a result GeoPackage: {err}", file=path) from err
        missing = [name for name in TABLES if name not in layers]
        if missing:
            raise InputError(f"not a chuannan-gis result: table(s) {', '.join(missing)} missing", file=path)
        proposals = pyogrio.read_dataframe(path, layer="proposals")
        proposals["indicative"] = proposals["indicative"].astype(bool)
        findings = _read_table(path, "findings").astype(_FINDING_TYPES)
        not_checked = _read_table(path, "not_checked")
        return cls(proposals, findings, not_checked, _run_info_dict(_read_table(path, "run_info")))


def _storable(table: pd.DataFrame) -> pd.DataFrame:
    """A table GDAL can write even when empty (an empty object column has no type to map)."""
    if len(table):
        return table
    return table.astype({c: str for c in table.columns if table[c].dtype == object})


def _read_table(path: Path, layer: str) -> pd.DataFrame:
    return pyogrio.read_dataframe(path, layer=layer, read_geometry=False)


def _run_info_table(run_info: dict) -> pd.DataFrame:
    values = [", ".join(v) if k in LIST_KEYS else ("" if v is None else str(v)) for k, v in run_info.items()]
    return pd.DataFrame({"key": list(run_info), "value": values})


def _run_info_dict(table: pd.DataFrame) -> dict:
    info = dict(zip(table["key"], table["value"].fillna("")))
    for key in LIST_KEYS:
        if key in info:
            info[key] = [v for v in info[key].split(", ") if v]
    return info
