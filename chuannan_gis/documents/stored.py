"""A Result GeoPackage read as the documents need it, never whole (issue #19 item 5).

A streamed check of a million parcels writes a Result larger than the memory it ran in; reading it
back whole for a report would undo the bound.  :class:`StoredResult` reads, from the file:

- the verdict column alone (to count, rank and choose the proposals that get a section);
- the proposals, findings and overlaps of those chosen proposals (a small Result, with geometry);
- every proposal's attributes, and its overlaps, a chunk at a time (the .xlsx rows, the HTML
  report's closing table), without geometry;
- the distinct rules cited and layers marked indicative, by SQL.

So memory depends on the chunk and on ``max_sections``, not on the Result's size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from ..errors import InputError
from ..result import FINDING_COLUMNS, TABLES, Result, RunInfo, empty_overlaps, read_overlaps
from ..verdicts import RANK

CHUNK_ROWS = 100_000
# SQLite limits the terms of one expression: ids are asked for this many at a time
IDS_PER_QUERY = 500


class StoredResult:
    """A Result GeoPackage at ``path``, with the constraint set and catalog of its run if held."""

    def __init__(self, path, constraints=None, catalog=None, chunk_rows: int = CHUNK_ROWS):
        self.path = Path(path)
        try:
            layers = {row[0] for row in pyogrio.list_layers(self.path)}
        except Exception as err:  # pyogrio raises several GDAL error types
            raise InputError(f"cannot be read as a result GeoPackage: {err}", file=self.path) from err
        missing = [name for name in TABLES if name not in layers]
        if missing:
            raise InputError(f"not a chuannan-gis result: table(s) {', '.join(missing)} missing", file=self.path)
        self.has_overlaps = "overlaps" in layers
        self.chunk_rows = chunk_rows
        run_info = RunInfo.from_table(pyogrio.read_dataframe(self.path, layer="run_info", read_geometry=False))
        not_checked = pyogrio.read_dataframe(self.path, layer="not_checked", read_geometry=False)
        # an empty Result holding the run's record: it reopens the set and catalog as a Result does
        self.shell = Result(_empty_proposals(), pd.DataFrame(columns=FINDING_COLUMNS), not_checked, run_info)
        self.shell.hold(constraints, catalog)
        self._columns = set(pyogrio.read_info(self.path, layer="proposals")["fields"])
        self.total = int(pyogrio.read_info(self.path, layer="proposals")["features"])

    @property
    def run_info(self) -> RunInfo:
        return self.shell.run_info

    def verdicts(self) -> pd.DataFrame:
        """proposal_id, verdict and certainty of every proposal (three columns, no geometry)."""
        columns = [c for c in ("proposal_id", "verdict", "certainty") if c in self._columns]
        table = pyogrio.read_dataframe(self.path, layer="proposals", columns=columns, read_geometry=False)
        table["verdict"] = table["verdict"].astype("category")
        return table

    def chosen(self, max_sections: int, *, clear_past_limit: bool) -> np.ndarray:
        """The proposal_ids that get a section, worst first: the ``max_sections`` worst, or, with
        ``clear_past_limit`` False and more than ``max_sections`` proposals, every one not clear."""
        table = self.verdicts()
        rank = table["verdict"].astype(object).map(RANK).fillna(0).to_numpy()
        order = np.lexsort((table["proposal_id"].to_numpy(), -rank))
        ids = table["proposal_id"].to_numpy()[order]
        if len(ids) <= max_sections:
            return ids
        if clear_past_limit:
            return ids[:max_sections]
        return ids[rank[order] > RANK["clear"]]

    def subset(self, ids) -> Result:
        """The Result of the proposals ``ids`` (with geometry), their findings and overlaps."""
        ids = [int(i) for i in ids]
        proposals = _by_ids(lambda where: pyogrio.read_dataframe(self.path, layer="proposals", where=where), ids)
        proposals["indicative"] = proposals["indicative"].fillna(False).astype(bool)
        findings = _by_ids(
            lambda where: pyogrio.read_dataframe(self.path, layer="findings", where=where, read_geometry=False), ids
        )
        findings = _typed_findings(findings)
        overlaps = (
            _by_ids(lambda where: read_overlaps(self.path, where), ids)
            if self.has_overlaps and ids
            else empty_overlaps()
        )
        result = Result(proposals, findings, self.shell.not_checked, self.run_info, overlaps)
        return result.hold(self.shell._held.get("constraints"), self.shell._held.get("catalog"))

    def proposal_chunks(self, where: str | None = None):
        """The proposals' attributes (no geometry) that ``where`` selects, a chunk at a time, in
        proposal order (the order they were written in: their fid order)."""
        first, last = self._fid_range()
        for start in range(first, last + 1, self.chunk_rows):
            # a range of the fid, the table's primary key: an index lookup, where an OFFSET or a
            # filter on another column would scan the table from its start each time
            condition = f"fid >= {start} AND fid < {start + self.chunk_rows}" + (f" AND ({where})" if where else "")
            chunk = pyogrio.read_dataframe(self.path, layer="proposals", read_geometry=False, where=condition)
            if len(chunk):
                yield chunk

    def _fid_range(self) -> tuple[int, int]:
        sql = "SELECT MIN(fid) AS first, MAX(fid) AS last FROM proposals"
        bounds = pyogrio.read_dataframe(self.path, sql=sql, read_geometry=False)
        if bounds.empty or pd.isna(bounds["first"].iloc[0]):
            return 1, 0
        return int(bounds["first"].iloc[0]), int(bounds["last"].iloc[0])

    def limit_layers(self) -> set:
        """The layers the proposals name in ``incomplete_layers`` / ``not_covered_layers``."""
        named = set()
        for column in ("incomplete_layers", "not_covered_layers"):
            if column in self._columns:
                sql = f"SELECT DISTINCT {column} AS layers FROM proposals"
                for value in pyogrio.read_dataframe(self.path, sql=sql, read_geometry=False)["layers"].dropna():
                    named |= {n.strip() for n in str(value).split(",") if n.strip()}
        return named

    def chunks(self):
        """Every proposal's attributes with its overlaps, a chunk at a time: (proposals, overlaps)."""
        for proposals in self.proposal_chunks():
            low, high = int(proposals["proposal_id"].min()), int(proposals["proposal_id"].max())
            overlaps = (
                read_overlaps(self.path, f"proposal_id BETWEEN {low} AND {high}")
                if self.has_overlaps
                else empty_overlaps()
            )
            yield proposals, overlaps

    def fired(self) -> pd.DataFrame:
        """The distinct (rule_id, citation) of the findings, and the layers of indicative ones."""
        wanted = ("rule_id", "citation", "layer", "data_status")
        present = [c for c in wanted if c in set(pyogrio.read_info(self.path, layer="findings")["fields"])]
        sql = f"SELECT DISTINCT {', '.join(present)} FROM findings"
        table = pyogrio.read_dataframe(self.path, sql=sql, read_geometry=False)
        return table.reindex(columns=list(wanted))

    def advisory_notes(self) -> pd.DataFrame:
        """One row per advisory rule of an older Result (``<layer>_incomplete``), for its message."""
        columns = set(pyogrio.read_info(self.path, layer="findings")["fields"])
        if "advisory" not in columns:
            return pd.DataFrame(columns=FINDING_COLUMNS)
        sql = (
            "SELECT rule_id, layer, message_zh, message_en, MIN(proposal_id) AS proposal_id FROM findings "
            "WHERE advisory = 1 AND (rule_id GLOB '*_incomplete' OR rule_id GLOB '*_not_covered') "
            "GROUP BY rule_id, layer, message_zh, message_en"
        )
        return pyogrio.read_dataframe(self.path, sql=sql, read_geometry=False)

    def contents(self, constraints=None):
        """The documents' tables (:class:`~chuannan_gis.documents.content.Contents`) a chunk at a
        time: the rules cited and the data used with the first."""
        from .content import Contents, citation_rows, landuse_rows, names_of, overlap_rows, review_table, source_rows

        cited = Result(self.shell.proposals, self.fired(), self.shell.not_checked, self.run_info)
        cited.hold(self.shell._held.get("constraints"), self.shell._held.get("catalog"))
        citations, sources = citation_rows(cited), source_rows(cited, constraints)
        number = 1
        for proposals, overlaps in self.chunks():
            names = names_of(proposals)
            yield Contents(
                review=review_table(proposals, first_number=number),
                overlaps=overlap_rows(overlaps, names),
                landuse=landuse_rows(overlaps, names),
                citations=citations,
                sources=sources,
                not_checked=self.shell.not_checked,
                run_time=str(self.run_info.get("time") or ""),
            )
            number += len(proposals)
            citations, sources = citations.iloc[:0], sources.iloc[:0]

    def constraint_set(self):
        return self.shell.constraint_set()

    def catalog(self):
        return self.shell.catalog()


def _by_ids(read, ids: list[int]) -> pd.DataFrame:
    parts = [
        read(f"proposal_id IN ({','.join(map(str, ids[i : i + IDS_PER_QUERY]))})")
        for i in range(0, len(ids), IDS_PER_QUERY)
    ]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else read("0 = 1")


def _typed_findings(findings: pd.DataFrame) -> pd.DataFrame:
    for column in FINDING_COLUMNS:
        if column not in findings.columns:
            findings[column] = None
    for column in ("advisory", "near"):
        findings[column] = findings[column].fillna(False).astype(bool)
    return findings


def _empty_proposals():
    import geopandas as gpd

    return gpd.GeoDataFrame({"proposal_id": pd.Series(dtype="int64"), "verdict": pd.Series(dtype=object)}, geometry=[])


__all__ = ["StoredResult"]
