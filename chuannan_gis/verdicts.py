"""The verdict table of SCHEMA.md, in one place: code, Chinese and English label, rank, colours.

The report, the web map and the QGIS styles all colour verdicts from this table, so a colour or a
label changes here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass


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
