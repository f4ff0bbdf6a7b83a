"""The verdict table of SCHEMA.md, in one place: code, Chinese and English label, rank, colours.

The report, the web map and the QGIS styles all colour verdicts from this table, so a colour or a
label changes here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .labels import ACCURACY_NOT_STATED


@dataclass(frozen=True)
class Verdict:
    code: str
    zh: str
    en: str
    rank: int  # higher is worse
    colour: str  # the fill: proposals on a map, swatches, badges
    # Text in the verdict's colour on white (a popup's verdict line, a table cell): the same hue,
    # darkened where the fill is too light to read (WCAG contrast ≥ 4.5 on white, tested).
    text_colour: str


VERDICTS: dict[str, Verdict] = {
    v.code: v
    for v in (
        Verdict("prohibited", "禁止", "prohibited", 5, "#d7191c", "#d7191c"),
        Verdict("restricted", "限制", "restricted", 4, "#f28e2b", "#b15e0b"),
        Verdict("review", "需审查", "review", 3, "#f1c40f", "#8d7208"),
        Verdict("unknown", "无法判定", "unknown", 2, "#9e9e9e", "#757575"),
        Verdict("clear", "未发现冲突", "clear", 1, "#1a9641", "#17873a"),
    )
}
CODES = tuple(VERDICTS)
RANK = {code: v.rank for code, v in VERDICTS.items()}
BY_RANK = {v.rank: code for code, v in VERDICTS.items()}


def worse(a: str, b: str) -> str:
    """The worse (higher-ranked) of two verdict codes.

    >>> worse("review", "prohibited")
    'prohibited'
    """
    return a if RANK[a] >= RANK[b] else b


def milder(a: str, b: str) -> str:
    """The milder (lower-ranked) of two verdict codes.

    >>> milder("prohibited", "review")
    'review'
    """
    return a if RANK[a] <= RANK[b] else b


def at_or_above(code: str) -> list[str]:
    """Every verdict ranked at ``code`` or worse (what ``--fail-on code`` fails on).

    >>> at_or_above("restricted")
    ['prohibited', 'restricted']
    """
    return [c for c in CODES if RANK[c] >= RANK[code]]


# --- certainty ---------------------------------------------------------------------------------
# How firmly a verdict stands (SCHEMA.md findings ``certainty``; decided in decision.py).  Every
# face that shows a verdict words and draws its certainty from this one table: the summary, the
# report, the web map, the QGIS styles and the screening raster's band 3.


@dataclass(frozen=True)
class Certainty:
    code: str  # as in the findings and proposals tables ("" where there is no measure, or clear)
    zh: str  # the qualifier after a verdict: 禁止（数据精度内，须核实）; empty for certain and ""
    en: str
    short_zh: str  # a legend entry or a table column: 禁止（数据精度内）
    short_en: str
    name_zh: str  # the certainty itself, as a column value: 数据精度内
    name_en: str


CERTAINTY: dict[str, Certainty] = {
    c.code: c
    for c in (
        # codes are those of decision.CERTAINTIES (a test keeps them equal; decision imports this module)
        Certainty("certain", "", "", "", "", "确定", "certain"),
        Certainty(
            "within_accuracy",
            "数据精度内，须核实",
            "within the data's accuracy: confirm",
            "数据精度内",
            "within accuracy",
            "数据精度内",
            "within accuracy",
        ),
        Certainty("unstated", *(ACCURACY_NOT_STATED["zh"], ACCURACY_NOT_STATED["en"]) * 3),
        Certainty("", "", "", "", "", "", ""),
    )
}
# What the qualifier means, for the report and the web map's legend.
CERTAINTY_NOTE = (
    "“数据精度内，须核实”：按数据判定如此，但约束要素的位置误差（其精度 accuracy_m）可能改变结论；"
    "结论不变，须以更精确的数据或现场核实。“精度未注明”：该要素未注明精度，按0米判定。",
    "\"within the data's accuracy: confirm\": the data give this verdict, but the constraint feature's "
    "positional error (its accuracy_m) could change it; the verdict stands until more precise data or a "
    'site survey confirm it. "accuracy not stated": the feature states no accuracy and is judged as if exact.',
)


def certainty_of(code) -> Certainty:
    """The certainty entry of ``code``; a missing or unknown code reads as no certainty ("")."""
    return CERTAINTY.get(code if isinstance(code, str) else "", CERTAINTY[""])


@lru_cache(maxsize=256)  # per proposal and finding: a few verdicts × certainties × languages
def verdict_text(verdict: str, certainty="", lang: str = "zh", short: bool = False) -> str:
    """A verdict's label with its certainty, as every face shows it.

    >>> verdict_text("prohibited", "within_accuracy"), verdict_text("prohibited", "within_accuracy", "en")
    ('禁止（数据精度内，须核实）', "prohibited (within the data's accuracy: confirm)")
    >>> verdict_text("restricted", "unstated", "en", short=True), verdict_text("prohibited", "certain")
    ('restricted (accuracy not stated)', '禁止')
    """
    entry = certainty_of(certainty)
    label = getattr(VERDICTS[verdict], lang)
    qualifier = (entry.short_zh if short else entry.zh) if lang == "zh" else (entry.short_en if short else entry.en)
    if not qualifier:
        return label
    return f"{label}（{qualifier}）" if lang == "zh" else f"{label} ({qualifier})"


@dataclass(frozen=True)
class WithinAccuracyLook:
    """How every map draws a verdict within the data's accuracy: the verdict's own colour (the
    verdict stays what the data say), its fill lighter and its outline dashed in the verdict's text
    colour, so it reads as "this colour, not firmly".  The web map converts millimetres to pixels."""

    fill_opacity: float = 0.35  # of the verdict colour; a certain verdict's fill is about 0.6–0.85
    outline_mm: float = 0.8
    dash_mm: tuple[float, float] = (1.6, 1.0)  # dash, gap


WITHIN_ACCURACY_LOOK = WithinAccuracyLook()
