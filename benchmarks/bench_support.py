"""What the benchmarks share: cached synthetic files, a peak-memory sampler, the figures table."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from synthetic import SEED, make_parcels, make_proposals, write

SAMPLE_SECONDS = 0.02
MB = 1 << 20


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


def record(figures: dict, name: str, seconds: float, items: int = 0, peak: int | None = None, data: str = "") -> None:
    """Keep one benchmark's figures; ``data`` names its input, so ratios compare runs on the same data."""
    figures[name] = {"seconds": seconds, "items": items, "peak_mb": None if peak is None else peak / MB, "data": data}


def summary_lines(figures: dict, baseline: str = "naive baseline") -> list[str]:
    """The figures as a Markdown table, with each run's speed-up over ``baseline`` on the same data."""
    if not figures:
        return []
    naive = figures.get(baseline)
    lines = ["| benchmark | items | seconds | items/s | × naive | peak MB |", "|---|---:|---:|---:|---:|---:|"]
    for name, figure in figures.items():
        rate = f"{figure['items'] / figure['seconds']:,.0f}" if figure["items"] else ""
        same_data = naive is not None and name != baseline and figure["data"] and figure["data"] == naive["data"]
        ratio = f"{naive['seconds'] / figure['seconds']:.1f}" if same_data else ""
        peak = "" if figure["peak_mb"] is None else f"{figure['peak_mb']:,.0f}"
        lines.append(f"| {name} | {figure['items']:,} | {figure['seconds']:.2f} | {rate} | {ratio} | {peak} |")
    return lines
