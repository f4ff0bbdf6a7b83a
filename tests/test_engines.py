"""One engine table (chuannan_gis.engines.ENGINES) chooses the engine for check, check_frame, the
streamed check and the CLI: an engine added to the table is used by all of them."""

from __future__ import annotations

import contextlib
import sys
import types
from pathlib import Path

import pytest

import chuannan_gis
from chuannan_gis import engines, stream
from chuannan_gis.errors import InputError
from chuannan_gis.result import Result

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "proposals.gpkg"


@pytest.fixture
def counting_engine(monkeypatch):
    """An engine 'counting' in the table: the default engine's work, its calls counted."""
    from chuannan_gis import engine as default

    calls = {"check_frame": 0, "chunk_checker": 0}
    module = types.ModuleType("counting_engine")

    def check_frame(frame, catalog, constraints, **options):
        calls["check_frame"] += 1
        return default.check_frame(frame, catalog, constraints, **options)

    @contextlib.contextmanager
    def chunk_checker(constraints, catalog, **options):
        calls["chunk_checker"] += 1
        with default.chunk_checker(constraints, catalog) as check:
            yield check

    module.check_frame, module.chunk_checker = check_frame, chunk_checker
    monkeypatch.setitem(sys.modules, "counting_engine", module)
    monkeypatch.setitem(engines.ENGINES, "counting", engines.Engine("counting", "counting_engine", None))
    return calls


def test_the_face_reads_the_one_table():
    assert chuannan_gis.ENGINES is engines.ENGINES
    assert list(engines.ENGINES) == ["default", "dask"]
    assert chuannan_gis.get_engine("default") is chuannan_gis.engine.check_frame
    with pytest.raises(InputError, match="unknown engine 'spark'; engines: default, dask"):
        engines.get_engine("spark")


def test_check_and_the_stream_take_the_engine_from_the_table(counting_engine, tmp_path):
    checked = chuannan_gis.check(EXAMPLE, engine="counting")
    assert counting_engine == {"check_frame": 1, "chunk_checker": 0}
    streamed = stream.check_to_file(EXAMPLE, tmp_path / "out.gpkg", engine="counting")
    assert counting_engine == {"check_frame": 1, "chunk_checker": 1}
    written = Result.read(tmp_path / "out.gpkg")
    assert len(checked.proposals) == 7  # examples/proposals.gpkg
    assert written.proposals["verdict"].tolist() == checked.proposals["verdict"].tolist()
    assert streamed.verdict_counts() == checked.verdict_counts()


def test_a_missing_library_names_the_extra(monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "absent", engines.Engine("absent", "no_such_module_here", "scale"))
    with pytest.raises(chuannan_gis.errors.MissingDependencyError, match=r'pip install "chuannan-gis\[scale\]"'):
        chuannan_gis.get_engine("absent")
