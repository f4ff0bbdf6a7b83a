"""The Python libraries chuannan_gis needs: found without importing them, installed on request.

Stock QGIS ships neither geopandas nor shapely 2.  The plugin never lets that break QGIS: it
checks the installed distributions' metadata (no import), tells the planner what is missing and how to
fix it, and can run ``pip install --target`` into a folder of the QGIS profile, which
:func:`activate` puts on ``sys.path`` at every start.

That folder comes first on ``sys.path``, so anything in it shadows QGIS's own copy: it holds only
what QGIS's Python lacks.  Every distribution QGIS's Python already has (numpy, pyproj, requests,
jinja2, urllib3 … whatever this QGIS ships) is pinned to the version it runs and removed from the
folder after pip, and a shipped one older than required stops the install with a message instead
of being shadowed.  Packages that cannot work inside QGIS's Python are left out by name
(:data:`LEFT_OUT`).
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PLUGIN_DIR = Path(__file__).parent
REQUIREMENTS_FILE = PLUGIN_DIR / "requirements.txt"
VENDOR_DIR = PLUGIN_DIR / "vendor"  # the plugin zip carries chuannan_gis here (build.py)
LIBRARY = "chuannan_gis"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(>=|==)?\s*([0-9][0-9A-Za-z.]*)?")
# Never installed into the profile, whatever pulls them in: why, in words the planner can pass on.
# pyarrow: the wheels pip picks are built for NumPy 2 and fail at import beside Debian's NumPy that
# QGIS runs; without it chuannan_gis writes and reads through GDAL's row-by-row path
# (result.arrow_usable), the same files.
LEFT_OUT = {
    "pyarrow": "its wheels need a newer NumPy than the one QGIS's GDAL is built against (Debian's 1.24); "
               "chuannan_gis reads and writes without it",
}
# Wheels that carry their own GEOS, PROJ and GDAL, with every module that loads an extension of
# theirs (the packages load theirs on import, except rasterio.shutil: the screening surface uses it).
NATIVE_MODULES = ("shapely", "pyproj", "pyogrio", "rasterio", "rasterio.shutil")


def requirements() -> list[str]:
    """The requirement lines of ``requirements.txt`` (``geopandas>=0.14`` ...)."""
    lines = REQUIREMENTS_FILE.read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def missing() -> list[str]:
    """Requirements that this Python cannot satisfy, plus chuannan_gis itself if absent."""
    unmet = [req for req in requirements() if not _satisfied(req)]
    if not _importable(LIBRARY):
        unmet.append(LIBRARY)
    return unmet


def deps_dir() -> Path:
    """The folder in the QGIS profile that the plugin installs libraries into."""
    from qgis.core import QgsApplication

    return Path(QgsApplication.qgisSettingsDirPath()) / "python" / "chuannan_deps"


def activate() -> None:
    """Put the vendored chuannan_gis and the profile's library folder first on ``sys.path``."""
    for folder in (deps_dir(), VENDOR_DIR):
        if folder.is_dir() and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def import_native() -> None:
    """Import the wheels that carry their own GEOS, PROJ and GDAL so that each binds to its own copy.

    On Linux, QGIS's own GEOS, PROJ and GDAL sit in the process's global symbol scope, and an
    extension module loaded the usual way binds to them instead of the (newer) copies its wheel
    ships: wrong answers, or a crash when QGIS exits.  ``RTLD_DEEPBIND`` makes the wheels' modules
    look in their own libraries first.  Windows and macOS resolve symbols per library already.
    """
    deepbind = getattr(os, "RTLD_DEEPBIND", None)
    pending = [name for name in NATIVE_MODULES if name not in sys.modules]
    if deepbind is None or not pending:
        return
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | deepbind)
    try:
        for name in pending:
            importlib.import_module(name)
    finally:
        sys.setdlopenflags(flags)


def python_executable() -> str:
    """The Python interpreter behind this QGIS (``sys.executable`` is QGIS itself on Windows)."""
    prefix = Path(sys.exec_prefix)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (prefix / "python.exe", prefix / "python3.exe",
                      prefix / "bin" / f"python{version}", prefix / "bin" / "python3"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def platform() -> str:
    """``windows``, ``macos`` or ``linux``: the install advice differs on each."""
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def shell_command(system: str | None = None) -> str:
    """The command that installs what is missing by hand, for the interpreter QGIS runs on ``system``.

    Windows: ``python`` in the OSGeo4W Shell is QGIS's own.  Linux (Debian, Ubuntu): QGIS runs the
    system's ``/usr/bin/python3``, which refuses ``pip`` and ``pip --user`` (PEP 668) unless told
    ``--break-system-packages``; ``numpy<2`` keeps the numpy the system's GDAL is built against.
    macOS: the Python inside the QGIS app bundle.
    """
    system = system or platform()
    packages = " ".join(f'"{req}"' for req in missing() if req != LIBRARY)
    if system == "linux":
        return f'/usr/bin/python3 -m pip install --user --break-system-packages "numpy<2" {packages}'
    if system == "macos":
        return f"/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user {packages}"
    return f"python -m pip install {packages}"


def pip_command(target: Path, constraints: Path) -> list[str]:
    """The ``pip install --target`` command the Install button runs: what is missing, less :data:`LEFT_OUT`."""
    wanted = [req for req in missing() if req != LIBRARY and _name(req) not in LEFT_OUT]
    return [python_executable(), "-m", "pip", "install", "--upgrade", "--target", str(target),
            "--constraint", str(constraints), *wanted]


class ShippedTooOld(RuntimeError):
    """A library QGIS ships is older than chuannan_gis needs: installing another would shadow it."""


def shipped(target: Path | None = None) -> dict[str, str]:
    """Canonical name → version of every distribution this Python has outside ``target`` (the
    profile folder): what QGIS ships, or the system or the planner installed."""
    target = (target or deps_dir()).resolve()
    paths = [entry for entry in sys.path if entry and Path(entry).resolve() != target]
    found = {}
    for dist in importlib.metadata.distributions(path=paths):
        name = dist.metadata["Name"]
        if name:
            found.setdefault(_canonical(name), dist.version)
    return found


def too_old(have: dict[str, str] | None = None) -> list[str]:
    """Requirements whose library is there (shipped) but older than needed, in words."""
    have = shipped() if have is None else have
    old = []
    for requirement in requirements():
        name, operator, wanted = _REQUIREMENT.match(requirement).groups()
        installed = have.get(_canonical(name))
        if installed and operator and not _satisfied(requirement, installed):
            old.append(f"{name} {installed} ({requirement})")
    return old


def install(target: Path | None = None) -> subprocess.CompletedProcess | None:
    """Install what is missing into ``target`` (default :func:`deps_dir`); blocks.  None when
    nothing is missing (a second click on Install): pip given no requirement fails with an error.
    Raises :class:`ShippedTooOld` when a library this QGIS ships is too old (nothing installed)."""
    if not [req for req in missing() if req != LIBRARY and _name(req) not in LEFT_OUT]:
        return None
    target = target or deps_dir()
    have = shipped(target)
    old = too_old(have)
    if old:
        raise ShippedTooOld(", ".join(old))
    target.mkdir(parents=True, exist_ok=True)
    constraints = target.parent / "chuannan_constraints.txt"
    # pinned where pip can read the version (a Debian "2.1+dfsg" it cannot: removed after pip all the same)
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(have.items())
                                   if re.fullmatch(r"\d+(\.\d+)*", version)), "utf-8")
    done = subprocess.run(pip_command(target, constraints), capture_output=True, text=True, check=False)
    remove_from_target(target, set(have) | set(LEFT_OUT))
    activate()
    importlib.invalidate_caches()
    return done


def remove_from_target(target: Path, names: set[str]) -> list[str]:
    """Delete from ``target`` the distributions called ``names`` (canonical) that pip copied in as
    dependencies (each file its RECORD lists, and its .dist-info); the names removed."""
    removed = []
    for dist in importlib.metadata.distributions(path=[str(target)]):
        name = _canonical(dist.metadata["Name"] or "")
        if name not in names:
            continue
        for file in dist.files or []:
            path = (target / file).resolve()
            if target.resolve() in path.parents and path.is_file():
                path.unlink()
        info = Path(str(dist._path))  # noqa: SLF001 (importlib.metadata exposes no public path)
        shutil.rmtree(info, ignore_errors=True)
        removed.append(name)
    for folder in sorted(target.iterdir()) if target.is_dir() else []:  # packages left empty
        if folder.is_dir() and not any(p.is_file() for p in folder.rglob("*")):
            shutil.rmtree(folder, ignore_errors=True)
    return removed


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _canonical(_REQUIREMENT.match(requirement).group(1))


def _satisfied(requirement: str, installed: str | None = None) -> bool:
    """Whether an installed distribution (or version ``installed``) meets ``name``, ``name>=x.y`` or ``name==x.y``."""
    name, operator, wanted = _REQUIREMENT.match(requirement).groups()
    installed = installed or _version(name)
    if installed is None or not operator:
        return installed is not None
    if operator == "==":
        return _numbers(installed) == _numbers(wanted)
    return _numbers(installed) >= _numbers(wanted)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:4])
