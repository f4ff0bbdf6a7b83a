#!/usr/bin/env bash
# Install everything the tests need (Debian packages; Python packages into the virtual
# environment .venv/, or $CHUANNAN_VENV) and run every test: lint, the library with its doctests,
# the layer rebuild, the web map in headless Chromium, the benchmarks at a small size, the plugin
# in real QGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh
source scripts/venv.sh
python -m pip install -q -e ".[build,test]"
ruff check chuannan_gis tests benchmarks
ruff format --check chuannan_gis tests benchmarks
python -m pytest -q -p no:cacheprovider
python -m pytest -q -p no:cacheprovider benchmarks/   # CI size: the benchmarks still run, engines agree
bash qgis_plugin/ci.sh
