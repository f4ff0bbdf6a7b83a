"""What the benchmarks share: cached synthetic files, a peak-memory sampler, a command runner that takes
its wall-clock and CPU seconds, the row counts of what it wrote, the figures table."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pyogrio
from synthetic import SEED, make_parcels, make_proposals, write

SAMPLE_SECONDS = 0.02
MB = 1 << 20
# How a benchmark ran: the engine called in a warmed-up process on a file (the check alone), or a whole
# command from its start to the file it writes (start-up, reading and writing included).
IN_PROCESS = "in process"
FILE_TO_FILE = "file to file"
# The tables of a written Result whose rows the figures table counts (a baseline writes only proposals).
OUTPUT_TABLES = ("proposals", "findings", "overlaps")


def cached(data_dir: Path, what: str, count: int) -> Path:
    """The generated file of ``count`` proposals or parcels, made once per seed."""
    path = data_dir / f"{what}-{count}-{SEED}.gpkg"
    if not path.exists():
        maker = {"proposals": make_proposals, "parcels": make_parcels}[what]
        partial = path.with_suffix(".partial.gpkg")
        write(maker(count), partial)
        partial.rename(path)
    return path


@dataclass
class Peak:
    """Peak resident memory of a process and its children while a block runs, above where it started."""

    bytes: int = 0


class peak_memory:
    """``with peak_memory(pid) as peak:`` samples the RSS of ``pid`` (default: this process) and its
    children every 20 ms; ``peak.bytes`` is the highest total minus the total at the start."""

    def __init__(self, pid: int | None = None):
        self.process = psutil.Process(pid)
        self.peak = Peak()
        self._stop = threading.Event()

    def _total(self) -> int:
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child that just ended
                total += process.memory_info().rss
        return total

    def _sample(self, start: int) -> None:
        while not self._stop.is_set():
            try:
                self.peak.bytes = max(self.peak.bytes, self._total() - start)
            except psutil.Error:  # the process itself ended
                return
            time.sleep(SAMPLE_SECONDS)

    def __enter__(self) -> Peak:
        self._thread = threading.Thread(target=self._sample, args=(self._total(),), daemon=True)
        self._thread.start()
        return self.peak

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def load_average() -> float:
    """The 1-minute load average now: other engineers share the machine, so every figure carries it."""
    return os.getloadavg()[0]


@dataclass
class Ran:
    """What one command took: wall-clock ``seconds`` from its start to its end, ``cpu_seconds`` (user +
    system of it and of every child it waited for, its worker processes included: the steadier figure on a
    shared machine, summed over the cores) and the ``peak`` resident bytes of it and its children."""

    seconds: float
    cpu_seconds: float
    peak: int


def run_command(command: list[str]) -> Ran:
    """Run ``command`` to its end and say what it took (:class:`Ran`).  Fails if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command)
    with peak_memory(process.pid) as peak:
        # wait4, not wait: the kernel's resource usage of the child, its reaped children's included
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return Ran(seconds, usage.ru_utime + usage.ru_stime, peak.bytes)


def rows_written(path: Path) -> dict[str, int]:
    """How many rows each of :data:`OUTPUT_TABLES` has in the GeoPackage at ``path`` (absent tables left out)."""
    layers = {name for name, _ in pyogrio.list_layers(path)}
    return {table: pyogrio.read_info(path, layer=table)["features"] for table in OUTPUT_TABLES if table in layers}


def record(
    figures: dict,
    name: str,
    seconds: float,
    items: int = 0,
    peak: int | None = None,
    *,
    data: str = "",
    what: str = "proposals",
    mode: str = IN_PROCESS,
    role: str = "run",
    load_start: float | None = None,
    cpu_seconds: float | None = None,
    rows: dict[str, int] | None = None,
) -> None:
    """Keep one benchmark's figures.

    ``data`` names its input and ``mode`` how it ran (:data:`IN_PROCESS` or :data:`FILE_TO_FILE`): a
    run's ratios are to the ``role="floor"`` figure on the same data, and to the ``role="naive"``
    figure on the same data in the same mode.  ``load_start`` is the 1-minute load average when it
    started (:func:`load_average`); the one at its end is taken now.  ``cpu_seconds`` is the CPU time
    of what ``seconds`` timed (user + system; file to file: of the command and its children, from
    :func:`run_command`), ``rows`` the rows it wrote per table (:func:`rows_written`).
    """
    figures[name] = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "items": items,
        "what": what,
        "peak_mb": None if peak is None else peak / MB,
        "data": str(data),
        "mode": mode,
        "role": role,
        "load": (load_start, load_average()),
        "rows": rows or {},
    }


def record_command(
    figures: dict,
    name: str,
    ran: Ran,
    items: int,
    *,
    data: Path,
    what: str,
    load_start: float,
    role: str = "run",
    rows: dict[str, int] | None = None,
) -> None:
    """Keep the figures of one command run file to file by :func:`run_command` (see :func:`record`)."""
    record(
        figures,
        name,
        ran.seconds,
        items,
        ran.peak,
        data=data,
        what=what,
        mode=FILE_TO_FILE,
        role=role,
        load_start=load_start,
        cpu_seconds=ran.cpu_seconds,
        rows=rows,
    )


def ratios(figures: dict, name: str) -> tuple[float | None, float | None]:
    """(× floor, × naive) of one figure: its seconds over its I/O floor's (file to file only; lower is
    better), and the naive run's seconds over its own (a speed-up; higher is better)."""
    figure = figures[name]

    def other(role, same_mode):
        for candidate in figures.values():
            if (
                candidate["role"] == role
                and candidate["data"]
                and candidate["data"] == figure["data"]
                and (not same_mode or candidate["mode"] == figure["mode"])
            ):
                return candidate
        return None

    floor = other("floor", same_mode=False) if figure["mode"] == FILE_TO_FILE and figure["role"] != "floor" else None
    naive = other("naive", same_mode=True) if figure["role"] == "run" else None
    return (
        None if floor is None else figure["seconds"] / floor["seconds"],
        None if naive is None else naive["seconds"] / figure["seconds"],
    )


def summary_lines(figures: dict) -> list[str]:
    """The figures as a Markdown table: each run's wall-clock and CPU seconds, its time over its I/O floor
    and speed-up over the naive run on the same data, measured in this same session (benchmarks/README.md,
    "Ratios"), and the rows it wrote per table."""
    if not figures:
        return []
    header = [
        "benchmark",
        "items",
        "seconds",
        "CPU s",
        "items/s",
        "× I/O floor",
        "× naive (speed-up)",
        "peak MB",
        "rows written (" + " / ".join(OUTPUT_TABLES) + ")",
        "load (1 min)",
    ]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, figure in figures.items():
        items = f"{figure['items']:,} {figure['what']}" if figure["items"] else ""
        cpu = "" if figure["cpu_seconds"] is None else f"{figure['cpu_seconds']:.2f}"
        rate = f"{figure['items'] / figure['seconds']:,.0f}" if figure["items"] else ""
        floor, naive = (f"{r:.2f}" if r is not None else "" for r in ratios(figures, name))
        peak = "" if figure["peak_mb"] is None else f"{figure['peak_mb']:,.0f}"
        rows = figure["rows"]
        written = " / ".join(f"{rows[table]:,}" if table in rows else "–" for table in OUTPUT_TABLES) if rows else ""
        start, end = figure["load"]
        load = f"{end:.2f}" if start is None else f"{start:.2f} → {end:.2f}"
        cells = [name, items, f"{figure['seconds']:.2f}", cpu, rate, floor, naive, peak, written, load]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
