"""Build the QGIS plugin zip: ``python qgis_plugin/build.py`` → ``dist/chuannan_qgis.zip``.

Steps: compile the Qt translations (``i18n/*.ts`` → ``.qm``, with ``lrelease``), then zip the
plugin folder together with the chuannan_gis package (under ``chuannan_qgis/vendor/``), so the zip
installs through Plugin Manager → "Install from ZIP" with everything but the third-party
libraries (see docs/qgis.md).  ``--update-ts`` refreshes the ``.ts`` sources from the code with
``pylupdate5`` (then translate the new entries, e.g. in Qt Linguist).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PLUGIN = HERE / "chuannan_qgis"
LIBRARY = REPO / "chuannan_gis"
I18N = PLUGIN / "i18n"
DEFAULT_OUTPUT = REPO / "dist" / "chuannan_qgis.zip"
SKIP = {"__pycache__", ".pytest_cache"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts"}


HELP_PAGE = PLUGIN.parent.parent / "docs" / "qgis.md"


def tool(*names: str) -> str:
    """The first of ``names`` found on PATH; a clear error otherwise."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit(f"{names[0]} not found: on Debian/Ubuntu `apt-get install qttools5-dev-tools "
                     f"pyqt5-dev-tools`; on Windows use the OSGeo4W Shell")


def compile_translations() -> list[Path]:
    """``i18n/*.ts`` → ``i18n/*.qm`` beside them; returns the .qm files."""
    lrelease = tool("lrelease", "lrelease-qt5")
    compiled = []
    for ts in sorted(I18N.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)
        compiled.append(qm)
    return compiled


def update_sources() -> None:
    """Refresh every ``i18n/*.ts`` from the ``tr()`` calls in the plugin's code."""
    sources = sorted(str(p.relative_to(PLUGIN)) for p in PLUGIN.rglob("*.py") if not SKIP & set(p.parts))
    for ts in sorted(I18N.glob("*.ts")):
        subprocess.run([tool("pylupdate5"), "-noobsolete", *sources, "-ts", str(ts.relative_to(PLUGIN))],
                       check=True, cwd=PLUGIN)


def _files(root: Path):
    for path in sorted(root.rglob("*")):
        if path.is_file() and not SKIP & set(path.relative_to(root).parts) and path.suffix not in SKIP_SUFFIXES:
            yield path


def build_zip(output: Path = DEFAULT_OUTPUT) -> Path:
    """Compile translations and write the installable zip; returns its path."""
    compile_translations()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files(PLUGIN):
            archive.write(path, Path(PLUGIN.name) / path.relative_to(PLUGIN))
        for path in _files(LIBRARY):
            archive.write(path, Path(PLUGIN.name) / "vendor" / LIBRARY.name / path.relative_to(LIBRARY))
        # The algorithms' Help button opens this copy of the docs (there is no public web page yet).
        archive.write(HELP_PAGE, Path(PLUGIN.name) / "help" / HELP_PAGE.name)
        for image in sorted((HELP_PAGE.parent / "img").glob("qgis*.png")):
            archive.write(image, Path(PLUGIN.name) / "help" / "img" / image.name)
    partial.replace(output)
    return output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="zip to write")
    parser.add_argument("--update-ts", action="store_true", help="refresh the .ts sources with pylupdate5 and stop")
    args = parser.parse_args(argv)
    if args.update_ts:
        update_sources()
        return 0
    print(build_zip(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
