"""Words a reader sees for codes and numbers, formatted once for every face.

The report, the web map, the engine's messages, the CLI and the QGIS plugin all call these, so a
vocabulary code or an accuracy reads the same in each.  ``lang`` is one of :data:`LANGS`: one
language, or both with the first one leading (``"en zh"`` for an English interface).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

LANGS = ("zh", "en", "zh en", "en zh")
ACCURACY_NOT_STATED = {"zh": "精度未注明", "en": "accuracy not stated"}


def bilingual(zh: str, en: str, lang: str = "zh en") -> str:
    """``zh``, ``en``, or both in the order ``lang`` names, one space apart.

    >>> bilingual("产业园区", "industrial park"), bilingual("产业园区", "industrial park", "en zh")
    ('产业园区 industrial park', 'industrial park 产业园区')
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    words = {"zh": zh, "en": en}
    return " ".join(words[part] for part in lang.split())


def term_label(field_name: str, code, lang: str = "zh en") -> str:
    """The label of a proposal vocabulary code (``kind``, ``industry``, ``status``); a code the
    vocabulary does not know is shown as it is, and a missing one as the empty string.

    >>> term_label("kind", "industrial_park"), term_label("status", "new", "en")
    ('产业园区 industrial park', 'new')
    >>> term_label("industry", "no_such_code")
    'no_such_code'
    """
    from .vocabulary import vocabularies

    if _missing(code):
        return ""
    term = vocabularies()[field_name].terms.get(code) if isinstance(code, str) else None
    return bilingual(term.zh, term.en, lang) if term else str(code)


def text_of(value) -> str:
    """A stored value as the text a person reads: empty for None and NaN, else ``str(value)``.

    >>> text_of(None), text_of(float("nan")), text_of("江安县"), text_of(12)
    ('', '', '江安县', '12')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def per_distinct(values, word, missing=None) -> np.ndarray:
    """``word(value)`` for each value of an array, worked out once per distinct value and spread
    back (``missing`` where a value is None or NaN): codes and county lists are a few, however
    many rows; and for a few rows it costs less than a pandas ``map``.

    >>> per_distinct(["review", None, "review", "clear"], str.upper, "").tolist()
    ['REVIEW', '', 'REVIEW', 'CLEAR']
    """
    position, distinct = pd.factorize(np.asarray(values, dtype=object))
    return np.array([*(word(value) for value in distinct), missing], dtype=object)[position]


def _missing(value) -> bool:
    """None, NaN or pandas' NA (whose comparisons raise)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)
    except TypeError:
        return True


def distance_text(metres: float, lang: str) -> str:
    """'620 m' / '620米'; one decimal below 100 m unless whole, thousands separated in English.

    >>> distance_text(1234.4, "en"), distance_text(62.25, "zh"), distance_text(50.0, "en")
    ('1,234 m', '62.2米', '50 m')
    """
    if metres is None or not math.isfinite(metres):
        return "—"
    return distance_texts([metres], lang)[0]


def distance_texts(metres, lang: str) -> np.ndarray:
    """:func:`distance_text` of every value of an array, as one column (object array of str).

    >>> distance_texts([1234.4, 62.25, float("nan"), 1e6], "en").tolist()
    ['1,234 m', '62.2 m', '—', '1,000,000 m']
    """
    metres = np.asarray(metres, dtype=float)
    finite = np.isfinite(metres)
    english = lang.startswith("en") or " " in lang
    one_decimal = (metres < 100) & (metres != np.floor(metres))
    specs = (",.0f", ",.1f") if english else (".0f", ".1f")
    unit = " m" if english else "米"
    return np.array(
        [
            format(value, specs[decimal]) + unit if ok else "—"
            for value, decimal, ok in zip(metres.tolist(), one_decimal.tolist(), finite.tolist())
        ],
        dtype=object,
    )


def fixed(values, digits: int, grouped: bool = False) -> np.ndarray:
    """``f"{v:.{digits}f}"`` (``grouped``: ``f"{v:,.{digits}f}"``) of each value, as one column
    (object array of str): the column printed in one pass, by Python's own number format.

    >>> fixed([1234567.891, 0.25, -1234.5], 1, grouped=True).tolist()
    ['1,234,567.9', '0.2', '-1,234.5']
    """
    spec = f"{',' if grouped else ''}.{digits}f"
    return np.array([format(value, spec) for value in np.asarray(values, dtype=float).tolist()], dtype=object)


def stated_accuracy(value) -> float | None:
    """A feature's positional accuracy in metres, or None where it is not stated.

    Not stated: missing, NaN, not a number, or 0.  SCHEMA.md: a user's layer without
    ``accuracy_m`` means 0 and the outputs say "accuracy not stated"; the loader stores that as
    NaN, and a 0 in a file is read the same way, since no survey places features exactly.  Both
    are measured as a 0 m band (the engine and the screening surface); only the words differ
    from a stated accuracy.

    >>> stated_accuracy(486.0), stated_accuracy(float("nan")), stated_accuracy(0), stated_accuracy(None)
    (486.0, None, None, None)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


@lru_cache(maxsize=4096)  # 10,000s of findings share a few accuracies
def accuracy_text(value, lang: str = "zh en") -> str:
    """'±486 m' / '±486米', or 'accuracy not stated' (see :func:`stated_accuracy`).

    >>> accuracy_text(486.0, "en"), accuracy_text(1401.5, "zh"), accuracy_text(None)
    ('±486 m', '±1402米', '精度未注明 accuracy not stated')
    """
    metres = stated_accuracy(value)
    if metres is None:
        return bilingual(ACCURACY_NOT_STATED["zh"], ACCURACY_NOT_STATED["en"], lang)
    return f"±{distance_text(metres, lang)}"


def accuracy_texts(values, lang: str) -> np.ndarray:
    """:func:`accuracy_text` of every value of an array (few distinct: each formatted once)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return np.array([], dtype=object)
    distinct, where = np.unique(values, return_inverse=True)  # NaNs are one value
    return np.array([accuracy_text(float(v), lang) for v in distinct], dtype=object)[where.reshape(-1)]
