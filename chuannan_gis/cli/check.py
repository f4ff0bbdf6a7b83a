"""``chuannan-gis check``: read proposals, check them, write the Result (and a report and web map)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from .. import ENGINES
from ..errors import RuleError
from ..verdicts import CODES, VERDICTS, at_or_above
from .helpers import EXIT_FAILED_ON, echo_table, refuse_overwriting
from .options import (
    docx_template_option,
    input_options,
    layers_option,
    map_options,
    max_sections_option,
    rules_option,
)
from .webmap import write_map_file


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="结果 Result GeoPackage to write.")
@click.option(
    "--report",
    "report_paths",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="审查文档 Document to write, its format by suffix: .html, .xlsx, .docx or .pdf (repeatable).",
)
@click.option("--map", "map_path", type=click.Path(dir_okay=False), help="网页地图 Web map (HTML) to write.")
@rules_option
@layers_option
@click.option(
    "--fail-on",
    type=click.Choice([c for c in CODES if c != "clear"]),
    help="失败阈值 Exit 1 when a proposal gets this verdict or a worse one.",
)
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default="default",
    show_default=True,
    help="引擎 dask: the same check on dask-geopandas, in chunks, for millions of features.",
)
@click.option(
    "--scheduler",
    help="调度器 With --engine dask: a dask.distributed address (tcp://host:8786), "
    "or threads | processes | synchronous (default: local threads).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="进程数 Default engine: chunks (or, for a file of one chunk, slices of it) checked at once, "
    "each in a process of its own, ~2 GB each.  [default: one per CPU core, as memory allows]",
)
@max_sections_option
@docx_template_option
@input_options
@map_options
@click.pass_context
def check(
    ctx,
    input_path,
    output,
    report_paths,
    map_path,
    rules_path,
    layers_path,
    fail_on,
    engine,
    scheduler,
    workers,
    field_map,
    input_datum,
    crs,
    input_layer,
    encoding,
    max_sections,
    docx_template,
    constants,
    datum_shift,
    **map_settings,
):
    """筛查拟建项目 Check the proposals in INPUT against the constraint layers and rules."""
    import chuannan_gis

    from ..documents import document_format

    for report_path in report_paths:
        document_format(report_path)  # an unknown suffix fails here, before the check runs
    refuse_overwriting(input_path, output, *report_paths, map_path)
    if map_settings["screen"]:
        if not map_path:
            raise click.UsageError("--screen 需要 --map / --screen needs --map")
        refuse_overwriting(map_settings["screen"], output, *report_paths, map_path)
    if scheduler and ENGINES[engine].forks_workers:  # an engine that forks workers has no scheduler
        raise click.UsageError("--scheduler 仅用于 --engine dask / --scheduler needs --engine dask")
    if workers and not ENGINES[engine].forks_workers:
        raise click.UsageError("--workers 仅用于默认引擎 / --workers is for the default engine (dask has --scheduler)")
    read_options = {
        "layer": input_layer,
        "field_map": field_map,
        "input_datum": input_datum,
        "crs": crs,
        "encoding": encoding,
        "constants": constants,
        "datum_shift": datum_shift,
    }
    chuannan_gis.get_engine(engine)  # unknown, or its libraries missing: one clean line, before any work
    with contextlib.closing(_ProgressBar(enabled=not ctx.obj["quiet"])) as progress:
        # the library reads the input (through io.read_proposals), so the Result records its path and hash
        from .. import stream

        # written chunk by chunk as it is checked: memory depends on the chunk, not the input, and
        # a chunk is written while the next is checked (one chunk: the file Result.write writes)
        result = stream.check_to_file(
            input_path,
            output,
            constraints=layers_path,
            rules=rules_path,
            engine=engine,
            scheduler=scheduler,
            workers=workers,  # None: one process per core
            progress=progress,
            **read_options,
        )
    if report_paths:
        from ..documents import write_document

        # from the written file, as the format needs it (documents.documents_result), with the
        # set and catalog loaded once for the check
        for report_path in report_paths:
            write_document(
                result.documents_source(), report_path, max_sections=max_sections, docx_template=docx_template
            )
    if map_path:
        drawn, total = result.map_result()
        if len(drawn.proposals) < total:
            shown = f"{len(drawn.proposals):,}"
            click.echo(
                f"警告 warning: 地图仅显示最需关注的 {shown} 个（共 {total:,} 个）拟建项目 / the map draws the {shown} "
                f"worst of {total:,} proposals; every one is in {output} and the documents",
                err=True,
            )
        write_map_file(drawn, map_path, None, **map_settings)
    if not ctx.obj["quiet"]:
        written = {
            "结果 result": output,
            **{f"文档 {Path(p).suffix[1:]}": p for p in report_paths},
            "地图 map": map_path,
        }
        _echo_summary(result, written)
    if fail_on:
        _exit_if_failed(ctx, result, fail_on)


class _ProgressBar:
    """The ``progress(done, total, *current)`` callback, drawn as a tqdm bar on stderr (only on a
    terminal); the streamed check calls it after each chunk, in proposals."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __call__(self, done: int, total: int, *current) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, file=sys.stderr, unit=" proposals", leave=False, disable=None if self.enabled else True
            )  # None: off when not a terminal
        self.bar.update(done - self.bar.n)
        if current:
            self.bar.set_postfix_str(str(current[0]), refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _echo_summary(result, written: dict) -> None:
    counts = result.verdict_counts()
    rows = [(f"{v.zh} {v.en}", str(int(counts.get(code, 0)))) for code, v in VERDICTS.items()]
    rows.append(("合计 total", str(sum(counts.values()))))
    echo_table(("结论 verdict", "数量 count"), rows)
    for reason, rule_ids in _not_checked_lines(result):
        click.echo(f"未检查 not checked: {', '.join(rule_ids)} — {reason}")
    for label, path in written.items():
        if path:
            click.echo(f"{label}: {path}")


def _not_checked_lines(result) -> list[tuple[str, list[str]]]:
    """(why, rule ids) for the rules not checked that apply to at least one proposal, by reason: a
    farmland rule is worth naming for a park, a tailings rule not for a batch without tailings ponds."""
    from ..rules.scope import Scopes

    table = result.not_checked
    if not len(table):
        return []
    catalog = getattr(result, "catalog", None)
    try:  # a Result holds its catalog (a method); a streamed check names it (an attribute)
        rules = {rule.id: rule for rule in (catalog() if callable(catalog) else catalog) or ()}
    except RuleError:  # a Result without its catalog text: every rule listed, as before
        rules = {}
    scopes = Scopes(_scope_columns(result)) if rules else None  # each rule decided per distinct scope
    lines: dict[str, list[str]] = {}
    for row in table.itertuples():
        rule = rules.get(row.rule_id)
        if rule is not None and not scopes.applicable(rule).any():
            continue
        lines.setdefault(f"{row.reason_zh} / {row.reason_en}", []).append(str(row.rule_id))
    return list(lines.items())


def _scope_columns(result):
    """The proposals' kind, industry, status and optional marks: in memory for a Result, read from
    the written file (no geometry) for a streamed check."""
    if hasattr(result, "proposals"):
        return result.proposals
    import pyogrio

    from ..vocabulary import FIELDS, OPTIONAL_FIELDS

    info = pyogrio.read_info(result.path, layer="proposals")
    columns = [c for c in (*FIELDS, *OPTIONAL_FIELDS) if c in info["fields"]]
    from ..result import arrow_usable

    return pyogrio.read_dataframe(
        result.path, layer="proposals", columns=columns, read_geometry=False, use_arrow=arrow_usable()
    )


def _exit_if_failed(ctx, result, fail_on: str) -> None:
    counts = result.verdict_counts()
    hits = sum(counts[code] for code in at_or_above(fail_on))
    if hits:
        click.echo(
            f"未通过 failed: {hits} 项结论为 {VERDICTS[fail_on].zh} 或更严 / {hits} proposal(s) "
            f"{fail_on} or worse (--fail-on {fail_on})",
            err=True,
        )
        ctx.exit(EXIT_FAILED_ON)
