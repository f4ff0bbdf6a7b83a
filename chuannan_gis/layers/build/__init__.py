"""Reproducible build of the bundled constraint set ``chuannan_gis/data/constraints.gpkg``.

Inputs: public base data from installable packages (``pip install '.[build]'``; Debian ``gmt``
and ``gmt-gshhg-full``) and the project's own data files in ``layers/`` (see
``layers/README.md`` for every source, method and measured accuracy).  The same inputs give
the same features: fixed parameters, sorted features, coordinates on a 1e-7° grid.

    >>> from chuannan_gis.layers.build import build
    >>> build("constraints.gpkg")                      # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ...errors import LayerError
from ..schema import BUNDLED_LAYERS
from .inputs import load_inputs
from .output import finalize, geometry_checksum, metadata_row, write_atomic

__all__ = ["DEFAULT_OUTPUT", "BuildResult", "build", "build_layers"]

log = logging.getLogger(__name__)
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "data" / "constraints.gpkg"


@dataclass
class BuildResult:
    layers: dict[str, gpd.GeoDataFrame]
    metadata: pd.DataFrame
    timestamp: str  # the fixed GeoPackage table timestamp (parameters.yaml)
    measurements: dict = field(default_factory=dict)


def build_layers(work_dir: str | os.PathLike, inputs_dir: str | os.PathLike | None = None) -> BuildResult:
    """Every bundled layer, schema-exact, plus the numbers measured on the way."""
    try:  # the build extra: importing this package must work without it
        from . import admin, channel, gaps, redlines, reserves, rivers, sources, water_sources
        from .geom import to_measure
    except ImportError as err:
        raise LayerError(f"build dependency missing ({err.name}): pip install '.[build]'") from err
    inputs = load_inputs(inputs_dir)
    districts_all = sources.tianditu_districts()
    county_layer = admin.counties(inputs, districts_all)
    seats = admin.seats(inputs)
    region_m = to_measure(shapely.union_all(county_layer.geometry.values))
    net = rivers.build_rivers(inputs, districts_all, seats, region_m, Path(work_dir))
    placed = channel.place_ports(inputs, net, seats, county_layer)
    data_gaps, gap_measurements = gaps.build_gaps(
        inputs,
        districts_all,
        region_m,
        net.accuracy["wdbii"]["accuracy_m"],
        Path(work_dir),
        region_accuracy_m=float(county_layer["accuracy_m"].max()),
    )
    area_reserves, reserve_measurements = reserves.build_area_reserves(inputs, districts_all)
    nature_reserves = pd.concat([channel.build_reserves(inputs, net), area_reserves], ignore_index=True)
    raw = {
        "counties": county_layer,
        "zoning": admin.zoning(inputs, county_layer),
        "rivers": net.rivers,
        "water": net.water,
        "eco_redlines": redlines.build_redlines(inputs, county_layer, seats),
        "nature_reserves": gpd.GeoDataFrame(nature_reserves, geometry="geometry", crs=area_reserves.crs),
        "shoreline_zones": channel.build_shoreline(inputs, net, seats, placed),
        "ports": channel.build_ports(net, placed),
        "data_gaps": data_gaps,
        "water_source_zones": water_sources.build_water_source_zones(
            water_sources.read_intakes(inputs.directory), net.rivers
        ),
    }
    precision = float(inputs.params["precision_deg"])
    layers = {name: finalize(name, raw[name], precision) for name in BUNDLED_LAYERS}
    metadata = pd.DataFrame([metadata_row(name, gdf, inputs.metadata[name]) for name, gdf in layers.items()])
    measurements = {
        "region_area_km2": round(region_m.area / 1e6, 1),
        "river_accuracy": net.accuracy,
        "reference_distances_m": net.reference_distances_m,
        "data_gaps": gap_measurements,
        "nature_reserves": reserve_measurements,
        "checksums": {name: geometry_checksum(gdf) for name, gdf in layers.items()},
    }
    return BuildResult(layers, metadata, inputs.params["gpkg_timestamp"], measurements)


def build(
    output_path: str | os.PathLike | None = None,
    work_dir: str | os.PathLike | None = None,
    *,
    inputs_dir: str | os.PathLike | None = None,
) -> Path:
    """Build the constraint GeoPackage at ``output_path`` (default: the bundled one); return its path.

    ``work_dir`` receives the unpacked source files (a temporary directory when None);
    ``inputs_dir`` is the ``layers/`` directory (default: found beside the source tree, or
    $CHUANNAN_LAYERS_DIR).
    """
    output_path = Path(output_path) if output_path else DEFAULT_OUTPUT
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="chuannan-build-") as tmp:
            result = build_layers(tmp, inputs_dir)
    else:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        result = build_layers(work_dir, inputs_dir)
    log.info("measured:\n%s", json.dumps(result.measurements, ensure_ascii=False, indent=2))
    return write_atomic(output_path, result.layers, result.metadata, result.timestamp)
