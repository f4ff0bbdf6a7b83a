"""The rule catalog: the bundled rules, the typed model, and errors that say where a bad file is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from chuannan_gis.errors import RuleError
from chuannan_gis.rules import bundled_rules_path, load_rules

# The published 主要内容 of the 2019 实施意见, in the repository (docs/policy/README.md).
POLICY = Path(__file__).parents[1] / "docs" / "policy" / "chuannan-integration-opinions-2019.zh.txt"
REQUIRED_RULES = {
    "region_outside",
    "redline_production",
    "redline_limited_activity",
    "reserve_core_buffer",
    "reserve_other_zone",
    "c24_heavy_chemical_park_1km",
    "c24_petro_coal_chemical",
    "c24_chemical_enterprise_1km",
    "c24_hazardous_chemical_port",
    "yrpl26_chemical_1km",
    "yrpl26_tailings_mainstream_3km",
    "yrpl26_tailings_tributary_1km",
    "port_shoreline_protected",
    "port_shoreline_controlled",
    "port_shoreline_development",
    "port_shoreline_unzoned",
    "farmland",
    "urban_boundary_outside",
    "chemical_outside_recognised_park",
    "water_source_first",
    "water_source_second_polluting",
    "water_source_quasi",
    "c7_cluster_fit",
}


def test_bundled_catalog_loads_with_provenance():
    catalog = load_rules()
    assert {rule.id for rule in catalog} >= REQUIRED_RULES
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
        "mainstream",
        "major_tributary",
    }
    assert catalog.get("yrpl26_tailings_mainstream_3km").condition.distance_m == 3000
    assert catalog.get("yrpl26_chemical_1km").citation.short == "长江保护法 第二十六条"
    assert (
        "禁止在长江干支流岸线一公里范围内新建、扩建化工园区和化工项目"
        in catalog.get("yrpl26_chemical_1km").citation.text_zh
    )


def test_industry_hierarchy_expands_down():
    codes = load_rules().get("yrpl26_chemical_1km").applies_to.industry_codes()
    assert {"chemical", "petrochemical", "coal_chemical", "heavy_chemical", "pesticide"} == codes


def test_exclusion_removes_industries_and_empty_means_all():
    catalog = load_rules()
    assert "water_works" not in catalog.get("water_source_first").applies_to.industry_codes()
    assert catalog.get("region_outside").applies_to.industry_codes() is None


def test_advisory_rules_are_clear():
    assert all(rule.verdict == "clear" for rule in load_rules() if rule.advisory)


def clause_label(label: str) -> str:
    """A clause label with ASCII brackets: the policy file writes (二十四), the catalog （二十四）."""
    return label.replace("（", "(").replace("）", ")")


def policy_clauses() -> dict[str, str]:
    """Clause label → its text in the policy file, the label as ``(二十四)``."""
    text = POLICY.read_text("utf-8")
    parts = re.split(r"(?m)^(\([一二三四五六七八九十]+\))", clause_label(text))
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_clause_labels_are_read_alike_with_either_bracket():
    full, ascii_ = "（二十四）统筹岸线保护与建设", "(二十四)统筹岸线保护与建设"
    assert clause_label(full) == clause_label(ascii_) == ascii_
    assert {"(七)", "(十一)", "(二十四)"} <= set(policy_clauses())


def test_clause_quotes_are_verbatim_from_the_policy_clause_they_name():
    # Runs everywhere: the policy text is in the repository.  Each part between "……" must be in
    # the clause the citation names, not merely somewhere in the file.
    clauses = policy_clauses()
    checked = 0
    for rule in load_rules():
        citation = rule.citation
        if not citation.short.startswith("川南一体化实施意见"):
            continue
        label = re.match(r"\([一二三四五六七八九十]+\)", clause_label(citation.clause)).group(0)
        assert citation.clause.startswith("（"), rule.id  # the catalog writes full-width brackets
        title = clause_label(citation.clause)[len(label) :]
        assert clauses[label].startswith(title), (rule.id, label)
        for part in citation.text_zh.split("……"):
            assert part in clauses[label], (rule.id, part)
        checked += 1
    assert checked >= 8


def test_the_policy_quote_check_catches_a_wrong_clause(tmp_path):
    clauses = policy_clauses()
    quote = load_rules().get("c24_heavy_chemical_park_1km").citation.text_zh
    assert quote in clauses["(二十四)"] and quote not in clauses["(十一)"]


def test_every_bundled_citation_says_whether_it_was_verified():
    for rule in load_rules():
        verified = rule.citation.verified
        assert verified is not None, rule.id
        assert verified.source and verified.in_force in (True, False, "unknown"), rule.id
        assert rule.citation.verified_label() != "未核实 unverified", rule.id


def test_a_rule_citing_an_unverified_quote_says_so_in_both_languages():
    unverified = [rule for rule in load_rules() if not rule.citation.quote_verified]
    assert {
        "urban_boundary_outside",
        "chemical_outside_recognised_park",
        "reserve_other_zone",
        "redline_key_project",
    } <= {rule.id for rule in unverified}
    for rule in unverified:
        assert "未核实" in rule.message.zh and "unverified" in rule.message.en, rule.id
        assert "未核实" in rule.citation.cited(), rule.id


def test_citations_name_the_texts_in_force():
    catalog = load_rules()
    issuer = "中共四川省委办公厅 四川省人民政府办公厅"
    assert catalog.get("c24_heavy_chemical_park_1km").citation.document.startswith(issuer)
    redline = catalog.get("redline_production").citation
    assert redline.clause == "一、加强人为活动管控 （一）规范管控对生态功能不造成破坏的有限人为活动"
    assert "生态保护红线内自然保护区、风景名胜区、饮用水水源保护区等区域，依照法律法规执行。" in redline.text_zh
    assert "原则上禁止人为活动" not in redline.text_zh  # the 2019 opinion's sentence, not 142号's
    farmland = catalog.get("farmland").citation
    assert "必须经国务院批准" in farmland.text_zh  # §35 with its exception
    reserve = catalog.get("reserve_core_buffer").citation
    assert "国务院令第830号" in reserve.document and "2026年3月15日起施行" in reserve.document
    assert "第三十二条" not in reserve.clause and reserve.verified.in_force is True
    assert "若干意见" in catalog.get("urban_boundary_outside").citation.document
    # issue 23: the 生态环境法典 (in force 2026-08-15, 第一千二百四十二条 repeals the 水污染防治法) holds the
    # drinking-water rules; its articles' wording was not read, so the quote is marked unverified.
    for rule_id, article in (
        ("water_source_first", "第三百一十九条"),
        ("water_source_first_existing", "第三百一十九条"),
        ("water_source_second_polluting", "第三百二十条"),
        ("water_source_second_existing_polluting", "第三百二十条"),
        ("water_source_quasi", "第三百二十一条"),
    ):
        citation = catalog.get(rule_id).citation
        assert citation.document.startswith("中华人民共和国生态环境法典") and "2026年8月15日起施行" in citation.document
        assert citation.clause.startswith(article) and citation.verified.in_force is True
        assert citation.verified.text == "unverified" and "未核实" in citation.short
        assert "水污染防治法" not in citation.document
    assert "加快培育电子信息产业集群" in catalog.get("c7_cluster_fit").citation.text_zh


def test_in_force_takes_true_false_or_unknown(tmp_path):
    stamp = {"date": "2026-12-01", "source": "s", "in_force": "unknown", "text": "partial"}
    path = write_edited(
        tmp_path,
        lambda r: rule_of(r, "farmland").update(citation={**rule_of(r, "farmland")["citation"], "verified": stamp}),
    )
    label = load_rules(path).get("farmland").citation.verified_label()
    assert label == "部分核实 partly verified 2026-12-01 · s · 是否有效未确定 in force unknown"
    for bad in ({**stamp, "in_force": "maybe"}, {**stamp, "text": "mostly"}):
        path = write_edited(
            tmp_path,
            lambda r, bad=bad: rule_of(r, "farmland").update(
                citation={**rule_of(r, "farmland")["citation"], "verified": bad}
            ),
        )
        with pytest.raises(RuleError) as caught:
            load_rules(path)
        assert caught.value.field.startswith("citation.verified")


def test_the_catalog_before_the_law_check_still_loads():
    # A Result written before issue 12 stores this text: no `verified`, old citations.
    old = Path(__file__).parent / "data" / "catalog_before_issue12.yaml"
    catalog = load_rules(old)
    assert all(rule.citation.verified is None for rule in catalog)
    assert catalog.get("farmland").citation.verified_label() == "未核实 unverified"
    assert catalog.get("redline_production").applies_to.exclude_key_projects == []


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


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(distance_m=-5), "condition.distance_m"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].pop("distance_m"), "condition"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(layer="lakes"), "condition.layer"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(predicate="near"), "condition.predicate"),
        (
            lambda r: rule_of(r, "yrpl26_chemical_1km")["condition"].update(filter={"river_class": ["creek"]}),
            "condition",
        ),
        (
            lambda r: rule_of(r, "yrpl26_chemical_1km")["applies_to"].update(industries=["alchemy"]),
            "applies_to.industries",
        ),
        (lambda r: rule_of(r, "yrpl26_chemical_1km").update(verdict="forbidden"), "verdict"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["message"].update(en="{distance} away"), "message.en"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km")["citation"].pop("short"), "citation.short"),
        (lambda r: rule_of(r, "yrpl26_chemical_1km").update(colour="red"), "colour"),
    ],
)
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
    assert (companion.verdict, companion.citation, companion.applies_to) == (
        "unknown",
        parent.citation,
        parent.applies_to,
    )
    assert parent.title.zh in companion.title.zh and parent.title.en in companion.title.en
    assert "无法判定" in companion.message.zh and "could not be evaluated" in companion.message.en
    # The catalog file no longer spells the companions out.
    assert re.search(r"id: \w+_data_gap\b", bundled_rules_path().read_text("utf-8")) is None


def test_a_title_with_braces_is_not_a_placeholder(tmp_path):
    path = write_edited(tmp_path, lambda r: rule_of(r, "yrpl26_chemical_1km")["title"].update(en="Art. {26}"))
    assert "Art. {{26}}" in load_rules(path).get("yrpl26_chemical_1km_data_gap").message.en


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"layer": "lakes"}, "unknown_where.0.layer"),
        ({"filter": {"river_class": ["creek"]}}, "unknown_where.0"),
        ({"filter": {"colour": ["red"]}}, "unknown_where.0"),
        ({"when": {"no_such_reading": "all"}}, "unknown_where.0.when"),
        ({"when": {"yrpl26_tributaries": "some"}}, "unknown_where.0.when"),
        ({"suffix": "Bad Suffix"}, "unknown_where.0.suffix"),
        ({"distance_m": 5}, "unknown_where.0.distance_m"),
    ],
)
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
    # A planner's catalog may omit `verified`: the citation then reads unverified everywhere.
    path = write_edited(tmp_path, lambda r: rule_of(r, "farmland")["citation"].pop("verified"))
    bare = load_rules(path).get("farmland").citation
    assert bare.verified_label() == "未核实 unverified"
    assert bare.cited() == "土地管理法 第三十五条（未核实 unverified）"
    stamp = {"date": "2026-03-20", "source": "国家法律法规数据库 flk.npc.gov.cn", "in_force": True}
    path = write_edited(tmp_path, lambda r: rule_of(r, "farmland")["citation"].update(verified=stamp))
    citation = load_rules(path).get("farmland").citation
    assert citation.verified.date.isoformat() == "2026-03-20" and citation.verified.in_force
    assert (
        citation.verified_label()
        == "已核实 verified 2026-03-20 · 国家法律法规数据库 flk.npc.gov.cn · 现行有效 in force"
    )
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
