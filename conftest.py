"""Doctests run over the package (``--doctest-modules``, pyproject.toml); modules whose optional
extra is not installed are not collected, so the quick loop (``pip install -e ".[test]"``) works."""

import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("py7zr") is None:  # the `build` extra: rebuilding the bundled layers
    collect_ignore_glob.append("chuannan_gis/layers/build/*")
