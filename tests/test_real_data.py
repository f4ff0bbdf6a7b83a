"""Real data are not refused (issue 13, item 5): the command line checks unnamed features and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chuannan_gis.result import Result


def test_check_names_unnamed_features_and_prints_the_warning(tmp_path):
    source = tmp_path / "parcels.csv"
    # row 2 has an empty name; all three lie in 泸州 (江阳区)
    source.write_text(
        "name,kind,industry,lon,lat\n甲,园区,白酒,105.44,28.87\n,园区,白酒,105.45,28.88\n丙,园区,白酒,105.46,28.86\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.gpkg"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    # a real process: the CLI's logging set-up, not pytest's capture, prints the warning
    done = subprocess.run(
        [sys.executable, "-c", "from chuannan_gis.cli import main; main()", "check", str(source), "-o", str(output)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 feature(s) with an empty name, named by their feature id: row(s) 2" in done.stderr
    assert Result.read(output).proposals["name"].tolist() == ["甲", "要素 2 / feature 2", "丙"]
