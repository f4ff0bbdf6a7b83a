"""Area statistics of a surface: km² per verdict, per county and per 都市区 (clause (十一)).

Cells are counted by their centre's county while the blocks are computed, so the statistics cost
no second pass over the raster.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..verdicts import RANK, VERDICTS

SQUARE_METRES_PER_KM2 = 1e6
AREA_DECIMALS = 2  # km² in the CSV: 35251.38, not 35251.380000000005 (a 30 m cell is 0.0009 km²)
# Worst first, as every verdict table of the project.
VERDICT_COLUMNS = [f"{code}_km2" for code in VERDICTS]


class AreaTally:
    """Cell counts by (county position + 1, band-1 code); county 0 is outside every county."""

    def __init__(self, county_count: int):
        self.counts = np.zeros((county_count + 1, max(RANK.values()) + 1), dtype=np.int64)

    def add(self, county: np.ndarray, verdict: np.ndarray, counted: np.ndarray | None = None) -> None:
        """Count the cells where ``counted`` (not nodata; None: every cell)."""
        if counted is not None:
            county, verdict = county[counted], verdict[counted]
        # (county, verdict) as one number, in a type as narrow as holds them all
        pairs = county.astype(np.promote_types(np.min_scalar_type(self.counts.size), verdict.dtype))
        pairs = pairs.reshape(-1) * self.counts.shape[1] + verdict.reshape(-1)
        self.counts += np.bincount(pairs, minlength=self.counts.size).reshape(self.counts.shape)

    def table(self, counties, resolution: float) -> pd.DataFrame:
        """km² per verdict for each county with counted cells, each 都市区, and the whole extent.

        Columns: ``level`` (county | district | total), ``name``, ``city``, ``district``, one
        ``<verdict>_km2`` column per verdict (worst first), ``total_km2``.
        """
        km2 = self.counts * resolution**2 / SQUARE_METRES_PER_KM2
        by_rank = {f"{code}_km2": km2[1:, RANK[code]] for code in VERDICTS}
        rows = pd.DataFrame(
            {
                "level": "county",
                "name": counties["name_zh"].to_numpy(),
                "city": counties["city_zh"].to_numpy(),
                "district": counties["district_zh"].to_numpy(),
                **by_rank,
            }
        )
        rows = rows[self.counts[1:].sum(axis=1) > 0]
        districts = rows.groupby("district", sort=True)[VERDICT_COLUMNS].sum().reset_index()
        districts = districts.assign(level="district", name=districts["district"], city="")
        total = pd.DataFrame(
            [
                {
                    "level": "total",
                    "name": "合计 total",
                    "city": "",
                    "district": "",
                    **rows[VERDICT_COLUMNS].sum().to_dict(),
                }
            ]
        )
        table = pd.concat([rows, districts, total], ignore_index=True)
        table["total_km2"] = table[VERDICT_COLUMNS].sum(axis=1)
        return table[["level", "name", "city", "district", *VERDICT_COLUMNS, "total_km2"]]
