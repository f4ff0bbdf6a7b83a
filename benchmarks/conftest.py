"""Benchmark sizes, the data and fixtures they share, and the figures table printed at the end.

``--size ci`` (the default) runs every benchmark on small data in well under a minute, to show
that they still run and that the engines agree; ``--size full`` runs the sizes of the targets
(benchmarks/README.md).  Generated files are cached in ``$CHUANNAN_BENCH_DATA`` (default
``~/.cache/chuannan-gis-bench``): the generator is seeded, so a cached file is the same file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench_support import cached, summary_lines

import chuannan_gis

SIZES = {
    "ci": {"proposals": 1_000, "parcels": (2_000,), "screen_m": (250.0,)},
    "full": {"proposals": 100_000, "parcels": (100_000, 1_000_000), "screen_m": (100.0, 30.0)},
}


def pytest_addoption(parser):
    parser.addoption("--size", choices=sorted(SIZES), default="ci", help="benchmark data size (ci | full)")


@pytest.fixture(scope="session")
def size(request) -> dict:
    return SIZES[request.config.getoption("--size")]


def pytest_generate_tests(metafunc):
    """One benchmark per parcel count and per screening resolution of the chosen size."""
    chosen = SIZES[metafunc.config.getoption("--size")]
    for argument, key in (("parcel_count", "parcels"), ("resolution", "screen_m")):
        if argument in metafunc.fixturenames:
            metafunc.parametrize(argument, chosen[key], ids=[f"{v:g}" for v in chosen[key]])


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = Path(os.environ.get("CHUANNAN_BENCH_DATA", Path.home() / ".cache" / "chuannan-gis-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def proposals_file(size, data_dir) -> Path:
    return cached(data_dir, "proposals", size["proposals"])


@pytest.fixture(scope="session")
def constraints():
    return chuannan_gis.load_constraints()


@pytest.fixture(scope="session")
def catalog():
    return chuannan_gis.load_rules()


def pytest_terminal_summary(terminalreporter, config):
    table = summary_lines(config.stash.get(FIGURES_KEY, {}))
    if table:
        terminalreporter.write_sep(
            "=", f"chuannan-gis figures (load average at start: {config.stash.get(LOAD_KEY, '?')})"
        )
        for line in table:
            terminalreporter.write_line(line)


FIGURES_KEY = pytest.StashKey[dict]()
LOAD_KEY = pytest.StashKey[str]()


def pytest_configure(config):
    config.stash[FIGURES_KEY] = {}
    config.stash[LOAD_KEY] = " ".join(f"{v:.2f}" for v in os.getloadavg())


@pytest.fixture(scope="session")
def figures(request) -> dict:
    """What each benchmark measured, by name (see bench_support.record); printed as a table at the end."""
    return request.config.stash[FIGURES_KEY]
