"""Loading a constraint set: the bundled GeoPackage, overlaid with a planner's layers.

The bundled set (``chuannan_gis/data/constraints.gpkg``) is built from public sources by
:mod:`chuannan_gis.layers.build`.  A planner's set — a GeoPackage, a File Geodatabase folder, or a
folder of vector files named after the layers — replaces the bundled layers of the same name
**only inside each layer's coverage** (:mod:`chuannan_gis.layers.coverage`,
:mod:`chuannan_gis.layers.overlay`) and adds optional ones; outside it, and for every other layer,
the bundled features stay (SCHEMA.md "Constraint set").  Each layer is validated once, as read
(:mod:`chuannan_gis.layers.validation`).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import pandas as pd
import pyogrio

from ..errors import LayerError
from ..files import hash_files
from .coverage import REGION, Coverage, read_coverage_polygon, resolve_coverage
from .hints import no_schema_layer_message
from .model import ConstraintSet, default_metadata, prepare_layer
from .overlay import fill_gaps, overlay_layer
from .read import VECTOR_SUFFIXES, is_container, list_layer_names, read_vector_layer
from .schema import COMMON_FIELDS, COVERAGE_FIELD, LAYERS, METADATA_FIELDS, METADATA_TABLE
from .validation import validate_layer, validate_set

logger = logging.getLogger("chuannan_gis.layers")


def bundled_path() -> Path:
    """Path of the constraint set that ships inside the package."""
    return Path(str(resources.files("chuannan_gis").joinpath("data", "constraints.gpkg")))


def load_constraints(path=None, *, bundled: ConstraintSet | None = None) -> ConstraintSet:
    """Load the bundled constraint set, overlaid with a planner's layers from ``path`` if given.

    ``path`` is a GeoPackage, a File Geodatabase folder (``.gdb``) or a folder of vector files
    named after the layers (``farmland.shp``, ``eco_redlines.gpkg`` ...).  Each layer read is
    validated; the first problem raises a :class:`~chuannan_gis.errors.LayerError` naming file,
    layer, feature and field.  ``bundled``: the bundled set already loaded (by
    ``load_constraints()``), used instead of reading it again (``layers import`` loads it once
    and hands it down).

    A supplied layer replaces the bundled one only inside its coverage (``layer_metadata.coverage``;
    not stated: the counties its features reach, with a warning): outside, the bundled features
    stay, clipped to outside the coverage, ``data_status`` indicative and fid negated (−fid: the
    bundled feature fid) so ids stay unique (:func:`overlay_layer`).  A bundled ``data_gaps``
    feature about a supplied layer is clipped to outside that layer's coverage, for a layer with
    river classes only if it maps the gap's class (:func:`complete_classes`).  The resolved
    coverages are in ``ConstraintSet.coverage`` and ``layer_metadata.coverage``.
    """
    if bundled is not None and bundled.overlay is not None:
        raise ValueError(f"bundled must be the bundled set, not one overlaid with {bundled.overlay}")
    if path is None:
        return bundled if bundled is not None else _load_bundled()
    # the bundled set's own fingerprint is not needed: the overlaid set hashes all its files once
    base = bundled if bundled is not None else _load_bundled(fingerprint=False)
    # absolute: the fingerprint hashes the files in path order, and a Result reopens them from any folder
    path = Path(path).resolve()
    user_layers, user_meta, user_paths = _read_source(path)
    if not user_layers:
        raise LayerError(no_schema_layer_message(path), file=path)
    problems = validate_set(user_layers, user_paths, reference=base.layers)
    if problems:
        raise problems[0]
    return overlay_set(base, path, user_layers, user_meta, user_paths)


def _load_bundled(fingerprint: bool = True) -> ConstraintSet:
    """The bundled set, each layer validated as read; it covers the whole region.  ``fingerprint``
    False: not hashed (an intermediate set, overlaid at once)."""
    path = bundled_path()
    if not path.exists():
        raise LayerError("the bundled constraint set is missing; run `chuannan-gis layers build`", file=path)
    layers, metadata, paths = _read_source(path)
    _raise_first(layers, paths, layers)
    coverage = {name: Coverage(REGION) for name in layers}
    digest = hash_files(_source_files(paths.values())) if fingerprint else ""
    return ConstraintSet(layers, metadata, paths, digest, None, coverage)


def overlay_set(
    base: ConstraintSet, path: Path, user_layers: dict, user_meta: pd.DataFrame, user_paths: dict
) -> ConstraintSet:
    """The set ``base`` (the bundled one) with the planner's layers from ``path`` (read and validated
    by the caller) overlaid: see :func:`load_constraints`.  The layers the overlay makes anew (a
    bundled layer with a supplied one over it, the clipped ``data_gaps``) are validated here."""
    layers, paths, coverage = dict(base.layers), dict(base.paths), dict(base.coverage)
    user_coverage, warnings = _resolve_coverages(path, user_layers, user_meta, user_paths, layers["counties"])
    user_meta = user_meta.copy()
    user_meta["coverage"] = user_meta["layer"].map(lambda n: user_coverage[n].code if n in user_coverage else None)
    gaps = layers.get("data_gaps")
    made = set()
    for name, gdf in user_layers.items():
        if name == "data_gaps":
            continue  # the planner's gaps describe their layers: added to the bundled ones below
        if name in layers:
            layers[name] = overlay_layer(layers[name], gdf, user_coverage[name], name)
            made.add(name)
        else:
            layers[name] = gdf
    if gaps is not None:
        layers["data_gaps"] = fill_gaps(gaps, user_layers, user_meta, user_coverage, user_layers.get("data_gaps"))
        made.add("data_gaps")
    elif "data_gaps" in user_layers:
        layers["data_gaps"] = user_layers["data_gaps"]
    partial = frozenset(  # a bundled sample (LayerSpec.complete False) does not speak beyond it
        name
        for name in user_layers
        if (name not in base.layers or not LAYERS[name].complete) and not user_coverage[name].everywhere
    )
    coverage.update(user_coverage)
    paths.update(user_paths)
    metadata = pd.concat([base.metadata[~base.metadata["layer"].isin(user_layers)], user_meta], ignore_index=True)
    for warning in warnings:
        logger.warning("%s", warning)
    _raise_first({name: layers[name] for name in made}, paths, layers)
    return ConstraintSet(
        layers,
        metadata,
        paths,
        hash_files(_source_files(paths.values())),
        str(path),
        coverage,
        warnings,
        partial,
    )


def _raise_first(layers: dict, paths: dict, order: dict) -> None:
    """Raise the first schema problem of ``layers``, taken in the set's order."""
    for name in order:
        if name in layers:
            problems = validate_layer(layers[name], name, paths[name])
            if problems:
                raise problems[0]


def _source_files(paths) -> list[Path]:
    """The files to fingerprint: each path, a folder source (a .gdb) as its files, sorted."""
    files = []
    for name in sorted(set(map(str, paths))):
        path = Path(name)
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return files


def _resolve_coverages(path: Path, user_layers: dict, user_meta: pd.DataFrame, user_paths: dict, counties):
    coverages, warnings = {}, []
    stated = dict(zip(user_meta["layer"], user_meta["coverage"])) if "coverage" in user_meta else {}
    for name, gdf in user_layers.items():
        file = Path(user_paths[name])
        polygon = read_coverage_polygon(file, name) if is_container(file) else None
        coverages[name], warning = resolve_coverage(stated.get(name), name, gdf, counties, file=file, polygon=polygon)
        if warning and name != "data_gaps":
            warnings.append(warning)
    return coverages, warnings


def _read_source(path: Path, prepare: bool = True, errors: list | None = None):
    """Layers, metadata and per-layer file paths from a GeoPackage, a ``.gdb`` folder or a folder
    of vector files.  With ``errors`` (a list), a layer that cannot be read is reported there and
    left out instead of raising."""
    if path.is_dir() and path.suffix.lower() != ".gdb":
        files = {}
        for file in sorted(path.iterdir()):
            if file.suffix.lower() in VECTOR_SUFFIXES:
                files.setdefault(file.stem, file)
        found = {}
        for name in LAYERS:
            if name in files:
                file = files[name]
                inner = _matching_layer(list_layer_names(file), name) if is_container(file) else None
                found[name] = (file, inner)
    elif path.exists():
        names = list_layer_names(path)
        found = {name: (path, layer) for name in LAYERS if (layer := _matching_layer(names, name)) is not None}
    else:
        raise LayerError("no such file or folder", file=path)
    layers, paths = {}, {}
    for name, (file, layer) in found.items():
        try:
            gdf = read_vector_layer(file, layer, name=name, fields=(*LAYERS[name].fields, *COMMON_FIELDS))
        except LayerError as err:
            if errors is None:
                raise
            errors.append(err)
            continue
        layers[name] = prepare_layer(gdf, file, name) if prepare else gdf
        paths[name] = str(file)
    return layers, _read_metadata(path, layers), paths


def _matching_layer(names, name: str) -> str | None:
    """The layer of ``names`` called ``name`` (exactly, else ignoring case, as a .gdb may spell it)."""
    if name in names:
        return name
    folded = [n for n in names if n.lower() == name]
    return folded[0] if len(folded) == 1 else None


def _read_metadata(path: Path, layers: dict) -> pd.DataFrame:
    if is_container(path) and METADATA_TABLE in list_layer_names(path):
        try:
            meta = pyogrio.read_dataframe(path, layer=METADATA_TABLE, read_geometry=False)
        except Exception as err:  # pyogrio raises several GDAL error types
            raise LayerError(f"cannot be read: {err}", file=path, layer=METADATA_TABLE) from err
        if "layer" not in meta.columns:
            raise LayerError("field is missing", file=path, layer=METADATA_TABLE, field="layer")
        meta = meta[meta["layer"].isin(layers)]
    else:
        meta = pd.DataFrame(columns=[*METADATA_FIELDS, COVERAGE_FIELD])
    return pd.concat(
        [meta, default_metadata({n: g for n, g in layers.items() if n not in set(meta["layer"])}, path)],
        ignore_index=True,
    )


__all__ = ["bundled_path", "load_constraints", "overlay_set"]
