"""The rule catalog: rules as data, each with its citation, validated by a typed model on load.

A rule says *to what* it applies (kinds, industries through the industry hierarchy, statuses),
*what spatial condition* fires it (a layer, a filter on that layer's fields, a predicate and a
distance), *what verdict* it gives and *why* (the citation).  Thresholds and citations live in
``catalog.yaml`` beside this module and nowhere in code: a planner edits a copy and passes
``rules=PATH``.  See ``docs/rules.md`` for the format.

Relations between rules are data too (as prowler's ``RelatedTo``): a rule's ``unknown_where``
entries name the ``data_gaps`` features where it cannot be evaluated, and the loader derives from
each a companion rule ``<id>_<suffix>`` (verdict ``unknown``, the parent's scope, citation and
distance) that records ``derived_from: <id>``.  A planner who edits the parent edits both.
"""

from __future__ import annotations

import datetime
import hashlib
import string
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import RuleError
from ..layers.schema import LAYERS
from ..verdicts import CODES
from ..vocabulary import vocabularies

Predicate = Literal["intersects", "within", "dwithin", "outside", "partly_outside"]
Baseline = Literal["water_edge", "centreline", "feature"]
PREDICATES = get_args(Predicate)
BASELINES = get_args(Baseline)
# A river rule names the river layer it filters; the baseline picks the geometry measured from.
BASELINE_LAYER = {"water_edge": "water", "centreline": "rivers"}
RIVER_LAYERS = tuple(BASELINE_LAYER.values())
# Placeholders a message template may use; the engine fills each in both languages.
MESSAGE_FIELDS = frozenset({"measured", "threshold", "feature", "accuracy", "layer", "overlap_pct"})

# libyaml's loader, where PyYAML was built with it, parses the catalog ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Verdict = Literal["prohibited", "restricted", "review", "unknown", "clear"]
assert set(get_args(Verdict)) == set(CODES)  # the model and the verdict table must agree


@lru_cache(maxsize=1024)  # called per finding: a few dozen templates, 100,000s of findings
def placeholders(template: str) -> tuple[str, ...]:
    """The placeholder names a message template uses, in order.

    >>> placeholders("{measured} from the {feature}, within {threshold}")
    ('measured', 'feature', 'threshold')
    """
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Message(Text):
    @field_validator("zh", "en")
    @classmethod
    def _known_placeholders(cls, template: str) -> str:
        try:
            fields = list(string.Formatter().parse(template))
        except ValueError as err:  # unbalanced braces
            raise ValueError(f"not a valid template: {err}") from err
        unknown = {name for _, name, _, _ in fields if name} - MESSAGE_FIELDS
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(MESSAGE_FIELDS)}")
        if any(name and (spec or conversion) for _, name, spec, conversion in fields):
            raise ValueError("placeholders take no format spec: the engine fills them already formatted")
        return template


class Verified(_Strict):
    """When and where a citation's quote was checked against the official text.

    ``text`` says how much of ``text_zh`` was found in that source: all of it (``verified``), only
    part (``partial``: the rest was not found), or none (``unverified``: ``text_zh`` is the wording
    reported by others, and the rule's message must say so).  ``in_force`` is ``unknown`` where the
    evidence found could not settle it (e.g. a code adopted with no effective date found).
    """

    date: datetime.date
    source: str = Field(min_length=1)  # where the official text was found (a gazette, a URL ...)
    in_force: bool | Literal["unknown"]  # whether the text was in force on ``date``
    text: Literal["verified", "partial", "unverified"] = "verified"
    # What replaced a text no longer in force (the 水污染防治法 by the 生态环境法典): kept so that a
    # Result made under an older catalog still says where the rule went.
    superseded_by: str | None = None


class Citation(_Strict):
    document: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    text_zh: str = Field(min_length=1)
    short: str = Field(min_length=1)
    # Optional so that a planner's catalog, and the catalog text stored in older Results, load.
    verified: Verified | None = None

    @property
    def quote_verified(self) -> bool:
        """Whether the quoted text was found in a checked source (wholly or in part)."""
        return self.verified is not None and self.verified.text != "unverified"

    def verified_label(self) -> str:
        """One line for ``rules show`` and reports: when and where, or 未核实 unverified."""
        if self.verified is None:
            return "未核实 unverified"
        state = {True: "现行有效 in force", False: "已失效 not in force", "unknown": "是否有效未确定 in force unknown"}[
            self.verified.in_force
        ]
        extent = {
            "verified": "已核实 verified",
            "partial": "部分核实 partly verified",
            "unverified": "引文未核实 quote unverified (checked)",
        }[self.verified.text]
        if self.verified.superseded_by:
            state += f"（已被取代 superseded by {self.verified.superseded_by}）"
        return f"{extent} {self.verified.date.isoformat()} · {self.verified.source} · {state}"

    def cited(self) -> str:
        """The short citation a finding carries, marked where the quote was not verified.

        >>> Citation(document="d", clause="c", text_zh="t", short="某法 第一条").cited()
        '某法 第一条（未核实 unverified）'
        """
        if self.quote_verified or "未核实" in self.short:  # the bundled shorts say it already
            return self.short
        return f"{self.short}（未核实 unverified）"


class AppliesTo(_Strict):
    """Which proposals a rule applies to; an empty list means all."""

    kinds: list[str] = []
    industries: list[str] = []
    exclude_industries: list[str] = []
    statuses: list[str] = []
    # The texts' exception routes (red lines, farmland) are for 国家重大项目: `key_projects:
    # [national]` selects those proposals, `exclude_key_projects: [national]` leaves them out.
    key_projects: list[str] = []
    exclude_key_projects: list[str] = []
    # An exception a text gives for a declared aim (长江保护法 §26 ¶3: a tailings 改建 to raise safety
    # or environmental protection): `purposes: [safety_upgrade]` selects those proposals,
    # `exclude_purposes: [safety_upgrade]` leaves them out.
    purposes: list[str] = []
    exclude_purposes: list[str] = []

    @field_validator(
        "kinds",
        "industries",
        "exclude_industries",
        "statuses",
        "key_projects",
        "exclude_key_projects",
        "purposes",
        "exclude_purposes",
    )
    @classmethod
    def _in_vocabulary(cls, codes: list[str], info) -> list[str]:
        vocab = vocabularies()[_VOCAB_OF[info.field_name]]
        bad = [c for c in codes if c not in vocab.terms]
        if bad:
            raise ValueError(f"{bad} not in the {vocab.name} vocabulary ({', '.join(vocab.allowed())})")
        return codes

    def industry_codes(self) -> frozenset[str] | None:
        """The industries the rule applies to, expanded down the hierarchy; None means all."""
        return _industry_codes(tuple(self.industries), tuple(self.exclude_industries))


@lru_cache(maxsize=1024)  # asked per rule and check: a one-site check asks all of them for one site
def _industry_codes(industries: tuple[str, ...], exclude: tuple[str, ...]) -> frozenset[str] | None:
    vocab = vocabularies()["industry"]
    included = set().union(*(vocab.descendants(c) for c in industries)) if industries else set(vocab.terms)
    excluded = set().union(*(vocab.descendants(c) for c in exclude))
    if not industries and not excluded:
        return None
    return frozenset(included - excluded)


_VOCAB_OF = {
    "kinds": "kind",
    "industries": "industry",
    "exclude_industries": "industry",
    "statuses": "status",
    "key_projects": "key_project",
    "exclude_key_projects": "key_project",
    "purposes": "purpose",
    "exclude_purposes": "purpose",
}


class Condition(_Strict):
    """The spatial test: ``predicate`` between a proposal and the ``filter``-ed features of ``layer``."""

    layer: str
    filter: dict[str, list[str]] = {}
    predicate: Predicate
    distance_m: float | None = Field(default=None, gt=0)
    baseline: Baseline = "feature"
    # Judge each proposal by the one feature holding most of it on its own side of this field
    # (`bank`: a port grazing the far bank's zone follows its own bank's; engine/share.py).
    largest_share_by: str | None = None

    @field_validator("layer")
    @classmethod
    def _known_layer(cls, layer: str) -> str:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}; layers: {', '.join(LAYERS)}")
        return layer

    @model_validator(mode="after")
    def _consistent(self) -> Condition:
        if (self.predicate == "dwithin") != (self.distance_m is not None):
            raise ValueError("distance_m is required with predicate dwithin, and only with it")
        if self.largest_share_by is not None:
            if self.predicate != "intersects":
                raise ValueError("largest_share_by needs predicate intersects (it picks the zone a proposal is in)")
            if self.largest_share_by not in LAYERS[self.layer].fields:
                raise ValueError(f"largest_share_by: {self.largest_share_by!r} is not a field of layer {self.layer}")
        if self.baseline != "feature" and self.layer not in RIVER_LAYERS:
            raise ValueError(f"baseline {self.baseline} needs a river layer ({', '.join(RIVER_LAYERS)})")
        _check_filter(self.measured_layer, self.filter)
        return self

    @field_validator("filter")
    @classmethod
    def _codes_not_aliases(cls, filter: dict[str, list[str]], info) -> dict[str, list[str]]:
        # A catalog written before a vocabulary changed (zone: [core, buffer]) keeps loading, with
        # the same meaning the layer loader gives those words.
        layer = info.data.get("layer")
        if layer not in LAYERS:
            return filter
        aliases = LAYERS[layer].aliases
        return {f: list(dict.fromkeys(aliases.get(f, {}).get(v, v) for v in values)) for f, values in filter.items()}

    @property
    def measured_layer(self) -> str:
        """The layer whose geometry is measured: the water edge or centreline for river rules."""
        return BASELINE_LAYER.get(self.baseline, self.layer)

    def filter_key(self) -> tuple:
        """A hashable form of the filter (for caching the features it selects)."""
        return tuple(sorted((f, tuple(sorted(v))) for f, v in self.filter.items()))


def _check_filter(layer: str, filter: dict[str, list[str]]) -> None:
    spec = LAYERS[layer]
    for name, values in filter.items():
        if name not in spec.fields and name not in spec.vocab:
            raise ValueError(f"filter field {name!r} is not a field of layer {spec.name}")
        allowed = spec.vocab.get(name)
        bad = [v for v in values if allowed and v not in allowed]
        if bad:
            raise ValueError(f"filter {name}: {bad} not in {', '.join(allowed)}")


# --- readings: where the law is open, the catalog says which reading it takes ---------------------
@dataclass(frozen=True)
class Reading:
    values: tuple[str, ...]
    default: str
    zh: str
    en: str


READINGS = {
    "yrpl26_tributaries": Reading(
        ("all", "mapped"),
        "all",
        "长江保护法第二十六条“干支流”：all 全部支流（第九十五条），支流未上图处无法判定；mapped 仅已上图的河流",
        "Art. 26 长江干支流: all = every tributary (Art. 95), unknown where tributaries are not mapped; "
        "mapped = only the rivers the water layer maps",
    ),
}


def _check_readings(raw) -> dict[str, str]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        # ValueError, not TypeError: the loader turns it into a RuleError naming `readings`.
        raise ValueError("expected a mapping of reading → value")
    unknown = sorted(set(raw) - set(READINGS))
    if unknown:
        raise ValueError(f"unknown reading(s) {unknown}; readings: {', '.join(READINGS)}")
    for name, value in raw.items():
        if value not in READINGS[name].values:
            raise ValueError(f"{name}: {value!r} not in {', '.join(READINGS[name].values)}")
    return {name: raw.get(name, reading.default) for name, reading in READINGS.items()}


class UnknownWhere(_Strict):
    """Where the parent rule cannot be evaluated: the features of ``layer`` that pass ``filter``.

    The loader turns each entry into the rule ``<parent id>_<suffix>``; ``when`` derives it only
    under the named catalog readings (``{yrpl26_tributaries: all}``).
    """

    layer: str = "data_gaps"
    filter: dict[str, list[str]] = {}
    suffix: str = Field(default="data_gap", pattern=r"^[a-z0-9][a-z0-9_]*$")
    when: dict[str, str] = {}

    @field_validator("layer")
    @classmethod
    def _known_layer(cls, layer: str) -> str:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}; layers: {', '.join(LAYERS)}")
        return layer

    @field_validator("when")
    @classmethod
    def _known_reading(cls, when: dict[str, str]) -> dict[str, str]:
        _check_readings(when)
        return when

    @model_validator(mode="after")
    def _filter_fits_the_layer(self) -> UnknownWhere:
        _check_filter(self.layer, self.filter)
        return self

    def applies(self, readings: dict[str, str]) -> bool:
        return all(readings.get(name) == value for name, value in self.when.items())


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: Text
    applies_to: AppliesTo = AppliesTo()
    condition: Condition
    layer_required: bool = True
    verdict: Verdict
    advisory: bool = False
    citation: Citation
    message: Message
    unknown_where: list[UnknownWhere] = []
    derived_from: str | None = None  # set on the rules the loader derives from ``unknown_where``

    @model_validator(mode="after")
    def _advisory_is_clear(self) -> Rule:
        # An advisory note never changes a verdict, so it must not carry one.
        if self.advisory and self.verdict != "clear":
            raise ValueError("an advisory rule must have verdict clear")
        if self.unknown_where and self.verdict in ("unknown", "clear"):
            raise ValueError("unknown_where needs a rule that can fire (a verdict other than unknown or clear)")
        return self

    def derived_rules(self, readings: dict[str, str]) -> list[Rule]:
        """The companions of ``unknown_where`` that the catalog's ``readings`` call for."""
        return [_derive(self, entry) for entry in self.unknown_where if entry.applies(readings)]


# What a companion's generated title and message say, by the river class its gaps lack.
_GAP_WORDS = {
    # river_class: (title zh, title en, message zh, message en)
    "major_tributary": (
        "主要支流缺数据",
        "a major tributary is missing from the water data",
        "该主要支流不在内置河流数据中，{title}无法判定：请提供官方水面图层（water）",
        (
            "a major tributary missing from the bundled river data: {title} could not be evaluated "
            "— supply an official water layer"
        ),
    ),
    "tributary": (
        "支流未上图",
        "tributaries are not mapped",
        "支流未上图（tributaries not mapped），{title}无法判定：请提供三调水面图层（water）",
        (
            "tributaries not mapped: {title} could not be evaluated — supply 三调 water (the third "
            "national land survey's water layer)"
        ),
    ),
}


def _gap_words(entry: UnknownWhere) -> tuple[str, str, str, str]:
    classes = entry.filter.get("river_class", [])
    if len(classes) == 1 and classes[0] in _GAP_WORDS:
        return _GAP_WORDS[classes[0]]
    missing = ", ".join(entry.filter.get("missing_layer", [])) or entry.layer
    return (
        "数据缺失",
        f"the {missing} data have a gap",
        f"{missing}图层在此缺数据，{{title}}无法判定：请提供官方图层（{missing}）",
        f"the {missing} data have a gap here: {{title}} could not be evaluated — supply an official {missing} layer",
    )


def _literal(text: str) -> str:
    """``text`` safe inside a message template (a title's braces are not placeholders)."""
    return text.replace("{", "{{").replace("}", "}}")


def _derive(parent: Rule, entry: UnknownWhere) -> Rule:
    title_zh, title_en, message_zh, message_en = _gap_words(entry)
    condition = parent.condition
    # Within the parent's distance of where the data may lack the river: the river may run
    # anywhere in the gap, so a proposal that near it may be within the distance of the river.
    distance = condition.distance_m if condition.predicate == "dwithin" else None
    return Rule(
        id=f"{parent.id}_{entry.suffix}",
        title=Text(
            zh=f"{parent.title.zh}：{title_zh}，无法判定", en=f"{parent.title.en}: could not be evaluated, {title_en}"
        ),
        applies_to=parent.applies_to,
        condition=Condition(
            layer=entry.layer,
            filter=entry.filter,
            predicate="dwithin" if distance else "intersects",
            distance_m=distance,
        ),
        # The gaps layer is the bundled set's own: a set without it lists the rule as not checked.
        layer_required=False,
        verdict="unknown",
        citation=parent.citation,
        message=Message(
            zh=("位于{feature}{threshold}范围内（{measured}），" if distance else "位于{feature}内（{measured}），")
            + message_zh.format(title=f"“{_literal(parent.title.zh)}”"),
            en=(
                "within {threshold} of the {feature} ({measured}): "
                if distance
                else "inside the {feature} ({measured}): "
            )
            + message_en.format(title=f'"{_literal(parent.title.en)}"'),
        ),
        derived_from=parent.id,
    )


@dataclass(frozen=True)
class RuleCatalog:
    """The validated rules, in catalog order, with the file they came from and its hash."""

    rules: tuple[Rule, ...]
    path: str
    text: str
    # The reading taken where the law is open (``READINGS``), defaults filled in; the run record
    # stores it.
    readings: dict[str, str] = field(default_factory=dict)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def get(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; KeyError if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def derived(self, rule_id: str) -> list[Rule]:
        """The rules derived from rule ``rule_id`` (its ``unknown_where`` companions)."""
        return [rule for rule in self.rules if rule.derived_from == rule_id]

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def bundled_rules_path() -> Path:
    """Path of the catalog that ships inside the package."""
    return Path(str(resources.files("chuannan_gis").joinpath("rules", "catalog.yaml")))


def load_rules(path=None, *, text: str | None = None) -> RuleCatalog:
    """Load and validate a rule catalog: the bundled one, or a planner's copy at ``path``.

    Parameters
    ----------
    path : str or Path, optional
        A YAML catalog in the format of ``docs/rules.md``.  None loads the bundled catalog.
    text : str, optional
        The catalog's text, e.g. as a Result recorded it: parsed instead of reading a file;
        ``path`` then only names it (in errors and ``RuleCatalog.path``).

    Returns
    -------
    RuleCatalog

    Raises
    ------
    RuleError
        When the file cannot be read or a rule does not validate; the error names the file,
        the rule id and the field.

    Examples
    --------
    >>> catalog = load_rules()
    >>> catalog.get("yrpl26_chemical_1km").condition.distance_m
    1000.0
    """
    path = Path(path) if path is not None else bundled_rules_path()
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"cannot be read as a YAML rule catalog: {err}", file=path) from err
    return _parsed_catalog(path, text)


@lru_cache(maxsize=8)
def _parsed_catalog(path: Path, text: str) -> RuleCatalog:
    """The catalog of ``text`` (read from ``path``), parsed and validated once per text: the file is
    read on every call, so an edit is seen at once, but a click-to-check or a service request does not
    parse the same YAML again (a catalog is immutable).  A failure raises and is not cached."""
    try:
        raw = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        raise RuleError(f"cannot be read as a YAML rule catalog: {err}", file=path) from err
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list) or not raw["rules"]:
        raise RuleError("expected a mapping with a non-empty list under `rules`", file=path, field="rules")
    try:
        readings = _check_readings(raw.get("readings"))
    except ValueError as err:
        raise RuleError(f"invalid readings: {err}", file=path, field="readings") from err
    rules = []
    for position, item in enumerate(raw["rules"]):
        rule = _validate_rule(item, position, path)
        # Each companion right after its parent: order matters only for display.
        rules += [rule, *rule.derived_rules(readings)]
    rules = tuple(rules)
    _check_unique_ids(rules, path)
    _check_derived_from(rules, path)
    return RuleCatalog(rules, str(path), text, readings)


def _validate_rule(item, position: int, path: Path) -> Rule:
    rule_id = item.get("id") if isinstance(item, dict) else None
    label = rule_id or f"#{position + 1}"
    try:
        return Rule.model_validate(item)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise RuleError(f"invalid rule: {first['msg']}", file=path, feature=label, field=field) from err


def _check_derived_from(rules, path: Path) -> None:
    ids = {rule.id for rule in rules}
    for rule in rules:
        if rule.derived_from is not None and rule.derived_from not in ids:
            raise RuleError(
                f"derived_from names no rule of the catalog ({rule.derived_from!r})",
                file=path,
                feature=rule.id,
                field="derived_from",
            )


def _check_unique_ids(rules, path: Path) -> None:
    seen = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError("the rule id is used twice", file=path, feature=rule.id, field="id")
        seen.add(rule.id)


__all__ = ["BASELINES", "PREDICATES", "READINGS", "Rule", "RuleCatalog", "bundled_rules_path", "load_rules"]
