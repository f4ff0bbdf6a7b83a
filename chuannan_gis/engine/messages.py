"""Numbers and sentences of findings and summaries, in Chinese and English, built per rule.

A rule's message is a template (``{measured}``, ``{threshold}``, ``{feature}``, ``{accuracy}``,
``{layer}``, ``{overlap_pct}``); :func:`finding_messages` fills it for all of a rule's findings at
once — each placeholder a column of words, the template's text between them, and the notes every
finding owes its reader (near a threshold, accuracy not stated) added where they apply — as string
operations over arrays, never Python per finding; numbers are formatted array-wise
(:func:`chuannan_gis.labels.fixed`).  :func:`summaries` writes the proposals' one-line summaries
the same way.
"""

from __future__ import annotations

import math
import string
from functools import lru_cache

import numpy as np
import pandas as pd

from ..labels import ACCURACY_NOT_STATED, accuracy_text, accuracy_texts, distance_text, distance_texts, fixed
from ..layers.schema import LAYERS
from ..rules import MESSAGE_FIELDS
from ..verdicts import verdict_text

INDICATIVE_NOTE = {
    "zh": "基于示意数据，须以官方图层核实",
    "en": "based on indicative data: confirm with the official layer",
}
CLEAR_SUMMARY = {
    "zh": "未发现冲突（已检查的约束）— 不构成许可",
    "en": "no conflict found with the constraints checked — not a permit",
}


@lru_cache(maxsize=1024)  # a rule has one threshold
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


def _words(values) -> np.ndarray:
    """Each value as ``str()`` would write it into a template (None → 'None'), an object array."""
    # str() per element: a text is itself, with no fixed-width copy of the whole column
    return _STR(np.asarray(values, dtype=object)).astype(object)


_STR = np.frompyfunc(str, 1, 1)


def percent_texts(percent, lang: str) -> np.ndarray:
    """'73.0 %' / '73.0%' of each value.

    >>> percent_texts([73.04], "en").tolist(), percent_texts([73.04], "zh").tolist()
    (['73.0 %'], ['73.0%'])
    """
    return fixed(percent, 1) + (" %" if lang == "en" else "%")


def overlap_texts(hectares, percent, lang: str) -> np.ndarray:
    """'overlap 12.3 ha, 4.1 %' / '重叠12.3公顷，占4.1%'.

    >>> overlap_texts([12.34], [4.07], "en").tolist()
    ['overlap 12.3 ha, 4.1 %']
    """
    if lang == "en":
        return "overlap " + fixed(hectares, 1, grouped=True) + " ha, " + fixed(percent, 1) + " %"
    return "重叠" + fixed(hectares, 1) + "公顷，占" + fixed(percent, 1) + "%"


def features_texts(count, lang: str) -> np.ndarray:
    """', across 1,246 features' / '，共1246个要素' where an overlap is with several features' union.

    >>> features_texts([1246, 1], "en").tolist()
    [', across 1,246 features', '']
    """
    count = pd.array(count, dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    several = np.nan_to_num(count) > 1
    words = np.full(len(count), "", dtype=object)
    if several.any():  # numbers printed only where they are said (most overlaps are with one feature)
        words[several] = (
            ", across " + fixed(count[several], 0, grouped=True) + " features"
            if lang == "en"
            else "，共" + fixed(count[several], 0) + "个要素"
        )
    return words


def _part_outside(columns: dict, lang: str) -> np.ndarray:
    """'12.0 ha (30.0 % of the site)' / '12.0公顷（占场地30.0%）': the part of a proposal outside."""
    share = percent_texts(columns["overlap_pct"], lang)
    hectares = columns["unit"] == "ha"
    measured = columns["measured"]
    if lang == "en":
        size = np.where(hectares, fixed(measured, 1, grouped=True) + " ha", distance_texts(measured, lang))
        return size + " (" + share + " of the " + np.where(hectares, "site", "line").astype(object) + ")"
    size = np.where(hectares, fixed(measured, 1) + "公顷", distance_texts(measured, lang))
    return size + "（占" + np.where(hectares, "场地", "线路").astype(object) + share + "）"


def _measured(columns: dict, predicate: str, lang: str) -> np.ndarray:
    """The measured value as a reader wants it: for an inside rule the overlap with the features'
    union (polygons) or "inside"; for a distance rule the distance (0 m when it touches: its
    overlap with the water is no distance); for the region's edge the part outside."""
    if predicate == "partly_outside":
        return _part_outside(columns, lang)
    measured = np.asarray(columns["measured"], dtype=float)
    # each finding's words printed once: an area, "inside", or a distance
    area = np.asarray(columns["unit"] == "ha", dtype=bool)
    inside = ~area & (measured == 0) & (predicate != "dwithin")
    distance = ~area & ~inside
    words = np.full(len(measured), "在范围内" if lang == "zh" else "inside", dtype=object)
    if area.any():
        words[area] = overlap_texts(measured[area], np.asarray(columns["overlap_pct"])[area], lang) + features_texts(
            np.asarray(columns["feature_count"])[area], lang
        )
    if distance.any():
        words[distance] = distance_texts(measured[distance], lang)
    return words


def _near_notes(columns: dict, predicate: str, lang: str) -> np.ndarray:
    """Why a finding short of its threshold still stands: the data's accuracy band."""
    accuracy = accuracy_texts(columns["accuracy_m"], lang)
    if predicate == "partly_outside":
        if lang == "zh":
            return "（越出部分在边界数据精度" + accuracy + "范围内，可能全部位于区内）"
        return " (the part outside lies within the boundary data's " + accuracy + ": it may lie wholly inside)"
    if predicate == "dwithin":
        if lang == "zh":
            return "（超出阈值但在数据精度" + accuracy + "范围内）"
        return " (beyond the threshold, but within the data's " + accuracy + " of it)"
    distance = distance_texts(columns["measured"], lang)
    if lang == "zh":
        return "（相距" + distance + "，在数据精度" + accuracy + "范围内，可能位于其内）"
    return " (" + distance + " away, within the data's " + accuracy + ": it may lie inside)"


def _near_misses(columns: dict, layer: str, title: str, lang: str) -> np.ndarray:
    """An inside-rule that fired only through the accuracy band: its "inside" template would be
    false, so say what the data show and why it is still a finding."""
    accuracy = accuracy_texts(columns["accuracy_m"], lang)
    name = getattr(LAYERS[layer], f"title_{lang}")
    feature, distance = _words(columns[f"feature_{lang}"]), distance_texts(columns["measured"], lang)
    if lang == "zh":
        return (
            "按数据位于"
            + name
            + "“"
            + feature
            + "”外"
            + distance
            + "，但在数据精度"
            + accuracy
            + f"范围内，可能位于其内：{title}"
        )
    return (
        "by the data "
        + distance
        + f' outside the {name.lower()} "'
        + feature
        + "\", but within the data's "
        + accuracy
        + f": it may lie inside — {title}"
    )


def _shares_within(columns: dict, layer: str, threshold: float, lang: str) -> np.ndarray:
    """'（场地73.0%位于水边1公里内）' / ' (73.0 % of the site within 1 km of the water edge)' for a
    distance finding of a line or polygon; '' where no share was measured (points, near findings)."""
    share = columns["share_within_pct"]
    measured = np.isfinite(share)
    within, line = threshold_text(threshold, lang), columns["dimension"] == 1
    percent = percent_texts(np.where(measured, share, 0.0), lang)
    if lang == "en":
        edge = "the water edge" if layer == "water" else f"the {LAYERS[layer].title_en.lower()}"
        words = (
            " (" + percent + " of the " + np.where(line, "line", "site").astype(object) + f" within {within} of {edge})"
        )
    else:
        edge = "水边" if layer == "water" else LAYERS[layer].title_zh
        words = "（" + np.where(line, "线路", "场地").astype(object) + percent + f"位于{edge}{within}内）"
    return np.where(measured, words, "").astype(object)


def _rows(columns: dict, mask: np.ndarray) -> dict:
    """The findings' columns at the rows of ``mask``."""
    return {name: np.asarray(values)[mask] for name, values in columns.items()}


def finding_messages(template: str, columns: dict, predicate: str, layer: str, threshold: float, lang: str):
    """Fill a rule's message template for all of its findings (``columns``: the findings' columns
    of :data:`chuannan_gis.engine.findings.MESSAGE_INPUTS` as arrays, with ``feature_zh``/``_en``,
    ``has_feature`` and ``dimension``) and add their notes; an object array of str."""
    count = len(columns["measured"])
    near = np.asarray(columns["near"], dtype=bool)
    tokens = {
        "measured": lambda: _measured(columns, predicate, lang),
        "threshold": lambda: threshold_text(threshold, lang),
        "feature": lambda: _words(columns[f"feature_{lang}"]),
        "accuracy": lambda: accuracy_texts(columns["accuracy_m"], lang),
        "layer": lambda: getattr(LAYERS[layer], f"title_{lang}"),
        "overlap_pct": lambda: np.where(
            np.isfinite(columns["overlap_pct"]), fixed(columns["overlap_pct"], 1) + "%", "—"
        ).astype(object),
    }
    text = np.full(count, "", dtype=object)
    for literal, name, spec, conversion in string.Formatter().parse(template):
        text = text + literal
        if name is not None:
            if spec or conversion:  # the catalog's templates have none; said, not silently dropped
                raise ValueError(f"message template {template!r}: no format spec or conversion allowed")
            text = text + tokens[name]()
    if near.any():  # words for the near findings only
        text[near] = text[near] + _near_notes(_rows(columns, near), predicate, lang)
    if predicate == "dwithin":
        # how much of the site the threshold covers: a site touching the water 3 % deep may lie
        # 73 % within the 1 km
        text = text + _shares_within(columns, layer, threshold, lang)
    if predicate in ("intersects", "within") and near.any():
        text[near] = _near_misses(_rows(columns, near), layer, columns[f"title_{lang}"][0], lang)
    accuracy = np.asarray(columns["accuracy_m"], dtype=float)
    unstated = np.asarray(columns["has_feature"], dtype=bool) & ~(np.isfinite(accuracy) & (accuracy > 0))
    suffix = f"（{ACCURACY_NOT_STATED['zh']}）" if lang == "zh" else f" ({ACCURACY_NOT_STATED['en']})"
    return np.where(unstated, text + suffix, text).astype(object)


assert {"measured", "threshold", "feature", "accuracy", "layer", "overlap_pct"} == MESSAGE_FIELDS


def spans_notes(counties_zh, counties_en, lang: str) -> np.ndarray:
    """What a summary appends for a proposal spanning counties: '；跨2个县区：江安县、长宁县' /
    '; spans 2 counties: Jiang'an, Changning'; '' for one county or none.

    >>> spans_notes(["江安县、长宁县", "江安县", None], ["Jiang'an, Changning", "Jiang'an", None], "en").tolist()
    ["; spans 2 counties: Jiang'an, Changning", '', '']
    """
    zh = np.asarray(counties_zh, dtype=object).reshape(-1)
    # only the few proposals spanning counties are worded: their list holds the separator
    several = np.fromiter((isinstance(v, str) and "、" in v for v in zh), dtype=bool, count=len(zh))
    words = np.full(len(zh), "", dtype=object)
    if not several.any():
        return words
    listed = zh[several]
    count = fixed([v.count("、") + 1 for v in listed], 0)
    if lang == "zh":
        words[several] = "；跨" + count + "个县区：" + listed
    else:
        en = np.asarray(counties_en, dtype=object).reshape(-1)[several]
        named = np.array([e if isinstance(e, str) and e else z for e, z in zip(en, listed)], dtype=object)
        words[several] = "; spans " + count + " counties: " + named
    return words


def summaries(verdict, message, citation, more, indicative, certainty, lang: str) -> np.ndarray:
    """One line per proposal: '禁止：距长江水边620米…（长江保护法 第二十六条）'.

    ``message`` and ``citation`` are those of each proposal's deciding finding (None when there is
    none); ``more`` counts its other fired findings; ``certainty`` is the proposal's, whose
    qualifier follows the verdict (:func:`chuannan_gis.verdicts.verdict_text`), so a verdict resting
    only on findings within the data's accuracy never reads as a certain one.  A clear proposal
    with a message (a clear note: a port in a development zone) still says what remains to decide.

    >>> summaries(["clear"], [None], [None], [0], [False], [""], "en").tolist()
    ['no conflict found with the constraints checked — not a permit']
    >>> line = summaries(["prohibited"], ["620 m from the Yangtze"], ["Art. 26"], [2], [True], ["certain"], "en")
    >>> line[0].split("; ")[:2]
    ['prohibited: 620 m from the Yangtze (Art. 26)', '2 more findings']
    """
    zh = lang == "zh"
    separator = "；" if zh else "; "
    verdict, more = pd.Series(verdict, dtype=object), np.asarray(more, dtype=np.int64)
    message = pd.Series(message, dtype=object)
    has_message = message.notna().to_numpy()
    clear = (verdict == "clear").to_numpy()
    clear_text = np.where(
        has_message, CLEAR_SUMMARY[lang] + separator + message.fillna("").to_numpy(), CLEAR_SUMMARY[lang]
    )
    # the verdict's label with its certainty: a few (verdict, certainty) pairs, each worded once
    key = verdict.str.cat(pd.Series(certainty, dtype=object).fillna("").astype(str).to_numpy(), sep="|")
    words = {k: verdict_text(*k.split("|", 1), lang) for k in key.unique() if not k.startswith("clear|")}
    label = key.map(words).astype(object).fillna("").to_numpy(dtype=object)
    cited = _words(citation)
    fired = (
        label
        + ("：" if zh else ": ")
        + _words(message.to_numpy())
        + ("（" if zh else " (")
        + cited
        + ("）" if zh else ")")
    )
    if zh:
        others = "；另有" + fixed(more, 0) + "项"
    else:
        others = "; " + fixed(more, 0) + " more finding" + np.where(more > 1, "s", "").astype(object)
    fired = np.where(more > 0, fired + others, fired)
    text = np.where(clear, clear_text, fired)
    indicative = np.asarray(indicative, dtype=bool)
    return np.where(indicative, text + separator + INDICATIVE_NOTE[lang], text).astype(object)


__all__ = [
    "CLEAR_SUMMARY",
    "INDICATIVE_NOTE",
    "accuracy_text",
    "finding_messages",
    "spans_notes",
    "summaries",
    "threshold_text",
]
