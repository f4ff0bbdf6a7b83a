"""Indicative first-level drinking-water source zones around the intakes public approvals place.

``layers/water_intakes.csv`` lists the intakes named in public approvals; those with published
coordinates and an approved first-level extent (``first_level_text``) get one feature here.  No
approval publishes its zone polygon (拐点坐标), and the bundled water layer is too coarse (±1.4 km
for the 沱江) to draw the extent along it, so each feature is the disc around the published intake
position that *contains* the approved extent:

* a river intake whose first-level water runs from ``downstream_m`` below to ``upstream_m`` above
  the intake, with ``land_m`` of land beyond the water edge: every point of it lies within
  ``upstream_m`` + the river's width + ``land_m`` of the intake (a distance along the channel is
  never shorter than the straight line, and the water is at most the river's width across);
* a reservoir intake whose first-level water lies within ``radius_m`` of the intake, with
  ``land_m`` of land beyond it: within ``radius_m`` + ``land_m``.

The disc may reach beyond the approved zone (downstream of a river intake, most of all): the
features are indicative (示意), the layer's metadata says so, and a proposal inside one must be
checked against the approval.  ``accuracy_m`` is the intake position's uncertainty (the published
coordinates' rounding and datum, and where on the intake works the point lies), not the disc's
reach.  The layer carries first-level zones only (``complete_classes`` empty): the rules on second-
level and quasi zones are listed as not checked (engine), never clear for want of them.

Run alone on the committed set (the full build needs network sources):
``python -m chuannan_gis.layers.build.water_sources`` (layers/README.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from ...crs import MEASURE_CRS, STORAGE_CRS
from ...errors import LayerError
from ..schema import BUNDLED_LAYERS, METADATA_TABLE

# The approved extents of the intakes with published positions (layers/water_intakes.csv
# `first_level_text`, 自贡市人民政府公告 2024-10-14), as numbers.  An intake missing here is skipped
# with its reason in the metadata; one here that the CSV lacks is an error.
EXTENTS = {
    # 取水口下游100米至上游1000米，多年平均水位以下全部水域（航道除外）；水域边界沿岸纵深50米陆域
    "fushun_guanmu": {"type": "river", "river_id": "tuo", "upstream_m": 1000.0, "downstream_m": 100.0, "land_m": 50.0},
    # 正常蓄水位(304米)以下取水口半径300米水域；其上一级水域外200米（不超过分水岭，环库道路除外）
    "fushun_daposhang": {"type": "reservoir", "radius_m": 300.0, "land_m": 200.0},
}
# The intake position's uncertainty: coordinates published to 0.01″ (0.3 m), datum not stated (WGS84
# and CGCS2000 differ by under 1 m; a GCJ-02 offset, some 500 m, is not assumed), and the point may
# mark any part of the intake works.
INTAKE_POSITION_M = 50.0
DISC_SEGMENTS = 64  # vertices per quarter circle: the polygon lies within 0.1 m of the disc


def build_water_source_zones(intakes: pd.DataFrame, rivers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One indicative first-level zone per intake of ``EXTENTS`` (see the module text)."""
    unknown = set(EXTENTS) - set(intakes["intake_id"])
    if unknown:
        raise LayerError(f"extents for intakes not in water_intakes.csv: {sorted(unknown)}", field="intake_id")
    widths = rivers.set_index("river_id")["half_width_m"].astype(float) * 2
    rows = []
    for intake in intakes[intakes["intake_id"].isin(list(EXTENTS))].itertuples():
        extent = EXTENTS[intake.intake_id]
        if pd.isna(intake.lon) or pd.isna(intake.lat):
            raise LayerError("an intake with an extent has no coordinates", feature=intake.intake_id)
        if extent["type"] == "river":
            radius = extent["upstream_m"] + float(widths[extent["river_id"]]) + extent["land_m"]
            how = (
                f"disc of {radius:.0f} m (upstream {extent['upstream_m']:.0f} m + the river's width "
                f"{widths[extent['river_id']]:.0f} m + {extent['land_m']:.0f} m of land) around the published intake"
            )
        else:
            radius = extent["radius_m"] + extent["land_m"]
            how = (
                f"disc of {radius:.0f} m (water within {extent['radius_m']:.0f} m + {extent['land_m']:.0f} m of land) "
                "around the published intake"
            )
        centre = gpd.GeoSeries([shapely.Point(intake.lon, intake.lat)], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]
        rows.append(
            {
                "level": "first",
                "intake_id": intake.intake_id,
                "name_zh": f"{intake.name_zh}一级保护区（示意）",
                "data_status": "indicative",
                "accuracy_m": INTAKE_POSITION_M,
                "source": (
                    f"{intake.approval} ({intake.source}): {intake.location_text}; approved first-level extent "
                    f"{intake.first_level_text}; drawn as the {how}, which contains the approved zone and may "
                    "reach beyond it"
                ),
                "geometry": centre.buffer(radius, quad_segs=DISC_SEGMENTS),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=MEASURE_CRS).to_crs(STORAGE_CRS)
    return frame.sort_values("intake_id").reset_index(drop=True)


def read_intakes(inputs_dir: Path) -> pd.DataFrame:
    return pd.read_csv(inputs_dir / "water_intakes.csv", dtype={"county": str})


def add_to_set(gpkg: Path, inputs_dir: Path) -> Path:
    """Rebuild only ``water_source_zones`` into the committed set ``gpkg``: every other layer and
    metadata row is read back and written unchanged (atomically, with the fixed timestamp)."""
    import yaml

    from .output import finalize, metadata_row, write_atomic

    with open(inputs_dir / "parameters.yaml", encoding="utf-8") as f:
        params = yaml.safe_load(f)
    with open(inputs_dir / "metadata.yaml", encoding="utf-8") as f:
        texts = yaml.safe_load(f)["water_source_zones"]
    layers = {
        name: gpd.read_file(gpkg, layer=name, engine="pyogrio")
        for name in BUNDLED_LAYERS
        if name != "water_source_zones"
    }
    zones = build_water_source_zones(read_intakes(inputs_dir), layers["rivers"])
    layers["water_source_zones"] = finalize("water_source_zones", zones, float(params["precision_deg"]))
    metadata = pyogrio.read_dataframe(gpkg, layer=METADATA_TABLE, read_geometry=False)
    metadata = metadata[metadata["layer"] != "water_source_zones"]
    row = metadata_row("water_source_zones", layers["water_source_zones"], texts)
    metadata = pd.concat([metadata, pd.DataFrame([row])], ignore_index=True)
    ordered = {name: layers[name] for name in BUNDLED_LAYERS}
    return write_atomic(gpkg, ordered, metadata, params["gpkg_timestamp"])


def main(argv=None) -> None:
    from ..load import bundled_path  # the package's data file, which the build writes (DEFAULT_OUTPUT)
    from .inputs import find_inputs_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", type=Path, default=bundled_path())
    parser.add_argument("--inputs", type=Path, default=None)
    args = parser.parse_args(argv)
    print(add_to_set(args.gpkg, find_inputs_dir(args.inputs)))


if __name__ == "__main__":
    main()
