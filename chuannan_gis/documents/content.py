"""What the filed documents say, from a Result and nothing else: the tables every format lays out.

The 审查意见表 (one row per proposal), the 压占分析 (``overlaps`` by layer and class, with the
三调 地类 grouped into 农用地 / 建设用地 / 未利用地 and 耕地 apart), the 地类明细 with its 小计
rows, the rules cited with their checked text, and the data used.  The .xlsx, .docx and .pdf
writers only arrange these; none of them decides or measures anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..labels import term_label
from ..labels import text_of as _text
from ..layers.classes import class_label
from ..layers.schema import LAYERS
from ..provenance import data_used
from ..verdicts import RANK, VERDICTS, certainty_of
from .landuse import GROUPS, land_group

# The fixed caveat every document carries (SCHEMA.md verdicts: clear is not a permit).
CAVEAT_ZH = (
    "本意见为空间约束筛查结果，不作为审批依据；“未发现冲突”仅表示与所检查的约束未发现冲突，并非许可。"
    "标为“示意”的图层为示意数据，据此得出的结论须以官方图层核实。"
)
CAVEAT_EN = (
    "A screening result, not a permit or approval: 'clear' means no conflict was found with the constraints "
    "checked. Layers marked indicative (示意) are indicative data: confirm findings resting on them with the "
    "official layers."
)
REVIEW_COLUMNS = ["序号", "项目名称", "类型/行业", "所在县(区)", "审查结论", "确定性", "主要依据", "说明"]
OVERLAP_COLUMNS_ZH = ["项目名称", "图层", "类别", "公顷", "亩", "占比(%)"]
LANDUSE_COLUMNS_ZH = ["项目名称", "地类编码", "地类名称", "公顷", "亩", "占比(%)"]
SUBTOTAL = "小计"


@dataclass
class Contents:
    """The documents' tables of one Result (pandas frames with Chinese column names)."""

    review: pd.DataFrame
    overlaps: pd.DataFrame  # 压占分析, with proposal_id
    landuse: pd.DataFrame  # 地类明细, with proposal_id and a ``subtotal`` flag
    citations: pd.DataFrame
    sources: pd.DataFrame
    not_checked: pd.DataFrame
    run_time: str = ""
    extra: dict = field(default_factory=dict)


def contents(result, constraints=None) -> Contents:
    """The tables of ``result`` (``constraints``: titles and county names of the data used)."""
    names = names_of(result.proposals)
    return Contents(
        review=review_table(result.proposals),
        overlaps=overlap_rows(result.overlaps, names),
        landuse=landuse_rows(result.overlaps, names),
        citations=citation_rows(result),
        sources=source_rows(result, constraints),
        not_checked=result.not_checked,
        run_time=str(result.run_info.get("time") or ""),
    )


def ranked(proposals: pd.DataFrame) -> pd.DataFrame:
    """Proposals worst verdict first, then in input order (as the HTML report orders them)."""
    rank = proposals["verdict"].map(RANK).fillna(0).to_numpy()
    order = np.lexsort((proposals["proposal_id"].to_numpy(), -rank))
    return proposals.iloc[order]


def review_table(proposals: pd.DataFrame, first_number: int = 1) -> pd.DataFrame:
    """The 审查意见表: one row per proposal, in input order, numbered from ``first_number``."""
    frame = proposals.sort_values("proposal_id", kind="stable")
    kind = _labels(frame, "kind", lambda v: term_label("kind", v, "zh"))
    industry = _labels(frame, "industry", lambda v: term_label("industry", v, "zh"))
    certainty = _labels(frame, "certainty", lambda c: certainty_of(c).name_zh if certainty_of(c).code else "")
    notes = [_note(row) for row in frame.drop(columns=["geometry"], errors="ignore").to_dict("records")]
    return pd.DataFrame(
        {
            "proposal_id": frame["proposal_id"].to_numpy(dtype="int64"),
            "序号": np.arange(first_number, first_number + len(frame)),
            "项目名称": names_of(frame).reindex(frame["proposal_id"]).to_numpy(dtype=object),
            "类型/行业": [f"{k}／{i}" if i else k for k, i in zip(kind, industry)],
            "所在县(区)": _column(frame, "county"),
            "审查结论": [VERDICTS.get(v, VERDICTS["unknown"]).zh for v in frame["verdict"]],
            "确定性": certainty,
            "主要依据": _column(frame, "citations"),
            "说明": notes,
            "verdict": frame["verdict"].to_numpy(dtype=object),
        }
    )


def _labels(frame: pd.DataFrame, column: str, label) -> list[str]:
    """``label`` of each value of a column, worked out once per distinct value."""
    values = _column(frame, column)
    words = {value: label(value or None) for value in set(values)}
    return [words[value] for value in values]


def _note(row) -> str:
    """The 说明 of a proposal: its summary, and what the layers could not see there (the lean
    Result's columns, when it has them)."""
    parts = [_text(row.get("summary_zh"))]
    incomplete = _layer_titles(row.get("incomplete_layers"))
    if incomplete:
        parts.append(f"图层不完整：{incomplete}")
    uncovered = _layer_titles(row.get("not_covered_layers"))
    if uncovered:
        parts.append(f"可选图层未覆盖：{uncovered}")
    if bool(row.get("indicative")) and not pd.isna(row.get("indicative")):
        parts.append("部分依据示意数据，须以官方图层核实")
    return "；".join(p for p in parts if p)


def _layer_titles(value) -> str:
    names = [n.strip() for n in _text(value).split(",") if n.strip()]
    return "、".join(LAYERS[n].title_zh if n in LAYERS else n for n in names)


def overlap_rows(overlaps: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """The 压占分析: per proposal, each layer's classes; the 地类 as their three groups and 耕地."""
    plain = overlaps[overlaps["layer"] != "landuse"]
    rows = pd.DataFrame(
        {
            "proposal_id": plain["proposal_id"].to_numpy(dtype="int64"),
            "项目名称": names.reindex(plain["proposal_id"]).to_numpy(dtype=object),
            "图层": [LAYERS[n].title_zh if n in LAYERS else n for n in plain["layer"]],
            "类别": [
                class_label(n, v, lab) for n, v, lab in zip(plain["layer"], plain["class_value"], plain["class_label"])
            ],
            "公顷": plain["area_ha"].to_numpy(dtype=float),
            "亩": plain["area_mu"].to_numpy(dtype=float),
            "占比(%)": plain["share_pct"].to_numpy(dtype=float),
        }
    )
    groups = landuse_rows(overlaps, names)
    groups = groups[groups["subtotal"]].assign(图层=LAYERS["landuse"].title_zh, 类别=lambda g: g["地类名称"])
    table = pd.concat([rows, groups[rows.columns]], ignore_index=True)
    return table.sort_values("proposal_id", kind="stable").reset_index(drop=True)


def landuse_rows(overlaps: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """The 地类明细: per proposal, each 地类 by code, then the 小计 rows of 农用地 (with 耕地 apart),
    建设用地 and 未利用地 (a group the site does not touch is left out)."""
    land = overlaps[overlaps["layer"] == "landuse"].copy()
    columns = ["proposal_id", *LANDUSE_COLUMNS_ZH, "subtotal"]
    if land.empty:
        return pd.DataFrame(columns=columns).astype({"subtotal": bool})
    land["group"] = [land_group(code) for code in land["class_value"]]
    detail = pd.DataFrame(
        {
            "proposal_id": land["proposal_id"].to_numpy(dtype="int64"),
            "地类编码": land["class_value"].to_numpy(dtype=object),
            "地类名称": land["class_label"].to_numpy(dtype=object),
            "公顷": land["area_ha"].to_numpy(dtype=float),
            "亩": land["area_mu"].to_numpy(dtype=float),
            "占比(%)": land["share_pct"].to_numpy(dtype=float),
            "subtotal": False,
            "_order": 0,
            "_group": land["group"].to_numpy(dtype=object),
        }
    ).sort_values(["proposal_id", "地类编码"], kind="stable")
    sums = []
    for position, (key, label) in enumerate(GROUPS.items(), start=1):
        members = detail[[key in (g if isinstance(g, tuple) else (g,)) for g in detail["_group"]]]
        if members.empty:
            continue
        total = members.groupby("proposal_id")[["公顷", "亩", "占比(%)"]].sum().reset_index()
        sums.append(total.assign(地类编码="", 地类名称=f"{label}{SUBTOTAL}", subtotal=True, _order=position))
    table = pd.concat([detail, *sums], ignore_index=True).sort_values(["proposal_id", "_order"], kind="stable")
    table["项目名称"] = names.reindex(table["proposal_id"]).to_numpy(dtype=object)
    return table[columns].reset_index(drop=True)


def citation_rows(result) -> pd.DataFrame:
    """The 依据: each rule the findings cite, with the clause's checked text and when it was checked."""
    fired = list(dict.fromkeys(result.findings["rule_id"].dropna().astype(str)))
    rows = []
    try:
        rules = {rule.id: rule for rule in result.catalog()}
    except Exception:  # a Result whose recorded catalog no longer parses: the findings' short citations
        rules = {}
    for rule_id in fired:
        rule = rules.get(rule_id)
        if rule is None:
            short = result.findings.loc[result.findings["rule_id"] == rule_id, "citation"].dropna()
            rows.append(
                {
                    "规则": rule_id,
                    "文件": _text(short.iloc[0]) if len(short) else "",
                    "条款": "",
                    "原文": "",
                    "核实": "未核实",
                }
            )
            continue
        citation = rule.citation
        checked = citation.verified.date.isoformat() if citation.verified is not None else ""
        rows.append(
            {
                "规则": f"{rule.title.zh}（{rule.id}）",
                "文件": citation.document,
                "条款": citation.clause,
                "原文": citation.text_zh,
                "核实": f"{citation.verified_label()}" if checked else "未核实 unverified",
                "核实日期": checked,
            }
        )
    return pd.DataFrame(rows, columns=["规则", "文件", "条款", "原文", "核实", "核实日期"])


def source_rows(result, constraints=None) -> pd.DataFrame:
    """The 数据来源: every layer the check used, its status, source, date and coverage."""
    return pd.DataFrame(
        [
            {
                "图层": f"{use.title_zh}（{use.layer}）",
                "状态": use.status_zh,
                "来源": use.source,
                "日期": use.date,
                "覆盖范围": use.coverage_zh,
            }
            for use in data_used(result, constraints)
        ],
        columns=["图层", "状态", "来源", "日期", "覆盖范围"],
    )


def names_of(proposals: pd.DataFrame) -> pd.Series:
    """proposal_id → name (the feature id names a proposal without one, as SCHEMA.md says)."""
    ids = proposals["proposal_id"].to_numpy(dtype="int64")
    names = _column(proposals, "name")
    return pd.Series([n or f"#{i}" for n, i in zip(names, ids)], index=ids, dtype=object)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return np.array([_text(v) for v in frame[name]], dtype=object)


__all__ = ["CAVEAT_EN", "CAVEAT_ZH", "Contents", "class_label", "contents", "landuse_rows", "overlap_rows", "ranked"]


def sections(result, constraints=None, max_sections: int = 200) -> list[dict]:
    """The 审查意见 of each proposal a .docx or .pdf gives a section: every proposal, worst
    first; past ``max_sections`` proposals only those that are not ``clear`` (the summary table
    lists them all)."""
    from ..report.svg import finding_map

    proposals = ranked(result.proposals)
    if len(proposals) > max_sections:
        proposals = proposals[proposals["verdict"] != "clear"]
    findings_by_id = dict(tuple(result.findings.groupby("proposal_id")))
    names = names_of(result.proposals)
    overlaps = overlap_rows(result.overlaps, names)
    overlaps_by_id = dict(tuple(overlaps.groupby("proposal_id")))
    land = landuse_rows(result.overlaps, names)
    land_by_id = dict(tuple(land.groupby("proposal_id")))
    rules = _rules(result)
    centres = _centres(proposals)
    out = []
    for (_, row), centre in zip(proposals.iterrows(), centres):
        pid = int(row["proposal_id"])
        findings = findings_by_id.get(pid, result.findings.iloc[:0])
        findings = findings[~layer_note_mask(findings)]
        verdict = VERDICTS.get(row["verdict"], VERDICTS["unknown"])
        out.append(
            {
                "proposal_id": pid,
                "name": _text(row.get("name")) or f"#{pid}",
                "kind": term_label("kind", row.get("kind"), "zh"),
                "industry": term_label("industry", row.get("industry"), "zh"),
                "county": _text(row.get("county")),
                "city": _text(row.get("city")),
                "centre": centre,
                "verdict": verdict,
                "certainty": certainty_of(row.get("certainty")),
                "summary_zh": _text(row.get("summary_zh")),
                "note": _note(row),
                "indicative": bool(row.get("indicative")) if pd.notna(row.get("indicative")) else False,
                "findings": [_finding(f, rules) for _, f in findings.iterrows()],
                "overlaps": overlaps_by_id.get(pid, overlaps.iloc[:0]).to_dict("records"),
                "landuse": land_by_id.get(pid, land.iloc[:0]).to_dict("records"),
                "map": finding_map(row.geometry, findings, constraints, verdict) if "geometry" in row.index else None,
            }
        )
    return out


def layer_note_mask(findings: pd.DataFrame) -> np.ndarray:
    """The older Results' ``<layer>_incomplete`` / ``_not_covered`` rows (said once, not per proposal)."""
    from ..report import layer_note_mask as mask

    return mask(findings)


def _rules(result) -> dict:
    try:
        return {rule.id: rule for rule in result.catalog()}
    except Exception:  # a recorded catalog that no longer parses: the findings' own words
        return {}


def _finding(finding: pd.Series, rules: dict) -> dict:
    from ..report import quantity_text

    rule = rules.get(_text(finding.get("rule_id")))
    citation = rule.citation if rule is not None else None
    return {
        "rule_id": _text(finding.get("rule_id")),
        "title": rule.title.zh if rule is not None else _text(finding.get("title_zh")) or _text(finding.get("rule_id")),
        "verdict": VERDICTS.get(finding.get("verdict"), VERDICTS["unknown"]),
        "certainty": certainty_of(finding.get("certainty")),
        "measured": quantity_text(finding.get("measured"), finding.get("unit")),
        "threshold": quantity_text(finding.get("threshold"), finding.get("unit")),
        "layer_code": _text(finding.get("layer")),
        "layer": LAYERS[finding["layer"]].title_zh
        if _text(finding.get("layer")) in LAYERS
        else _text(finding.get("layer")),
        "indicative": finding.get("data_status") == "indicative",
        "message": _text(finding.get("message_zh")),
        "document": citation.document if citation else _text(finding.get("citation")),
        "clause": citation.clause if citation else "",
        "quote": citation.text_zh if citation else "",
        "verified": citation.verified_label() if citation else "未核实 unverified",
    }


def _centres(proposals) -> list[str]:
    """Each proposal's centre in CGCS2000 (EPSG:4490, degrees) and its EPSG:4544 metres."""
    import geopandas as gpd

    from ..crs import MEASURE_CRS

    if "geometry" not in proposals.columns or not len(proposals):
        return [""] * len(proposals)
    geoms = gpd.GeoSeries(proposals.geometry.values, crs=proposals.crs)
    measured = geoms.to_crs(MEASURE_CRS)
    points = measured.representative_point()
    lonlat = points.to_crs(proposals.crs)
    out = []
    for p, q in zip(lonlat, points):
        if p is None or p.is_empty:
            out.append("")
        else:
            out.append(f"东经 {p.x:.6f}°，北纬 {p.y:.6f}°（CGCS2000）；X {q.y:.1f} m，Y {q.x:.1f} m（EPSG:4544）")
    return out
