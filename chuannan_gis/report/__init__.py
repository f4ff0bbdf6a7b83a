"""The HTML report: one self-contained, bilingual page a planner can file, open offline and print.

A document, conclusions first: the verdict counts, then a section per proposal (worst first) with
its findings, its 压占 (``overlaps``) and a map; then the data used, the indicative layers, the
rules not checked and the method (in both languages); the run's technical record (hashes, paths)
last, folded.  What a layer cannot see is said once per layer ("图层完整性"), never repeated per
proposal: a proposal names the layers concerned (``incomplete_layers`` / ``not_covered_layers``,
or, for a Result written with the older advisory findings rows, the layers of those rows).
Printing keeps every column (print CSS: fixed table layout on the page width).

The report renders a :class:`~chuannan_gis.result.Result` and nothing else: it decides no verdict
and holds no threshold.  The page has no script, no stylesheet link and no tile: the small maps
are inline SVG drawn from the proposal and the constraint features its findings name.

Size: the ``max_sections`` worst proposals (default 200, ranked by verdict) get a full section
with reasons and a map; every further proposal gets one row in a closing table, so a run of
10,000 proposals still gives a page a browser opens quickly.  All of them are in the Result
GeoPackage.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import yaml

from ..errors import ChuannanError, RuleError
from ..io import atomic_output
from ..labels import accuracy_text, term_label
from ..labels import text_of as _text
from ..provenance import clear_summary, data_used, indicative_layers_checked
from ..result import LAYER_NOTE_SUFFIXES, Result
from ..verdicts import CERTAINTY, CERTAINTY_NOTE, RANK, VERDICTS, certainty_of, verdict_text
from .svg import finding_map

logger = logging.getLogger(__name__)

MAX_SECTIONS = 200
# Header labels of the run_info entries; an entry not named here is shown under its key, and
# the catalog's full text (kept in the Result) is too long for the header.
RUN_INFO_LABELS = {
    "time": "时间 time (UTC)",
    "input_path": "输入 input",
    "input_sha256": "输入哈希 input SHA-256",
    "rules_path": "规则目录 rule catalog",
    "rules_sha256": "规则哈希 catalog SHA-256",
    "constraints_paths": "约束图层 constraint set",
    "constraints_overlay": "规划图层 planner's layers",
    "constraints_fingerprint": "图层指纹 constraint set fingerprint",
    "layers": "图层 layers (status, coverage)",
    "readings": "法条解读 readings",
    "indicative_layers": "示意图层 indicative layers",
    "tool_version": "工具版本 tool version",
}
_RUN_INFO_HIDDEN = ("rules_text",)


def write_report(result, path, *, constraints=None, max_sections: int = MAX_SECTIONS) -> Path:
    """Write the HTML report of ``result`` to ``path`` atomically; return the path.

    Parameters
    ----------
    result : Result or StoredResult
        What :func:`chuannan_gis.check` returned (or ``Result.read(path)``), or a Result
        GeoPackage read as it is written out (:class:`chuannan_gis.documents.stored.StoredResult`:
        the page is written as it is rendered, so memory stays bound for any size).
    path : str or Path
        The ``.html`` file to write.
    constraints : ConstraintSet, optional
        Where the maps find the features the findings name; by default the constraint set
        recorded in ``result.run_info``, and when that cannot be read the maps show the
        proposal alone.
    max_sections : int
        How many proposals (worst verdict first) get a full section; the rest get a table row.
    """
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        for piece in _generate(result, constraints, max_sections):
            out.write(piece)
    return Path(path)


def render_report(result, *, constraints=None, max_sections: int = MAX_SECTIONS) -> str:
    """The report of ``result`` as an HTML string (see :func:`write_report`)."""
    return "".join(_generate(result, constraints, max_sections))


@dataclass
class _Source:
    """What the page is rendered from: the Result of the proposals with a section (worst first),
    the verdicts of all, the closing table's rows (an iterator: from a stored Result they are read
    a chunk at a time), and the findings facts said once (indicative layers, advisory notes)."""

    detailed: Result
    verdicts: Result
    rows: Iterable
    remaining: int
    fired: pd.DataFrame  # layer, data_status of the findings (distinct rows will do)
    advisory: pd.DataFrame  # the older advisory rows: rule_id, layer, message_zh/_en
    limit_layers: set


def _in_memory(result, max_sections: int) -> _Source:
    proposals = _ranked(result.proposals)
    detailed_ids = set(proposals["proposal_id"].iloc[:max_sections])
    keep = result.findings["proposal_id"].isin(detailed_ids)
    detailed = Result(
        proposals.iloc[:max_sections],
        result.findings[keep],
        result.not_checked,
        result.run_info,
        result.overlaps[result.overlaps["proposal_id"].isin(detailed_ids)],
    ).hold(result._held.get("constraints"), result._held.get("catalog"))
    listed = proposals.iloc[max_sections:]
    return _Source(
        detailed,
        result,
        (_row(row) for row in listed.drop(columns=listed.geometry.name).to_dict("records")),
        len(listed),
        result.findings[["layer", "data_status"]],
        _notes_once(result),
        _named_layers(result.proposals),
    )


def _notes_once(result) -> pd.DataFrame:
    """One layer note per rule id (``<layer>_incomplete`` / ``_not_covered``): the rows an older
    Result stored (moved out of its findings on reading) or the notes of a lean one."""
    notes = result.layer_notes() if hasattr(result, "layer_notes") else result.findings.iloc[:0]
    older = result.findings[layer_note_mask(result.findings)]  # rows set on a Result after it was made
    return pd.concat([older, notes], ignore_index=True).drop_duplicates("rule_id")


def _stored(stored, max_sections: int) -> _Source:
    ids = stored.chosen(max_sections, clear_past_limit=True)
    detailed = stored.subset(ids)
    order = {pid: position for position, pid in enumerate(ids)}
    detailed.proposals = detailed.proposals.iloc[np.argsort([order[p] for p in detailed.proposals["proposal_id"]])]
    verdicts = Result(stored.verdicts(), pd.DataFrame(columns=["rule_id"]), run_info=stored.run_info)
    return _Source(
        detailed,
        verdicts,
        _stored_rows(stored, {int(i) for i in ids}),
        stored.total - len(ids),
        stored.fired(),
        stored.advisory_notes(),
        stored.limit_layers(),
    )


def _stored_rows(stored, skip: set):
    """The closing table's rows of a stored Result, worst verdict first, then in input order,
    a chunk at a time (GeoPackage rows come in proposal order)."""
    for code in sorted(RANK, key=lambda c: -RANK[c]):
        for chunk in stored.proposal_chunks(f"verdict = '{code}'"):
            for row in chunk.to_dict("records"):
                if int(row["proposal_id"]) not in skip:
                    yield _row(row)


def _named_layers(proposals) -> set:
    named = set()
    for column in ("incomplete_layers", "not_covered_layers"):
        if column in proposals.columns:
            for value in proposals[column].dropna().astype(str).unique():
                named |= {n.strip() for n in value.split(",") if n.strip()}
    return named


def _generate(result, constraints, max_sections: int):
    """The page, piece by piece (jinja's ``generate``)."""
    source = _in_memory(result, max_sections) if isinstance(result, Result) else _stored(result, max_sections)
    detailed = source.detailed
    constraints = constraints if constraints is not None else recorded_constraints(detailed)
    notes_by_id = _advisory_layers(detailed.findings[layer_note_mask(detailed.findings)])
    findings_by_id = dict(tuple(detailed.findings[~layer_note_mask(detailed.findings)].groupby("proposal_id")))
    overlaps_by_id = dict(tuple(detailed.overlaps.groupby("proposal_id")))
    titles = _rule_titles(detailed)
    checked_here = indicative_layers_checked(detailed, constraints)
    context = {
        "run_info": _run_info_rows(detailed.run_info),
        "counts": _verdict_counts(source.verdicts),
        "certainty_note": CERTAINTY_NOTE,
        "total": len(source.verdicts.proposals),
        "indicative_layers": _indicative_layers(source.fired, detailed.run_info, constraints),
        "data_used": data_used(detailed, constraints),
        "not_checked": detailed.not_checked.to_dict("records"),
        "layer_notes": _layer_notes(source.advisory, source.limit_layers, constraints),
        "sections": [
            {
                **_section(
                    row,
                    findings_by_id.get(row["proposal_id"]),
                    titles,
                    constraints,
                    checked_here.get(int(row["proposal_id"]), []),
                ),
                "layer_limits": _layer_limits(row, notes_by_id.get(int(row["proposal_id"]), {})),
                "overlaps": _overlap_rows(overlaps_by_id.get(row["proposal_id"])),
            }
            for _, row in detailed.proposals.iterrows()
        ],
        "rows": source.rows,
        "remaining": source.remaining,
        "max_sections": max_sections,
    }
    return _environment().get_template("report.html").generate(**context)


def layer_note_mask(findings: pd.DataFrame) -> np.ndarray:
    """The layer notes of a Result written before the lean one (``<layer>_incomplete`` /
    ``_not_covered`` rows): said once per layer, never per proposal.  A catalog's own advisory
    rule (a note that does not change the verdict) stays a finding of its proposal."""
    if "advisory" not in findings.columns or findings.empty:
        return np.zeros(len(findings), dtype=bool)
    rule = findings["rule_id"].astype(str)
    note = np.logical_or.reduce([rule.str.endswith(suffix).to_numpy() for suffix in LAYER_NOTE_SUFFIXES.values()])
    return (findings["advisory"].fillna(False).astype(bool) & note).to_numpy()


def _advisory_layers(advisory: pd.DataFrame) -> dict[int, dict[str, list[str]]]:
    """proposal_id → {"incomplete": layers, "not_covered": layers} from the older advisory rows."""
    out: dict[int, dict[str, list[str]]] = {}
    for pid, rule_id, layer in advisory[["proposal_id", "rule_id", "layer"]].itertuples(index=False):
        kind = "not_covered" if str(rule_id).endswith("_not_covered") else "incomplete"
        out.setdefault(int(pid), {}).setdefault(kind, []).append(_text(layer))
    return out


def _layer_limits(row: pd.Series, from_rows: dict) -> list[dict]:
    """The layers whose completeness note applies to this proposal, and the partial optional
    layers that do not reach it: the lean Result's columns, else the older advisory rows."""
    from ..layers.schema import LAYERS

    limits = []
    for kind, column, zh, en in (
        (
            "incomplete",
            "incomplete_layers",
            "图层不完整（见“图层完整性”）",
            "layer incomplete here (see Layer completeness)",
        ),
        ("not_covered", "not_covered_layers", "可选图层未覆盖此处", "optional layer does not cover this place"),
    ):
        names = [n.strip() for n in _text(row.get(column)).split(",") if n.strip()] or from_rows.get(kind, [])
        if names:
            titles = [f"{LAYERS[n].title_zh if n in LAYERS else n} ({n})" for n in dict.fromkeys(names)]
            limits.append({"kind": kind, "zh": zh, "en": en, "layers": "、".join(titles)})
    return limits


def _layer_notes(advisory: pd.DataFrame, named: set, constraints) -> list[dict]:
    """What each layer is known to lack, once: the older advisory rows' messages (one per rule),
    else the completeness notes of the layers the proposals name."""
    rows = advisory.drop_duplicates("rule_id").sort_values(["layer", "rule_id"])
    notes = [
        {"layer": _text(r["layer"]), "zh": _text(r["message_zh"]), "en": _text(r["message_en"])}
        for _, r in rows.iterrows()
    ]
    for name in sorted(named - {n["layer"] for n in notes}):
        info = constraints.layer_info(name) if constraints is not None else {}
        notes.append(
            {
                "layer": name,
                "zh": _text(info.get("completeness_zh")) or "该图层在部分项目所在处不完整或未覆盖",
                "en": _text(info.get("completeness_en")) or "the layer is incomplete or does not reach some proposals",
            }
        )
    return notes


def _overlap_rows(overlaps: pd.DataFrame | None) -> list[dict]:
    """A proposal's 压占 rows as the section's table shows them."""
    from ..layers.classes import class_label
    from ..layers.schema import LAYERS

    if overlaps is None or overlaps.empty:
        return []
    return [
        {
            "layer": LAYERS[o.layer].title_zh if o.layer in LAYERS else o.layer,
            "layer_code": o.layer,
            "class": class_label(o.layer, _text(o.class_value), _text(o.class_label)),
            "code": _text(o.class_value) if o.layer == "landuse" else "",
            "ha": f"{o.area_ha:.4f}",
            "mu": f"{o.area_mu:.2f}",
            "share": f"{o.share_pct:.1f}",
        }
        for o in overlaps.itertuples(index=False)
    ]


def _run_info_rows(run_info: dict) -> list[tuple[str, str]]:
    """(label, value) rows, the labelled entries first in RUN_INFO_LABELS order."""
    keys = [k for k in RUN_INFO_LABELS if k in run_info]
    keys += [k for k in run_info if k not in RUN_INFO_LABELS and k not in _RUN_INFO_HIDDEN]
    return [(RUN_INFO_LABELS.get(k, k), _run_info_value(run_info[k])) for k in keys]


def _run_info_value(value) -> str:
    """A run_info value as one header line: lists comma-separated, layers as name (status, coverage)."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(f"{v.name} ({v.status}, {v.coverage})" if hasattr(v, "coverage") else str(v) for v in value)
    return _text(value)


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates' environment, made once per process (a template is compiled once)."""
    # autoescape on for every template: every string from the data is escaped
    return jinja2.Environment(
        loader=jinja2.PackageLoader("chuannan_gis", "report/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _ranked(proposals: pd.DataFrame) -> pd.DataFrame:
    """Proposals worst verdict first, then in input order."""
    rank = proposals["verdict"].map(RANK).fillna(0)
    order = sorted(range(len(proposals)), key=lambda i: (-rank.iloc[i], proposals["proposal_id"].iloc[i]))
    return proposals.iloc[order]


def _verdict_counts(result) -> list[dict]:
    """Per verdict, its count and how many of those proposals have each certainty (SCHEMA.md),
    e.g. prohibited 3 (certain 2, within accuracy 1); a Result written before certainty has none."""
    counts = result.verdict_counts()
    proposals = result.proposals
    by_certainty = (
        proposals.groupby(["verdict", proposals["certainty"].fillna("")]).size()
        if "certainty" in proposals.columns and len(proposals)
        else pd.Series(dtype=int)
    )
    rows = []
    for code, v in VERDICTS.items():
        split = [
            {
                "zh": CERTAINTY[c].name_zh,
                "en": CERTAINTY[c].name_en,
                "code": c,
                "count": int(by_certainty.get((code, c), 0)),
            }
            for c in CERTAINTY
            if c and by_certainty.get((code, c), 0)
        ]
        rows.append(
            {
                "code": code,
                "zh": v.zh,
                "en": v.en,
                "colour": v.colour,
                "text_colour": v.text_colour,
                "count": int(counts.get(code, 0)),
                "certainty": split,
            }
        )
    return rows


def recorded_constraints(result):
    """The constraint set the run used (held, or reopened from its record) if it can still be read
    unchanged; else None (maps show the proposal alone, since a finding's feature_id only means
    something in that very set)."""
    run_info = result.run_info
    files = [Path(p) for p in run_info.get("constraints_paths") or ()]
    if not files or not all(f.exists() for f in files):
        return None
    try:
        constraints = result.constraint_set()
    except (ChuannanError, OSError) as err:
        logger.warning("the report maps show proposals only: constraint set not readable (%s)", err)
        return None
    if constraints.fingerprint != run_info.get("constraints_fingerprint"):
        logger.warning("the report maps show proposals only: the constraint set changed since the run")
        return None
    return constraints


def _rule_titles(result) -> dict:
    """Rule id → (title zh, title en), from the catalog the run used (never the defaults)."""
    try:
        return {rule.id: (rule.title.zh, rule.title.en) for rule in result.catalog()}
    except RuleError:
        pass
    # a recorded text that no longer validates still names its rules
    text = result.run_info.get("rules_text")
    try:
        rules = (yaml.safe_load(text) or {}).get("rules", []) if text else []
        return {r["id"]: (r["title"]["zh"], r["title"]["en"]) for r in rules}
    except (yaml.YAMLError, AttributeError, KeyError, TypeError):
        logger.warning("the report shows rule ids only: the recorded rule catalog cannot be parsed")
        return {}


def _indicative_layers(findings: pd.DataFrame, run_info, constraints) -> list[dict]:
    """Layers whose data are indicative (示意): those the run recorded and those the findings rest on."""
    names = set(findings.loc[findings["data_status"] == "indicative", "layer"].dropna().astype(str))
    names |= set(run_info.get("indicative_layers") or ())
    return [{"layer": name, **_layer_titles(name, constraints)} for name in sorted(names)]


def _layer_titles(name: str, constraints) -> dict:
    from ..layers.schema import LAYERS

    info = constraints.layer_info(name) if constraints is not None else {}
    spec = LAYERS.get(name)
    return {
        "title_zh": info.get("title_zh") or (spec.title_zh if spec else name),
        "title_en": info.get("title_en") or (spec.title_en if spec else name),
        "method": info.get("method") or "",
    }


def _section(
    row: pd.Series, findings: pd.DataFrame | None, titles: dict, constraints, indicative_here: list[str] = ()
) -> dict:
    """A proposal's full section; a clear one names the indicative layers it was checked against."""
    findings = findings if findings is not None else pd.DataFrame(columns=["rule_id"])
    return {
        "clear_indicative": clear_summary(list(indicative_here), constraints) if indicative_here else None,
        **_row(row),
        "summary_zh": _text(row.get("summary_zh")),
        "summary_en": _text(row.get("summary_en")),
        "citations": _text(row.get("citations")),
        "indicative": bool(row.get("indicative")) if pd.notna(row.get("indicative")) else False,
        "findings": [_finding(f, titles) for _, f in findings.iterrows()],
        "map": finding_map(row.geometry, findings, constraints, VERDICTS.get(row["verdict"], VERDICTS["unknown"])),
    }


def _row(row) -> dict:
    """A proposal's table row (from a Series or a record dict)."""
    verdict = VERDICTS.get(row["verdict"], VERDICTS["unknown"])
    certainty = row.get("certainty")
    return {
        "proposal_id": int(row["proposal_id"]),
        "name": _text(row.get("name")),
        "kind": term_label("kind", row.get("kind")),
        "industry": term_label("industry", row.get("industry")),
        "status": term_label("status", row.get("status")),
        "county": _text(row.get("county")),
        "city": _text(row.get("city")),
        "district": _text(row.get("district")),
        "rule_ids": _text(row.get("rule_ids")),
        "verdict": _verdict(verdict, certainty),
    }


def _verdict(verdict, certainty) -> dict:
    """What a badge or a verdict cell shows: the verdict and its certainty's qualifier
    (``chuannan_gis.verdicts.CERTAINTY``), so a verdict within the data's accuracy never reads as certain."""
    entry = certainty_of(certainty)
    return {
        "code": verdict.code,
        "zh": verdict.zh,
        "en": verdict.en,
        "colour": verdict.colour,
        "text_colour": verdict.text_colour,
        "certainty": entry.code,
        "qualifier_zh": entry.zh,
        "qualifier_en": entry.en,
        "short_zh": verdict_text(verdict.code, entry.code, "zh", short=True),
        "short_en": verdict_text(verdict.code, entry.code, "en", short=True),
    }


def _finding(finding: pd.Series, titles: dict) -> dict:
    rule_id = _text(finding.get("rule_id"))
    verdict = VERDICTS.get(finding.get("verdict"), VERDICTS["unknown"])
    title_zh, title_en = titles.get(rule_id, (rule_id, ""))
    return {
        "rule_id": rule_id,
        "title_zh": title_zh,
        "title_en": title_en,
        "verdict": _verdict(verdict, finding.get("certainty")),
        "certainty": _certainty_name(finding.get("certainty")),
        "measured": quantity_text(finding.get("measured"), finding.get("unit")),
        "threshold": quantity_text(finding.get("threshold"), finding.get("unit")),
        "layer": _text(finding.get("layer")),
        "data_status": "示意 indicative"
        if finding.get("data_status") == "indicative"
        else _text(finding.get("data_status")),
        "accuracy": accuracy_label(finding.get("accuracy_m")),
        "citation": _text(finding.get("citation")),
        "message_zh": _text(finding.get("message_zh")),
        "message_en": _text(finding.get("message_en")),
    }


def _certainty_name(code) -> str:
    entry = certainty_of(code)
    return f"{entry.name_zh} {entry.name_en}" if entry.code else "—"


def quantity_text(value, unit) -> str:
    """A measured value or threshold with its unit as the report shows it ("—" when none)."""
    if _text(value) == "":
        return "—"
    if isinstance(value, (int, float, np.number)):
        value = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value} {_text(unit)}".strip()


def accuracy_label(value) -> str:
    """A finding's or layer's accuracy in both languages (:func:`chuannan_gis.labels.accuracy_text`)."""
    return accuracy_text(value, "zh en")


__all__ = [
    "MAX_SECTIONS",
    "accuracy_label",
    "layer_note_mask",
    "quantity_text",
    "recorded_constraints",
    "render_report",
    "write_report",
]
