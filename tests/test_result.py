"""The Result: GeoPackage round trip, counts, and the verdict table it renders with."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from chuannan_gis import check
from chuannan_gis.errors import InputError
from chuannan_gis.result import Result
from chuannan_gis.verdicts import VERDICTS, at_or_above, milder, worse
from conftest import KM, YANGTZE_EDGE_X, point


@pytest.fixture
def result(constraints, proposals):
    return check(
        proposals(
            (point(YANGTZE_EDGE_X + 620), "industrial_park", "chemical", "new"),
            (point(512 * KM, 3162 * KM), "industrial_park", "liquor", "new"),  # in the indicative red line
            (point(560 * KM, 3240 * KM), "project", "electronics", "new"),  # clear, with an advisory note
            (point(600 * KM, 3240 * KM), "project", "other", "new"),  # outside the region
        ),
        constraints=constraints,
    )


def test_round_trip(tmp_path, result):
    path = result.write(tmp_path / "out" / "result.gpkg")
    back = Result.read(path)
    assert {row[0] for row in pyogrio.list_layers(path)} == {
        "proposals",
        "findings",
        "not_checked",
        "run_info",
        "overlaps",
    }
    columns = [c for c in result.proposals.columns if c != "geometry"]
    pd.testing.assert_frame_equal(back.proposals[columns], result.proposals[columns], check_dtype=False)
    assert back.proposals.geom_equals_exact(result.proposals.geometry, tolerance=1e-9).all()
    assert back.proposals.crs.to_epsg() == 4490
    pd.testing.assert_frame_equal(back.findings, result.findings, check_dtype=False)
    assert back.findings["feature_id"].dtype == "Int64" and back.findings["advisory"].dtype == bool
    pd.testing.assert_frame_equal(back.not_checked, result.not_checked, check_dtype=False)
    assert back.run_info == result.run_info  # the typed record comes back field for field


def test_write_replaces_atomically(tmp_path, result):
    path = tmp_path / "result.gpkg"
    path.write_text("an old file")
    result.write(path)
    assert len(Result.read(path).proposals) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["result.gpkg"]  # no temporary left behind


def test_empty_findings_round_trip(tmp_path, result):
    empty = Result(result.proposals.iloc[:0], result.findings.iloc[:0], result.not_checked.iloc[:0], result.run_info)
    back = Result.read(empty.write(tmp_path / "empty.gpkg"))
    assert len(back.findings) == 0 and set(result.findings.columns) <= set(back.findings.columns)


def test_read_refuses_other_files(tmp_path):
    other = tmp_path / "other.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), other, layer="x", driver="GPKG")
    with pytest.raises(InputError, match="not a chuannan-gis result"):
        Result.read(other)


def test_counts_and_worst(result):
    assert result.verdict_counts() == {"prohibited": 2, "restricted": 0, "review": 0, "unknown": 1, "clear": 1}
    assert result.worst_rank() == VERDICTS["prohibited"].rank


def test_verdict_table_is_the_schema_table():
    assert [(v.code, v.zh, v.rank, v.colour) for v in VERDICTS.values()] == [
        ("prohibited", "禁止", 5, "#d7191c"),
        ("restricted", "限制", 4, "#f28e2b"),
        ("review", "需审查", 3, "#f1c40f"),
        ("unknown", "无法判定", 2, "#9e9e9e"),
        ("clear", "未发现冲突", 1, "#1a9641"),
    ]
    assert worse("review", "unknown") == "review" and milder("prohibited", "review") == "review"
    assert at_or_above("unknown") == ["prohibited", "restricted", "review", "unknown"]


def test_a_result_written_before_the_typed_run_record_stays_readable(tmp_path, monkeypatch, constraints, proposals):
    """The old run_info: `constraints_path` "; "-joined (the planner's file relative to the folder the
    check ran in), `indicative_layers` ", "-joined, no `layers` or `readings`."""
    from chuannan_gis import load_constraints
    from chuannan_gis.layers import bundled_path
    from chuannan_gis.report import render_report
    from chuannan_gis.result import write_table

    monkeypatch.chdir(tmp_path)
    for name, layer in constraints.layers.items():
        layer.to_file(tmp_path / "planner.gpkg", layer=name)
    planner = load_constraints("planner.gpkg")
    new = check(proposals((point(YANGTZE_EDGE_X + 620), "industrial_park", "chemical", "new")), constraints=planner)
    old_info = {
        "tool_version": "0.1.0",
        "rules_path": new.run_info.rules_path,
        "rules_sha256": new.run_info.rules_sha256,
        "rules_text": new.run_info.rules_text,
        "constraints_path": f"{bundled_path()}; planner.gpkg",
        "constraints_fingerprint": planner.fingerprint,
        "indicative_layers": "eco_redlines, water",
        "input_path": "<GeoDataFrame>",
        "input_sha256": "",
        "time": "2026-11-26T13:00:00+00:00",
    }
    path = tmp_path / "old.gpkg"
    write_table(path, "proposals", new.proposals, append=False)
    write_table(path, "findings", new.findings)
    write_table(path, "not_checked", new.not_checked)
    write_table(path, "run_info", pd.DataFrame({"key": list(old_info), "value": list(old_info.values())}))

    old = Result.read(path)
    assert old.run_info.constraints_paths == [str(bundled_path()), "planner.gpkg"]
    assert old.run_info["indicative_layers"] == ["eco_redlines", "water"]
    assert old.run_info.layers == [] and old.run_info.readings == {}
    assert old.run_info.constraints_overlay == "planner.gpkg"
    assert old.constraint_set().fingerprint == planner.fingerprint  # reopened from the recorded file
    assert old.catalog().sha256 == new.run_info.rules_sha256
    assert "planner.gpkg" in render_report(old) and old.verdict_counts()["prohibited"] == 1


def test_the_run_record_names_every_layer_with_status_coverage_source_and_hash(result):
    layers = {layer.name: layer for layer in result.run_info.layers}
    assert set(layers) == set(result.constraint_set().layers)
    assert layers["eco_redlines"].status == "indicative" and layers["water"].status == "official"
    assert {layer.coverage for layer in layers.values()} == {"region"}
    assert all(len(layer.sha256) == 64 for layer in layers.values())
    assert len({layers[name].sha256 for name in layers}) == len(layers)  # each layer its own hash
    assert all(path.startswith("/") or path == "<memory>" for path in result.run_info.constraints_paths)


def test_a_result_holds_what_it_was_made_with_but_never_pickles_it(result):
    import pickle

    assert result.constraint_set().fingerprint == result.run_info.constraints_fingerprint
    assert result.catalog().sha256 == result.run_info.rules_sha256
    assert pickle.loads(pickle.dumps(result))._held == {}


def test_a_result_written_with_the_catalog_before_the_law_check_stays_readable(tmp_path, result):
    """Its run record holds a catalog without `verified`, with the old citations and rule set."""
    from chuannan_gis.report import render_report
    from conftest import made_with_catalog

    back = Result.read(made_with_catalog(result, "catalog_before_issue12.yaml").write(tmp_path / "old.gpkg"))
    catalog = back.catalog()
    assert catalog.get("redline_production").citation.verified_label() == "未核实 unverified"
    assert "reserve_unzoned" not in {rule.id for rule in catalog}
    assert "prohibited" in render_report(back)  # the report still renders


def test_the_arrow_path_and_the_plugins_fallback_write_and_read_the_same(tmp_path, result, monkeypatch):
    """pyarrow is a dependency (Arrow the default); the QGIS plugin leaves it out and falls back."""
    import chuannan_gis.result as module

    assert module.arrow_usable()  # installed with the library
    arrow = Result.read(result.write(tmp_path / "arrow.gpkg"))
    module.arrow_usable.cache_clear()
    monkeypatch.setattr(module, "arrow_usable", lambda: False)
    plain = Result.read(result.write(tmp_path / "plain.gpkg"))
    for table in ("proposals", "findings", "not_checked"):
        pd.testing.assert_frame_equal(getattr(plain, table), getattr(arrow, table), check_dtype=False)
    for table in ("proposals", "findings"):  # the same GeoPackage field types
        a, b = (pyogrio.read_info(tmp_path / f"{name}.gpkg", layer=table) for name in ("arrow", "plain"))
        assert dict(zip(a["fields"], a["dtypes"])) == dict(zip(b["fields"], b["dtypes"]))
