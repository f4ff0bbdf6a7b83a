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
    assert set(chemical.filter["river_class"]) == {"mainstream", "major_tributary"}
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
