#!/usr/bin/env bash
# Install everything the tests need (Debian packages, Python packages) and run every test:
# the library, the layer rebuild, the web map in headless Chromium, the benchmarks at a small
# size, the plugin in real QGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh
python3 -m pip install -q -e ".[build,test]"
python3 -m pytest -q -p no:cacheprovider
python3 -m pytest -q -p no:cacheprovider benchmarks/   # CI size: the benchmarks still run, engines agree
bash qgis_plugin/ci.sh
