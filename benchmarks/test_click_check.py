"""Click-to-check: one drawn site checked through the library path the QGIS plugin calls.

The plugin's click panel (qgis_plugin/chuannan_qgis/clickcheck.py → core.drawn_proposal →
core.check) builds a one-row GeoDataFrame of the drawn geometry and the planner's choices,
normalises it with :func:`chuannan_gis.io.read_proposals`, and checks it with
:func:`chuannan_gis.check_frame` against the constraint set it caches and the catalog
:func:`chuannan_gis.load_rules` returns (parsed once per text).  Timed here in a warmed-up process,
site after site; the median and the 90th percentile of the wall-clock and of the CPU seconds
(this process's) go into the figures table.  Nothing fails for
being slow; what is asserted is that each one-site check gives the verdict, rules and summary the
batch check gives the same site.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pyogrio
from bench_support import load_average, record

import chuannan_gis
from chuannan_gis.io import read_proposals

SITES = {"ci": 40, "full": 200}
CHOICES = ("name", "kind", "industry", "status")


def _click(row, constraints):
    """What one click does in the plugin: the drawn site as a one-row frame, normalised and checked."""
    drawn = gpd.GeoDataFrame({key: [row[key]] for key in CHOICES}, geometry=[row.geometry], crs="EPSG:4490")
    return chuannan_gis.check_frame(read_proposals(drawn), chuannan_gis.load_rules(), constraints)


def test_click_to_check_one_site(figures, size, proposals_file, constraints, request):
    count = SITES[request.config.getoption("--size")]
    sites = pyogrio.read_dataframe(proposals_file, max_features=count)
    # points (a click) and the small polygons a planner draws
    sites.loc[sites.index % 2 == 0, "geometry"] = sites.geometry[sites.index % 2 == 0].representative_point()
    _click(sites.iloc[0], constraints)  # the first click builds the indexes, as the plugin's first does
    load, seconds, cpu_seconds, results = load_average(), [], [], []
    for _, row in sites.iterrows():
        start, cpu_start = time.perf_counter(), time.process_time()
        results.append(_click(row, constraints))
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    for statistic, at in (("median", 50), ("p90", 90)):
        wall, cpu = (float(np.percentile(values, at)) for values in (seconds, cpu_seconds))
        record(figures, f"click-to-check, one site, {statistic}", wall, load_start=load, cpu_seconds=cpu)
    batch = chuannan_gis.check_frame(
        read_proposals(sites[[*CHOICES, "geometry"]]), chuannan_gis.load_rules(), constraints
    )
    for position, one in enumerate(results):
        expected = batch.proposals.iloc[position]
        got = one.proposals.iloc[0]
        assert (got["verdict"], got["rule_ids"], got["summary_en"]) == (
            expected["verdict"],
            expected["rule_ids"],
            expected["summary_en"],
        )
