"""The constraint set as an object: the layers, their metadata and coverage, and every answer about a layer.

:class:`ConstraintSet` is what the loader (:mod:`chuannan_gis.layers.load`) returns and what the
engine, the reports and the maps ask: a layer's features (stored and measured), its coverage (as
adcodes, as county and city names, or as an area), whether a proposal lies inside it, whether the
layer is sparse, its id field, title, completeness note and status.  The per-layer facts that do
not depend on the data (fields, sparseness, id field, titles) are the :class:`~chuannan_gis.layers.schema.LayerSpec`
table; the set answers from it and from the data it holds, so nothing else works them out again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import MEASURE_CRS, STORAGE_CRS
from .coverage import REGION, Coverage, county_names, coverage_words
from .schema import COVERAGE_FIELD, LAYERS, METADATA_FIELDS, LayerSpec


@dataclass
class ConstraintSet:
    """Constraint layers by name (GeoDataFrames in EPSG:4490, indexed by GeoPackage fid) with provenance.

    ``metadata`` has one row per layer (SCHEMA.md ``layer_metadata``); ``paths`` says which file
    each layer came from; ``fingerprint`` is a hash of those files, recorded in every Result.
    """

    layers: dict[str, gpd.GeoDataFrame]
    metadata: pd.DataFrame
    paths: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    overlay: str | None = None  # the planner's set load_constraints overlaid (GeoPackage or folder)
    # layer → where its supplied features speak (bundled layers: everywhere); see layers/coverage.py
    coverage: dict[str, Coverage] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what loading assumed (inferred coverages …)
    # supplied layers with no bundled layer beneath and a coverage short of the region: outside
    # their coverage nothing speaks, so the rules reading them are not checked there
    partial: frozenset[str] = frozenset()
    _measured: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    _measured_coverage: dict[str, object] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.layers

    def derived(self, what, make, catalog=None):
        """``make()``, worked out once for this set (and ``catalog``, when given) under the key
        ``what``: what a check needs that depends on them alone, never on the proposals (the run
        record, the rules not checked, a layer's attributes by index position), so a click-to-check
        of one site does not work it out again.  A catalog is held beside its value, so its id
        stays its own while the entry lives."""
        cache = self.__dict__.setdefault("_derived", {})
        key = (what, id(catalog))
        held = cache.get(key)
        if held is None or held[0] is not catalog:
            held = cache[key] = (catalog, make())
        return held[1]

    def measured(self, name: str) -> gpd.GeoDataFrame:
        """Layer ``name`` in the measuring CRS (EPSG:4544), cached."""
        if name not in self._measured:
            self._measured[name] = self.layers[name].to_crs(MEASURE_CRS)
        return self._measured[name]

    def measured_coverage(self, name: str):
        """Layer ``name``'s coverage area in the measuring CRS, cached; None where it covers everywhere."""
        coverage = self.coverage.get(name)
        if coverage is None or coverage.everywhere:
            return None
        if name not in self._measured_coverage:
            geometry = coverage.geometry if coverage.geometry is not None else shapely.Polygon()
            # not prepared: the dask engine's threads share the set, and GEOS fills a prepared
            # geometry's indexes lazily, without a lock (engine/index.py)
            area = gpd.GeoSeries([shapely.make_valid(geometry)], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]
            self._measured_coverage[name] = area
        return self._measured_coverage[name]

    def covers(self, name: str, geometries) -> np.ndarray:
        """Which measured ``geometries`` (EPSG:4544) lie wholly inside layer ``name``'s coverage."""
        area = self.measured_coverage(name)
        if area is None:
            return np.ones(len(geometries), dtype=bool)
        return shapely.covers(area, np.asarray(geometries))

    def layer_info(self, name: str) -> dict:
        rows = self.metadata[self.metadata["layer"] == name]
        return rows.iloc[0].to_dict() if len(rows) else {"layer": name}

    def indicative_layers(self) -> list[str]:
        return sorted(n for n, g in self.layers.items() if (g["data_status"] == "indicative").any())

    # -- answers about one layer ------------------------------------------------------------

    def spec(self, name: str) -> LayerSpec:
        """The schema entry of layer ``name`` (fields, sparseness, id field, titles)."""
        return LAYERS[name]

    def coverage_of(self, name: str) -> Coverage:
        """Where layer ``name``'s features speak: its resolved coverage (a bundled layer: the region)."""
        coverage = self.coverage.get(name)
        if coverage is not None:
            return coverage
        return Coverage(REGION, None, tuple(sorted(self._county_table()["adcode"])))

    def coverage_adcodes(self, name: str) -> tuple[str, ...]:
        """The adcodes of the counties layer ``name`` covers, wholly or in part."""
        return self.coverage_of(name).counties

    def coverage_names(self, name: str) -> tuple[str, str]:
        """Layer ``name``'s coverage in words, Chinese and English ('江安县 (511523)', …)."""
        return coverage_words(self.coverage_of(name).code, county_names(self.layers.get("counties")))

    def covers_places(self, name: str, counties, cities=None) -> np.ndarray:
        """Which places lie in layer ``name``'s coverage, each given by its county (a name such as
        江安县 or an adcode such as 511523) and, where the county is not known, its city (宜宾市 or
        511500).  A county a polygon coverage only partly reaches counts as covered: a note about
        the layer is then shown rather than lost; :meth:`covers` answers exactly, by geometry."""
        counties = pd.Series(np.asarray(counties, dtype=object)).fillna("").astype(str).str.strip()
        coverage = self.coverage_of(name)
        if coverage.everywhere:
            return np.ones(len(counties), dtype=bool)
        table = self._county_table()
        mine = table[table["adcode"].isin(coverage.counties)]
        covered = counties.isin(set(mine["adcode"]) | set(mine["name_zh"])).to_numpy()
        if cities is not None:
            cities = pd.Series(np.asarray(cities, dtype=object)).fillna("").astype(str).str.strip()
            whole = {
                key
                for column in ("city_adcode", "city_zh")
                for key, group in table.groupby(column)
                if set(group["adcode"]) <= set(coverage.counties)
            }
            covered = covered | ((counties == "").to_numpy() & cities.isin(whole).to_numpy())
        return covered

    def is_sparse(self, name: str) -> bool:
        """Whether an absent feature of layer ``name`` means "none here" only inside its stated coverage."""
        return LAYERS[name].sparse

    def id_field(self, name: str) -> str | None:
        """The field naming a feature of layer ``name`` in messages (river_id, block_id …), or None."""
        return LAYERS[name].id_field

    def title(self, name: str) -> tuple[str, str]:
        """Layer ``name``'s title, Chinese and English: its metadata's, else the schema's."""
        info = self.layer_info(name)
        schema_zh, schema_en = layer_title(name)
        return _text(info.get("title_zh")) or schema_zh, _text(info.get("title_en")) or schema_en

    def completeness(self, name: str) -> tuple[str, str]:
        """What layer ``name`` is known to lack (``layer_metadata.completeness_zh/_en``), Chinese and
        English, each falling back on the other; ('', '') when nothing is stated."""
        info = self.layer_info(name)
        zh, en = _text(info.get("completeness_zh")), _text(info.get("completeness_en"))
        return zh or en, en or zh

    def status(self, name: str) -> str:
        """Layer ``name``'s data status: ``official``, ``indicative``, or ``mixed`` (features of both:
        a planner's official layer with the bundled indicative features kept outside its coverage)."""
        frame = self.layers[name]
        statuses = set(frame["data_status"].dropna()) if "data_status" in frame else set()
        return "mixed" if len(statuses) > 1 else (statuses.pop() if statuses else "official")

    def _county_table(self) -> pd.DataFrame:
        counties = self.layers.get("counties")
        columns = ("adcode", "name_zh", "city_adcode", "city_zh")
        if counties is None:
            return pd.DataFrame(columns=columns)
        return pd.DataFrame(
            {c: counties[c].astype(str) if c in counties else pd.Series("", counties.index) for c in columns}
        )

    @classmethod
    def from_frames(
        cls, frames: dict[str, gpd.GeoDataFrame], metadata: pd.DataFrame | None = None, origin: str = "<memory>"
    ) -> ConstraintSet:
        """Build a set from GeoDataFrames in any CRS (tests, notebooks); missing common fields get
        the defaults of a user's layer."""
        layers = {name: prepare_layer(gdf, origin, name) for name, gdf in frames.items()}
        meta = metadata if metadata is not None else default_metadata(layers, origin)
        return cls(layers, meta, dict.fromkeys(layers, origin), hash_frames(layers))


def layer_title(name: str, constraints: ConstraintSet | None = None) -> tuple[str, str]:
    """Layer ``name``'s (zh, en) title: the set's (:meth:`ConstraintSet.title`), else the schema's,
    else the name itself (a layer the schema does not know)."""
    if constraints is not None:
        return constraints.title(name)
    spec = LAYERS.get(name)
    return (spec.title_zh, spec.title_en) if spec else (name, name)


def prepare_layer(gdf: gpd.GeoDataFrame, origin, name: str) -> gpd.GeoDataFrame:
    """Fill the defaults of SCHEMA.md for a user's layer and store it in EPSG:4490."""
    gdf = gdf.copy()
    if "data_status" not in gdf.columns:
        gdf["data_status"] = "official"
    gdf["data_status"] = gdf["data_status"].fillna("official")
    if "accuracy_m" not in gdf.columns:
        gdf["accuracy_m"] = np.nan  # "accuracy not stated": measured as 0, reported as unknown
    gdf["accuracy_m"] = pd.to_numeric(gdf["accuracy_m"], errors="coerce")
    if "source" not in gdf.columns:
        gdf["source"] = Path(str(origin)).name
    for column, codes in LAYERS[name].aliases.items():
        if column in gdf.columns:
            gdf[column] = gdf[column].replace(codes)
    if gdf.crs is not None and not gdf.crs.equals(STORAGE_CRS):
        gdf = gdf.to_crs(STORAGE_CRS)
    gdf.index.name = "fid"
    return gdf


def default_metadata(layers: dict, origin) -> pd.DataFrame:
    """Metadata rows for layers that came without any: what a user's layer is assumed to be."""
    rows = [
        {
            "layer": name,
            "title_zh": LAYERS[name].title_zh,
            "title_en": LAYERS[name].title_en,
            "source": Path(str(origin)).name,
            "licence": "not stated",
            "date": "not stated",
            "method": "supplied by the user",
            "data_status": layer_status(gdf),
            "accuracy_m": float(gdf["accuracy_m"].max())
            if "accuracy_m" in gdf and gdf["accuracy_m"].notna().any()
            else np.nan,
        }
        for name, gdf in layers.items()
    ]
    return pd.DataFrame(rows, columns=[*METADATA_FIELDS, COVERAGE_FIELD])


def layer_status(gdf) -> str:
    if "data_status" in gdf.columns and (gdf["data_status"] == "indicative").any():
        return "indicative"
    return "official"


def hash_frames(layers: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(layers):
        digest.update(name.encode())
        digest.update(b"".join(shapely.to_wkb(layers[name].geometry.values)))
    return digest.hexdigest()


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


__all__ = ["ConstraintSet", "default_metadata", "hash_frames", "layer_status", "layer_title", "prepare_layer"]
