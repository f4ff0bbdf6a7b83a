"""The ``chuannan-gis`` group: logging, clean one-line errors, and the commands of the modules beside it."""

from __future__ import annotations

import logging
import signal
import sys
import threading

import click

from .. import __version__
from ..errors import ChuannanError
from .helpers import EXIT_BAD_INPUT

logger = logging.getLogger("chuannan_gis.cli")


class _CleanErrors(click.Group):
    """A click group that turns the package's errors (and OS errors) into one line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ChuannanError, OSError) as err:
            logger.debug("traceback", exc_info=True)
            click.echo(f"错误 Error: {err}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


class _UserFormatter(logging.Formatter):
    """Warnings read as the commands' own (``警告 warning: …``); debug output keeps its origin."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno >= logging.WARNING:
            return f"警告 warning: {record.getMessage()}"
        return f"{record.levelname} {record.name}: {record.getMessage()}"


def _configure_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * (verbose - quiet)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_UserFormatter())
    logging.basicConfig(handlers=[handler], level=max(logging.DEBUG, min(level, logging.CRITICAL)))


@click.group(cls=_CleanErrors)
@click.option("-v", "--verbose", count=True, help="更多日志 More log output (repeatable).")
@click.option("-q", "--quiet", count=True, help="更少输出 Less output (repeatable).")
@click.version_option(__version__, prog_name="chuannan-gis")
@click.pass_context
def main(ctx, verbose, quiet):
    """川南经济区空间约束筛查 Spatial constraint screening for the South Sichuan Economic Zone.

    筛查结果，不作为审批依据 — screening only, not a permit.
    """
    _configure_logging(verbose, quiet)
    _exit_cleanly_on_sigterm()
    ctx.obj = {"quiet": quiet > 0}


def _exit_cleanly_on_sigterm() -> None:
    """``kill`` (or a batch system's time limit) ends a command as Ctrl-C does: through the cleanup
    code, so no half-written temporary output is left beside the target (Python's default for
    SIGTERM ends the process at once)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _register() -> None:
    from .check import check
    from .export import export_command
    from .layers import layers
    from .report import report_command
    from .rules import rules
    from .screen import screen_command
    from .serve import serve
    from .webmap import map_command

    for command in (check, report_command, map_command, screen_command, rules, layers, serve, export_command):
        main.add_command(command)


_register()
