"""The build's own inputs: the CSV/YAML files of ``layers/`` (planner-editable data + parameters)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ...errors import LayerError

INPUTS_ENV = "CHUANNAN_LAYERS_DIR"
_FILES = (
    "counties.csv",
    "districts.csv",
    "zones.csv",
    "rivers.csv",
    "redline_counties.csv",
    "ports.csv",
    "reserve_reaches.csv",
    "reserves.csv",
    "parameters.yaml",
    "metadata.yaml",
)


@dataclass(frozen=True)
class Inputs:
    directory: Path
    counties: pd.DataFrame
    districts: pd.DataFrame
    zones: pd.DataFrame
    rivers: pd.DataFrame
    redline_counties: pd.DataFrame
    ports: pd.DataFrame
    reserve_reaches: pd.DataFrame
    reserves: pd.DataFrame
    params: dict
    metadata: dict


def find_inputs_dir(explicit: str | os.PathLike | None = None) -> Path:
    """``explicit``, else $CHUANNAN_LAYERS_DIR, else ``layers/`` of the source tree, else ./layers.

    The inputs are not shipped in the wheel (only the built GeoPackage is), so a rebuild runs
    from a checkout.
    """
    candidates = [
        explicit,
        os.environ.get(INPUTS_ENV),
        Path(__file__).resolve().parents[3] / "layers",
        Path.cwd() / "layers",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "parameters.yaml").is_file():
            return Path(candidate)
    raise LayerError(f"build inputs (layers/parameters.yaml) not found; set {INPUTS_ENV}")


def _csv(directory: Path, name: str) -> pd.DataFrame:
    # Everything as text: adcodes keep their digits; numeric columns are converted where used.
    return pd.read_csv(directory / name, dtype=str, keep_default_na=False, encoding="utf-8")


def load_inputs(directory: str | os.PathLike | None = None) -> Inputs:
    directory = find_inputs_dir(directory)
    missing = [name for name in _FILES if not (directory / name).is_file()]
    if missing:
        raise LayerError(f"missing build inputs: {', '.join(missing)}", file=directory)
    with open(directory / "parameters.yaml", encoding="utf-8") as f:
        params = yaml.safe_load(f)
    with open(directory / "metadata.yaml", encoding="utf-8") as f:
        metadata = yaml.safe_load(f)
    return Inputs(
        directory=directory,
        counties=_csv(directory, "counties.csv"),
        districts=_csv(directory, "districts.csv"),
        zones=_csv(directory, "zones.csv"),
        rivers=_csv(directory, "rivers.csv"),
        redline_counties=_csv(directory, "redline_counties.csv"),
        ports=_csv(directory, "ports.csv"),
        reserve_reaches=_csv(directory, "reserve_reaches.csv"),
        reserves=_csv(directory, "reserves.csv"),
        params=params,
        metadata=metadata,
    )
