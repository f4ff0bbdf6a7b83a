"""The HTML report: one self-contained, bilingual page a planner can file and open offline.

The report renders a :class:`~chuannan_gis.result.Result` and nothing else: it decides no verdict
and holds no threshold.  The page has no script, no stylesheet link and no tile: the small maps
are inline SVG drawn from the proposal and the constraint features its findings name.

Size: the ``max_sections`` worst proposals (default 200, ranked by verdict) get a full section
with reasons and a map; every further proposal gets one row in a closing table, so a run of
10,000 proposals still gives a page a browser opens quickly.  All of them are in the Result
GeoPackage.
"""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import yaml

from ..errors import ChuannanError, RuleError
from ..io import atomic_output
from ..labels import accuracy_text, term_label
from ..provenance import clear_summary, data_used, indicative_layers_checked
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
    result : Result
        What :func:`chuannan_gis.check` returned (or ``Result.read(path)``).
    path : str or Path
        The ``.html`` file to write.
    constraints : ConstraintSet, optional
        Where the maps find the features the findings name; by default the constraint set
        recorded in ``result.run_info``, and when that cannot be read the maps show the
        proposal alone.
    max_sections : int
        How many proposals (worst verdict first) get a full section; the rest get a table row.
    """
    html = render_report(result, constraints=constraints, max_sections=max_sections)
    with atomic_output(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return Path(path)


def render_report(result, *, constraints=None, max_sections: int = MAX_SECTIONS) -> str:
    """The report of ``result`` as an HTML string (see :func:`write_report`)."""
    constraints = constraints if constraints is not None else _recorded_constraints(result)
    proposals = _ranked(result.proposals)
    detailed, listed = proposals.iloc[:max_sections], proposals.iloc[max_sections:]
    findings_by_id = {pid: rows for pid, rows in result.findings_with_notes().groupby("proposal_id")}  # noqa: C416 (GroupBy.keys is a str: dict() would call it)
    titles = _rule_titles(result)
    checked_here = indicative_layers_checked(result, constraints)
    context = {
        "run_info": _run_info_rows(result.run_info),
        "counts": _verdict_counts(result),
        "certainty_note": CERTAINTY_NOTE,
        "total": len(proposals),
        "indicative_layers": _indicative_layers(result, constraints),
        "data_used": data_used(result, constraints),
        "not_checked": result.not_checked.to_dict("records"),
        "sections": [
            _section(
                row,
                findings_by_id.get(row["proposal_id"]),
                titles,
                constraints,
                checked_here.get(int(row["proposal_id"]), []),
            )
            for _, row in detailed.iterrows()
        ],
        "rows": [_row(row) for _, row in listed.iterrows()],
        "max_sections": max_sections,
    }
    return _environment().get_template("report.html").render(**context)


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


def _environment() -> jinja2.Environment:
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


def _recorded_constraints(result):
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


def _indicative_layers(result, constraints) -> list[dict]:
    """Layers whose data are indicative (示意): those the run recorded and those the findings rest on."""
    findings = result.findings
    names = set(findings.loc[findings["data_status"] == "indicative", "layer"].dropna().astype(str))
    names |= set(result.run_info.get("indicative_layers") or ())
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


def _row(row: pd.Series) -> dict:
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
        "measured": _quantity(finding.get("measured"), finding.get("unit")),
        "threshold": _quantity(finding.get("threshold"), finding.get("unit")),
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


def _quantity(value, unit) -> str:
    if _text(value) == "":
        return "—"
    if isinstance(value, (int, float, np.number)):
        value = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value} {_text(unit)}".strip()


def accuracy_label(value) -> str:
    """A finding's or layer's accuracy in both languages (:func:`chuannan_gis.labels.accuracy_text`)."""
    return accuracy_text(value, "zh en")


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


__all__ = ["MAX_SECTIONS", "accuracy_label", "render_report", "write_report"]
