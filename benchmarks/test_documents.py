"""The review documents of a streamed check keep its memory bound (issue #19 item 5).

For each parcels file: ``chuannan-gis check INPUT -o result.gpkg --workers 1`` alone, then the same
with ``--report result.html --report result.xlsx``, each a process of its own, its peak resident
memory sampled (bench_support.run_command).  The documents are rendered from the written file a chunk
at a time (chuannan_gis.documents.stored), so the run with the documents peaks no higher than the
check alone, whatever the number of parcels: asserted with a margin for the sampling (10 % and
100 MB).  Then ``chuannan-gis report result.gpkg -o … .html -o … .xlsx`` alone, the documents of the
stored Result without the check, beside ``Result.read`` of it whole, for scale.
"""

from __future__ import annotations

import sys

import pyogrio
from bench_support import MB, cached, load_average, record_command, run_command

CLI = [sys.executable, "-m", "chuannan_gis.cli", "-q"]


def _run(figures, name, command, count, data):
    load = load_average()
    ran = run_command(command)
    record_command(figures, name, ran, count, data=data, what="parcels", load_start=load)
    return ran.seconds, ran.peak


def test_check_with_documents_peaks_no_higher_than_the_check(figures, data_dir, parcel_count, tmp_path):
    parcels = cached(data_dir, "parcels", parcel_count)
    alone, with_documents = tmp_path / "alone.gpkg", tmp_path / "documents.gpkg"
    _, check_peak = _run(
        figures,
        f"parcels, check --workers 1 ({parcel_count:,})",
        [*CLI, "check", str(parcels), "-o", str(alone), "--workers", "1"],
        parcel_count,
        parcels,
    )
    html, xlsx = tmp_path / "report.html", tmp_path / "审查意见.xlsx"
    _, documents_peak = _run(
        figures,
        f"parcels, check --workers 1 --report .html --report .xlsx ({parcel_count:,})",
        [
            *CLI,
            "check",
            str(parcels),
            "-o",
            str(with_documents),
            "--workers",
            "1",
            "--report",
            str(html),
            "--report",
            str(xlsx),
        ],
        parcel_count,
        parcels,
    )
    assert pyogrio.read_info(with_documents, layer="proposals")["features"] == parcel_count
    assert html.stat().st_size > 0 and xlsx.stat().st_size > 0
    assert documents_peak <= check_peak * 1.10 + 100 * MB, (documents_peak / MB, check_peak / MB)

    _run(
        figures,
        f"parcels, report RESULT -o .html -o .xlsx ({parcel_count:,})",
        [*CLI, "report", str(with_documents), "-o", str(tmp_path / "again.html"), "-o", str(tmp_path / "again.xlsx")],
        parcel_count,
        with_documents,
    )
    _run(
        figures,
        f"parcels, Result.read whole, for scale ({parcel_count:,})",
        [sys.executable, "-c", f"from chuannan_gis.result import Result; Result.read({str(with_documents)!r})"],
        parcel_count,
        with_documents,
    )
