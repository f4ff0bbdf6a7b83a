"""Numbers and sentences of findings and summaries, in Chinese and English.

A rule's message is a template (``{measured}``, ``{threshold}``, ``{feature}``, ``{accuracy}``,
``{layer}``, ``{overlap_pct}``); this module fills it with formatted numbers and adds the notes
every finding owes its reader: near a threshold, accuracy not stated.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from ..labels import ACCURACY_NOT_STATED, accuracy_text, distance_text, stated_accuracy
from ..layers.schema import LAYERS
from ..rules import MESSAGE_FIELDS, placeholders
from ..verdicts import verdict_text

_NA = pd.NA
INDICATIVE_NOTE = {
    "zh": "基于示意数据，须以官方图层核实",
    "en": "based on indicative data: confirm with the official layer",
}
CLEAR_SUMMARY = {
    "zh": "未发现冲突（已检查的约束）— 不构成许可",
    "en": "no conflict found with the constraints checked — not a permit",
}


@lru_cache(maxsize=1024)  # a rule has one threshold; its findings are many
def threshold_text(metres: float, lang: str) -> str:
    """Whole kilometres as km ('1 km' / '1公里'), anything else in metres.

    >>> threshold_text(3000, "zh"), threshold_text(500, "en")
    ('3公里', '500 m')
    """
    if metres is None or not math.isfinite(metres):
        return "—"
    if metres >= 1000 and metres % 1000 == 0:
        km = int(metres // 1000)
        return f"{km} km" if lang == "en" else f"{km}公里"
    return distance_text(metres, lang)


def overlap_text(hectares: float, percent: float, lang: str) -> str:
    """'overlap 12.3 ha, 4.1 %' / '重叠12.3公顷，占4.1%'.

    >>> overlap_text(12.34, 4.07, "en")
    'overlap 12.3 ha, 4.1 %'
    """
    if lang == "en":
        return f"overlap {hectares:,.1f} ha, {percent:.1f} %"
    return f"重叠{hectares:.1f}公顷，占{percent:.1f}%"


def percent_text(percent: float, lang: str) -> str:
    """'73.0 %' / '73.0%'.

    >>> percent_text(73.04, "en"), percent_text(73.04, "zh")
    ('73.0 %', '73.0%')
    """
    return f"{percent:.1f} %" if lang == "en" else f"{percent:.1f}%"


def features_text(count, lang: str) -> str:
    """', across 1,246 features' / '，共1246个要素' when an overlap is with several features' union."""
    if count is None or count is _NA or not count > 1:
        return ""
    return f", across {int(count):,} features" if lang == "en" else f"，共{int(count)}个要素"


def share_within_text(row, lang: str) -> str:
    """'（场地73.0%位于水边1公里内）' / ' (73.0 % of the site within 1 km of the water edge)' for a
    distance finding of a line or polygon; '' where no share was measured (points, near findings)."""
    share = row["share_within_pct"]
    if share is None or not math.isfinite(share):
        return ""
    threshold, line = threshold_text(row["threshold"], lang), row["dimension"] == 1
    if lang == "en":
        edge = "the water edge" if row["layer"] == "water" else f"the {LAYERS[row['layer']].title_en.lower()}"
        return f" ({percent_text(share, lang)} of the {'line' if line else 'site'} within {threshold} of {edge})"
    edge = "水边" if row["layer"] == "water" else LAYERS[row["layer"]].title_zh
    return f"（{'线路' if line else '场地'}{percent_text(share, lang)}位于{edge}{threshold}内）"


def part_outside_text(row, lang: str) -> str:
    """'12.0 ha (30.0 % of the site)' / '12.0公顷（占场地30.0%）': the part of a proposal outside."""
    share = percent_text(row["overlap_pct"], lang)
    if row["unit"] == "ha":
        size, whole = (f"{row['measured']:,.1f} ha", "site") if lang == "en" else (f"{row['measured']:.1f}公顷", "场地")
    else:
        size, whole = distance_text(row["measured"], lang), "line" if lang == "en" else "线路"
    return f"{size} ({share} of the {whole})" if lang == "en" else f"{size}（占{whole}{share}）"


def measured_text(row, lang: str) -> str:
    """The measured value of a finding as a reader wants it: for an inside rule the overlap with
    the features' union (polygons) or "inside"; for a distance rule the distance (0 m when it
    touches: its overlap with the water is no distance); for the region's edge the part outside."""
    if row["predicate"] == "partly_outside":
        return part_outside_text(row, lang)
    if row["unit"] == "ha":
        return overlap_text(row["measured"], row["overlap_pct"], lang) + features_text(row["feature_count"], lang)
    if row["measured"] == 0 and row["predicate"] != "dwithin":
        return "在范围内" if lang == "zh" else "inside"
    return distance_text(row["measured"], lang)


def near_note(row, lang: str) -> str:
    """Why a distance finding short of its threshold still stands: the data's accuracy band."""
    accuracy = accuracy_text(row["accuracy_m"], lang)
    if row["predicate"] == "partly_outside":
        return (
            f"（越出部分在边界数据精度{accuracy}范围内，可能全部位于区内）"
            if lang == "zh"
            else f" (the part outside lies within the boundary data's {accuracy}: it may lie wholly inside)"
        )
    if row["predicate"] == "dwithin":
        return (
            f"（超出阈值但在数据精度{accuracy}范围内）"
            if lang == "zh"
            else f" (beyond the threshold, but within the data's {accuracy} of it)"
        )
    return (
        f"（相距{distance_text(row['measured'], lang)}，在数据精度{accuracy}范围内，可能位于其内）"
        if lang == "zh"
        else f" ({distance_text(row['measured'], lang)} away, within the data's {accuracy}: it may lie inside)"
    )


def near_miss_message(row, lang: str) -> str:
    """An inside-rule that fired only through the accuracy band: its "inside" template would be
    false, so say what the data show and why it is still a finding."""
    accuracy = accuracy_text(row["accuracy_m"], lang)
    layer = getattr(LAYERS[row["layer"]], f"title_{lang}")
    feature, distance = row[f"feature_{lang}"], distance_text(row["measured"], lang)
    if lang == "zh":
        return (
            f"按数据位于{layer}“{feature}”外{distance}，但在数据精度{accuracy}范围内，可能位于其内：{row['title_zh']}"
        )
    return (
        f'by the data {distance} outside the {layer.lower()} "{feature}", but within the data\'s {accuracy}: '
        f"it may lie inside — {row['title_en']}"
    )


def finding_message(template: str, row, lang: str) -> str:
    """Fill a rule's message template for one finding and add its notes."""
    # Only the placeholders the template uses are formatted: there are 10,000s of findings.
    if row["near"] and row["predicate"] in ("intersects", "within"):
        text = near_miss_message(row, lang)
    else:
        values = {name: _TOKENS[name](row, lang) for name in placeholders(template)}
        text = template.format(**values) + (near_note(row, lang) if row["near"] else "")
        if row["predicate"] == "dwithin":
            # how much of the site the threshold covers: a site touching the water 3 % deep may lie
            # 73 % within the 1 km
            text += share_within_text(row, lang)
    if row["has_feature"] and stated_accuracy(row["accuracy_m"]) is None:
        text += f"（{ACCURACY_NOT_STATED['zh']}）" if lang == "zh" else f" ({ACCURACY_NOT_STATED['en']})"
    return text


_TOKENS = {
    "measured": measured_text,
    "threshold": lambda row, lang: threshold_text(row["threshold"], lang),
    "feature": lambda row, lang: row[f"feature_{lang}"],
    "accuracy": lambda row, lang: accuracy_text(row["accuracy_m"], lang),
    "layer": lambda row, lang: getattr(LAYERS[row["layer"]], f"title_{lang}"),
    "overlap_pct": lambda row, lang: f"{row['overlap_pct']:.1f}%" if math.isfinite(row["overlap_pct"]) else "—",
}
assert set(_TOKENS) == MESSAGE_FIELDS  # the catalog validates templates against the same names


@lru_cache(maxsize=4096)  # per proposal: a few hundred county combinations
def spans_note(counties_zh, counties_en, lang: str) -> str:
    """What a summary appends for a proposal spanning counties: '；跨2个县区：江安县、长宁县' /
    '; spans 2 counties: Jiang'an, Changning'; '' for one county or none.

    >>> spans_note("江安县、长宁县", "Jiang'an, Changning", "en")
    "; spans 2 counties: Jiang'an, Changning"
    >>> spans_note("江安县", "Jiang'an", "zh")
    ''
    """
    names = counties_zh.split("、") if isinstance(counties_zh, str) and counties_zh else []
    if len(names) < 2:
        return ""
    if lang == "zh":
        return f"；跨{len(names)}个县区：{counties_zh}"
    return f"; spans {len(names)} counties: {counties_en or counties_zh}"


def summary(verdict: str, message, citation: str, more: int, indicative: bool, lang: str, certainty: str = "") -> str:
    """One line per proposal: '禁止：距长江水边620米…（长江保护法 第二十六条）'.

    ``message`` and ``citation`` are those of the deciding finding (None when there is none);
    ``more`` counts the proposal's other fired findings; ``certainty`` is the proposal's, whose
    qualifier follows the verdict (:func:`chuannan_gis.verdicts.verdict_text`), so a verdict
    resting only on findings within the data's accuracy never reads as a certain one.

    >>> summary("clear", None, None, 0, False, "en")
    'no conflict found with the constraints checked — not a permit'
    >>> summary("prohibited", "1,200 m from the Yangtze", "Art. 26", 0, False, "en", "within_accuracy")
    "prohibited (within the data's accuracy: confirm): 1,200 m from the Yangtze (Art. 26)"
    """
    zh = lang == "zh"
    separator = "；" if zh else "; "
    if verdict == "clear":
        # A clear note (a port in a development zone) still says what remains to decide.
        text = CLEAR_SUMMARY[lang] + (separator + message if isinstance(message, str) else "")
    else:
        label = verdict_text(verdict, certainty, lang)
        text = f"{label}：{message}（{citation}）" if zh else f"{label}: {message} ({citation})"
        if more:
            text += f"；另有{more}项" if zh else f"; {more} more finding{'s' if more > 1 else ''}"
    return text + (separator + INDICATIVE_NOTE[lang] if indicative else "")
