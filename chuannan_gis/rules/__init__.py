"""The rule catalog: rules as data, each with its citation, validated by a typed model on load.

A rule says *to what* it applies (kinds, industries through the industry hierarchy, statuses),
*what spatial condition* fires it (a layer, a filter on that layer's fields, a predicate and a
distance), *what verdict* it gives and *why* (the citation).  Thresholds and citations live in
``catalog.yaml`` beside this module and nowhere in code: a planner edits a copy and passes
``rules=PATH``.  See ``docs/rules.md`` for the format.
"""
from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import cache, cached_property
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


@cache
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


class Citation(_Strict):
    document: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    text_zh: str = Field(min_length=1)
    short: str = Field(min_length=1)


class AppliesTo(_Strict):
    """Which proposals a rule applies to; an empty list means all."""

    kinds: list[str] = []
    industries: list[str] = []
    exclude_industries: list[str] = []
    statuses: list[str] = []

    @field_validator("kinds", "industries", "exclude_industries", "statuses")
    @classmethod
    def _in_vocabulary(cls, codes: list[str], info) -> list[str]:
        vocab = vocabularies()[_VOCAB_OF[info.field_name]]
        bad = [c for c in codes if c not in vocab.terms]
        if bad:
            raise ValueError(f"{bad} not in the {vocab.name} vocabulary ({', '.join(vocab.allowed())})")
        return codes

    def industry_codes(self) -> frozenset[str] | None:
        """The industries the rule applies to, expanded down the hierarchy; None means all."""
        vocab = vocabularies()["industry"]
        included = (set().union(*(vocab.descendants(c) for c in self.industries))
                    if self.industries else set(vocab.terms))
        excluded = set().union(*(vocab.descendants(c) for c in self.exclude_industries))
        if not self.industries and not excluded:
            return None
        return frozenset(included - excluded)


_VOCAB_OF = {"kinds": "kind", "industries": "industry", "exclude_industries": "industry", "statuses": "status"}


class Condition(_Strict):
    """The spatial test: ``predicate`` between a proposal and the ``filter``-ed features of ``layer``."""

    layer: str
    filter: dict[str, list[str]] = {}
    predicate: Predicate
    distance_m: float | None = Field(default=None, gt=0)
    baseline: Baseline = "feature"

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
        if self.baseline != "feature" and self.layer not in RIVER_LAYERS:
            raise ValueError(f"baseline {self.baseline} needs a river layer ({', '.join(RIVER_LAYERS)})")
        spec = LAYERS[self.measured_layer]
        for field, values in self.filter.items():
            if field not in spec.fields:
                raise ValueError(f"filter field {field!r} is not a field of layer {spec.name}")
            allowed = spec.vocab.get(field)
            bad = [v for v in values if allowed and v not in allowed]
            if bad:
                raise ValueError(f"filter {field}: {bad} not in {', '.join(allowed)}")
        return self

    @property
    def measured_layer(self) -> str:
        """The layer whose geometry is measured: the water edge or centreline for river rules."""
        return BASELINE_LAYER.get(self.baseline, self.layer)

    def filter_key(self) -> tuple:
        """A hashable form of the filter (for caching the features it selects)."""
        return tuple(sorted((f, tuple(sorted(v))) for f, v in self.filter.items()))


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

    @model_validator(mode="after")
    def _advisory_is_clear(self) -> Rule:
        # An advisory note never changes a verdict, so it must not carry one.
        if self.advisory and self.verdict != "clear":
            raise ValueError("an advisory rule must have verdict clear")
        return self


@dataclass(frozen=True)
class RuleCatalog:
    """The validated rules, in catalog order, with the file they came from and its hash."""

    rules: tuple[Rule, ...]
    path: str
    text: str

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def get(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; KeyError if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

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
        raw = yaml.load(text, Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise RuleError(f"cannot be read as a YAML rule catalog: {err}", file=path) from err
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list) or not raw["rules"]:
        raise RuleError("expected a mapping with a non-empty list under `rules`", file=path, field="rules")
    rules = tuple(_validate_rule(item, position, path) for position, item in enumerate(raw["rules"]))
    _check_unique_ids(rules, path)
    return RuleCatalog(rules, str(path), text)


def _validate_rule(item, position: int, path: Path) -> Rule:
    rule_id = item.get("id") if isinstance(item, dict) else None
    label = rule_id or f"#{position + 1}"
    try:
        return Rule.model_validate(item)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise RuleError(f"invalid rule: {first['msg']}", file=path, feature=label, field=field) from err


def _check_unique_ids(rules, path: Path) -> None:
    seen = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError("the rule id is used twice", file=path, feature=rule.id, field="id")
        seen.add(rule.id)


__all__ = ["BASELINES", "PREDICATES", "Rule", "RuleCatalog", "bundled_rules_path", "load_rules"]
