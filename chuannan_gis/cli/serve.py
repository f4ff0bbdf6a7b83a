"""``chuannan-gis serve``: the check as an OGC API – Processes service (see docs/service.md)."""

from __future__ import annotations

import click

from .options import parse_pairs


def settings_from_options(*, layers, rules, threads=None, **options):
    # threads: how many the built-in server runs; a WSGI server has its own setting
    from ..service import ServiceSettings

    return ServiceSettings.create(layers=layers, rules=rules, **options)


_POSITIVE = click.FloatRange(min=0, min_open=True)


def _limit(flag: str, kind, default, help_text: str):
    return click.option(flag, type=kind, default=default, show_default=True, help=help_text)


def _named_sets(flag: str, help_text: str):
    return click.option(
        flag, multiple=True, callback=parse_pairs, metavar="NAME=PATH", help=f"{help_text} as 'default'."
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="地址 Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="端口 Port.")
@_named_sets("--layers", "约束图层集 A constraint set requests may name (repeatable); default: the bundled set")
@_named_sets("--rules", "规则目录 A rule catalog requests may name (repeatable); default: the bundled catalog")
@click.option("--scheduler", help="调度器 dask.distributed address (tcp://host:8786) for large jobs.")
@click.option(
    "--jobs-dir",
    type=click.Path(file_okay=False),
    help="任务目录 Folder of the job store and outputs.  [default: ./chuannan-jobs]",
)
@_limit("--max-features", click.IntRange(min=1), 100_000, "最多项目数 Proposals per request.")
@_limit("--max-body-mb", _POSITIVE, 200, "请求上限 Request body, MB.")
@_limit("--job-ttl-hours", _POSITIVE, 72, "保留时长 Hours a job's outputs are kept.")
@click.option(
    "--audit-log",
    type=click.Path(dir_okay=False),
    help="审计日志 One line per job.  [default: audit.log in the jobs folder]",
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=8, show_default=True, help="线程 Requests answered at once."
)
def serve(threads, **options):
    """提供服务 Serve the check as OGC API – Processes (pip install "chuannan-gis[server]").

    With env CHUANNAN_SERVICE_TOKEN set, execution and job routes need 'Authorization: Bearer <token>'.
    """
    try:
        import waitress
    except ImportError as err:
        from ..errors import MissingDependencyError

        raise MissingDependencyError(
            f"serve 缺少依赖 the service needs libraries that are not installed ({err}); "
            'install them with: pip install "chuannan-gis[server]"'
        ) from err
    from ..service import create_app

    settings = settings_from_options(**options)
    app = create_app(settings)
    click.echo(f"服务 serving on {settings.public_url}/  (jobs: {settings.jobs_dir})", err=True)
    waitress.serve(app, host=settings.host, port=settings.port, threads=threads, ident="chuannan-gis")
