#!/usr/bin/env bash
# Install chuannan-gis and run the demo check on the bundled layers: results, report, web map.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e .
mkdir -p demo-output
chuannan-gis check examples/proposals.gpkg -o demo-output/result.gpkg \
  --report demo-output/report.html --map demo-output/map.html
echo "Open demo-output/report.html and demo-output/map.html in a browser."
