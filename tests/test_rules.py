"""The rule catalog: the bundled rules, the typed model, and errors that say where a bad file is wrong."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from chuannan_gis.errors import RuleError
from chuannan_gis.rules import bundled_rules_path, load_rules

POLICY = Path("/work/shared/policy/chuannan-integration-opinions-2019.zh.txt")
REQUIRED_RULES = {
    "region_outside", "redline_production", "redline_limited_activity", "reserve_core_buffer",
    "reserve_other_zone", "c24_heavy_chemical_park_1km", "c24_petro_coal_chemical",
    "c24_chemical_enterprise_1km", "c24_hazardous_chemical_port", "yrpl26_chemical_1km",
    "yrpl26_tailings_mainstream_3km", "yrpl26_tailings_tributary_1km", "port_shoreline_protected",
    "port_shoreline_controlled", "port_shoreline_development", "port_shoreline_unzoned", "farmland",
    "urban_boundary_outside", "chemical_outside_recognised_park", "water_source_first",
    "water_source_second_polluting", "water_source_quasi", "c7_cluster_fit",
}


def test_bundled_catalog_loads_with_provenance():
    catalog = load_rules()
    assert REQUIRED_RULES <= {rule.id for rule in catalog}
    assert catalog.path == str(bundled_rules_path())
    assert catalog.text == bundled_rules_path().read_text("utf-8")
    assert len(catalog.sha256) == 64


def test_every_rule_cites_and_explains_itself():
    for rule in load_rules():
        assert rule.citation.short and rule.citation.text_zh and rule.message.zh and rule.message.en


def test_art26_distances_and_classes():
    catalog = load_rules()
    chemical = catalog.get("yrpl26_chemical_1km").condition
    assert (chemical.distance_m, chemical.baseline, chemical.measured_layer) == (1000, "water_edge", "water")
    # 干支流: every class (Art. 95); clause (二十四) says 干流及主要支流.
    assert set(chemical.filter["river_class"]) == {"mainstream", "major_tributary", "tributary"}
    assert set(catalog.get("c24_heavy_chemical_park_1km").condition.filter["river_class"]) == {
        "mainstream", "major_tributary"}
    assert catalog.get("yrpl26_tailings_mainstream_3km").condition.distance_m == 3000
    assert catalog.get("yrpl26_chemical_1km").citation.short == "长江保护法 第二十六条"
    assert "禁止在长江干支流岸线一公里范围内新建、扩建化工园区和化工项目" in catalog.get("yrpl26_chemical_1km").citation.text_zh


def test_industry_hierarchy_expands_down():
    codes = load_rules().get("yrpl26_chemical_1km").applies_to.industry_codes()
    assert {"chemical", "petrochemical", "coal_chemical", "heavy_chemical", "pesticide"} == codes


def test_exclusion_removes_industries_and_empty_means_all():
    catalog = load_rules()
    assert "water_works" not in catalog.get("water_source_first").applies_to.industry_codes()
    assert catalog.get("region_outside").applies_to.industry_codes() is None


def test_advisory_rules_are_clear():
    assert all(rule.verdict == "clear" for rule in load_rules() if rule.advisory)


@pytest.mark.skipif(not POLICY.exists(), reason="policy text not available")
def test_clause_quotes_are_verbatim_from_the_policy():
    policy = POLICY.read_text("utf-8")
    for rule in load_rules():
        if rule.citation.short.startswith("川南一体化实施意见") and "……" not in rule.citation.text_zh:
            assert rule.citation.text_zh in policy, rule.id


def test_missing_get_raises_keyerror():
    with pytest.raises(KeyError):
        load_rules().get("no_such_rule")


# --- bad catalogs ---------------------------------------------------------------------------------

def write_edited(tmp_path, edit) -> Path:
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def rule_of(raw, rule_id):
    return next(r for r in raw["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize("edit, field", [
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(distance_m=-5), "condition.distance_m"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].pop("distance_m"), "condition"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(layer="lakes"), "condition.layer"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(predicate="near"), "condition.predicate"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(filter={"river_class": ["creek"]}),
     "condition"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["applies_to"].update(industries=["alchemy"]),
     "applies_to.industries"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km").update(verdict="forbidden"), "verdict"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["message"].update(en="{distance} away"), "message.en"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km")["citation"].pop("short"), "citation.short"),
    (lambda r: rule_of(r, "yrpl26_chemical_1km").update(colour="red"), "colour"),
])
def test_bad_rule_names_file_rule_and_field(tmp_path, edit, field):
    path = write_edited(tmp_path, edit)
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    error = caught.value
    assert error.field == field
    assert error.file == str(path)
    assert error.feature == "yrpl26_chemical_1km"
    assert "yrpl26_chemical_1km" in str(error) and field in str(error)


def test_advisory_with_a_verdict_is_refused(tmp_path):
    path = write_edited(tmp_path, lambda r: rule_of(r, "c7_cluster_fit").update(verdict="review"))
    with pytest.raises(RuleError, match="c7_cluster_fit"):
        load_rules(path)


def test_duplicate_ids_are_refused(tmp_path):
    path = write_edited(tmp_path, lambda r: r["rules"].append(dict(r["rules"][0])))
    with pytest.raises(RuleError, match="twice") as caught:
        load_rules(path)
    assert caught.value.feature == "region_outside"


@pytest.mark.parametrize("text", ["rules: [", "just text", "rules: []"])
def test_unreadable_or_empty_catalog(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    assert caught.value.file == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(RuleError, match="cannot be read"):
        load_rules(tmp_path / "none.yaml")


def test_rule_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_rules(write_edited(tmp_path, lambda r: rule_of(r, "farmland").update(verdict="maybe")))


def test_docs_list_every_bundled_rule():
    docs = (Path(__file__).parents[1] / "docs" / "rules.md").read_text("utf-8")
    assert [rule.id for rule in load_rules() if f"| `{rule.id}` |" not in docs] == []


# --- relations: unknown_where companions are derived, not copied ---------------------------------

def test_companions_are_derived_after_their_parent_and_say_so():
    catalog = load_rules()
    ids = [rule.id for rule in catalog]
    parent = catalog.get("yrpl26_tailings_tributary_1km")
    companion = catalog.get("yrpl26_tailings_tributary_1km_data_gap")
    assert ids.index(companion.id) == ids.index(parent.id) + 1
    assert companion.derived_from == parent.id and parent.derived_from is None
    assert (companion.verdict, companion.citation, companion.applies_to) == ("unknown", parent.citation,
                                                                             parent.applies_to)
    assert parent.title.zh in companion.title.zh and parent.title.en in companion.title.en
    assert "无法判定" in companion.message.zh and "could not be evaluated" in companion.message.en
    # The catalog file no longer spells the companions out.
    assert re.search(r"id: \w+_data_gap\b", bundled_rules_path().read_text("utf-8")) is None


def test_a_title_with_braces_is_not_a_placeholder(tmp_path):
    path = write_edited(tmp_path, lambda r: rule_of(r, "yrpl26_chemical_1km")["title"].update(en="Art. {26}"))
    assert "Art. {{26}}" in load_rules(path).get("yrpl26_chemical_1km_data_gap").message.en


@pytest.mark.parametrize("entry, field", [
    ({"layer": "lakes"}, "unknown_where.0.layer"),
    ({"filter": {"river_class": ["creek"]}}, "unknown_where.0"),
    ({"filter": {"colour": ["red"]}}, "unknown_where.0"),
    ({"when": {"no_such_reading": "all"}}, "unknown_where.0.when"),
    ({"when": {"yrpl26_tributaries": "some"}}, "unknown_where.0.when"),
    ({"suffix": "Bad Suffix"}, "unknown_where.0.suffix"),
    ({"distance_m": 5}, "unknown_where.0.distance_m"),
])
def test_bad_unknown_where_names_the_rule_and_field(tmp_path, entry, field):
    path = write_edited(tmp_path, lambda r: rule_of(r, "yrpl26_chemical_1km").update(unknown_where=[entry]))
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    assert (caught.value.feature, caught.value.field) == ("yrpl26_chemical_1km", field)


def test_a_companion_id_that_clashes_is_refused(tmp_path):
    def edit(raw):
        rule = rule_of(raw, "yrpl26_chemical_1km")
        rule["unknown_where"] = rule["unknown_where"] + [dict(rule["unknown_where"][0])]
    with pytest.raises(RuleError, match="twice") as caught:
        load_rules(write_edited(tmp_path, edit))
    assert caught.value.feature == "yrpl26_chemical_1km_data_gap"


def test_derived_from_must_name_a_rule(tmp_path):
    path = write_edited(tmp_path, lambda r: rule_of(r, "farmland").update(derived_from="no_such_rule"))
    with pytest.raises(RuleError, match="no_such_rule") as caught:
        load_rules(path)
    assert (caught.value.feature, caught.value.field) == ("farmland", "derived_from")


# --- readings and citation verification -----------------------------------------------------------

def test_readings_default_and_are_validated(tmp_path):
    assert load_rules().readings == {"yrpl26_tributaries": "all"}
    omitted = write_edited(tmp_path, lambda r: r.pop("readings"))
    assert load_rules(omitted).readings == {"yrpl26_tributaries": "all"}  # a planner's catalog may omit it
    for bad in ({"yrpl26_tributaries": "some"}, {"no_such": "all"}, ["all"]):
        with pytest.raises(RuleError) as caught:
            load_rules(write_edited(tmp_path, lambda r, bad=bad: r.update(readings=bad)))
        assert caught.value.field == "readings"


def test_verified_is_optional_and_typed(tmp_path):
    catalog = load_rules()
    assert catalog.get("farmland").citation.verified_label() == "未核实 unverified"
    stamp = {"date": "2026-03-20", "source": "国家法律法规数据库 flk.npc.gov.cn", "in_force": True}
    path = write_edited(tmp_path, lambda r: rule_of(r, "farmland")["citation"].update(verified=stamp))
    citation = load_rules(path).get("farmland").citation
    assert citation.verified.date.isoformat() == "2026-03-20" and citation.verified.in_force
    assert citation.verified_label() == "已核实 verified 2026-03-20 · 国家法律法规数据库 flk.npc.gov.cn · 现行有效 in force"
    bad = write_edited(tmp_path, lambda r: rule_of(r, "farmland")["citation"].update(verified={"date": "soon"}))
    with pytest.raises(RuleError) as caught:
        load_rules(bad)
    assert caught.value.field.startswith("citation.verified")


OLD_CATALOG = """
citations:
  - &reserve {document: 中华人民共和国自然保护区条例, clause: 第三十二条, text_zh: 在自然保护区的核心区和缓冲区内，不得建设任何生产设施。, short: 自然保护区条例 第三十二条}
rules:
  - id: reserve_core_buffer
    title: {zh: 自然保护区核心区、缓冲区内的建设, en: Construction in a nature reserve's core or buffer zone}
    applies_to: {statuses: [new, expansion]}
    condition: {layer: nature_reserves, filter: {zone: [core, buffer]}, predicate: intersects}
    verdict: prohibited
    citation: *reserve
    message: {zh: "位于“{feature}”内", en: "inside {feature}"}
  - id: reserve_core_buffer_data_gap
    title: {zh: 缺数据, en: gap}
    applies_to: {statuses: [new, expansion]}
    condition: {layer: data_gaps, filter: {missing_layer: [nature_reserves]}, predicate: intersects}
    layer_required: false
    verdict: unknown
    citation: *reserve
    message: {zh: "位于{feature}内", en: "inside the {feature}"}
"""


def test_a_catalog_stored_by_an_older_result_still_loads(tmp_path):
    # As Results stored catalogs before relations, readings, verified and the new zones:
    # hand-written companions, zone [core, buffer], no readings, no verified.
    path = tmp_path / "old.yaml"
    path.write_text(OLD_CATALOG, encoding="utf-8")
    catalog = load_rules(path)
    assert [rule.id for rule in catalog] == ["reserve_core_buffer", "reserve_core_buffer_data_gap"]
    assert catalog.get("reserve_core_buffer_data_gap").derived_from is None
    assert catalog.get("reserve_core_buffer").condition.filter == {"zone": ["core_protection"]}
    assert catalog.get("reserve_core_buffer").citation.verified is None
    assert catalog.readings == {"yrpl26_tributaries": "all"}
