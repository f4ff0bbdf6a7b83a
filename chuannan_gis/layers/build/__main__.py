"""``python -m chuannan_gis.layers.build [-o PATH] [--work-dir DIR] [--inputs DIR]``

Builds the constraint GeoPackage (default: the bundled chuannan_gis/data/constraints.gpkg) and
prints what was measured on the way (river accuracy, reference distances, checksums).
"""

from __future__ import annotations

import argparse
import logging
import time

from . import DEFAULT_OUTPUT, build


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chuannan_gis.layers.build", description="Build the chuannan-gis constraint GeoPackage."
    )
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help="GeoPackage to write")
    parser.add_argument("--work-dir", help="keep the unpacked source files here")
    parser.add_argument("--inputs", help="the layers/ directory of build inputs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("chuannan_gis.layers.build").setLevel(logging.INFO)
    started = time.monotonic()
    path = build(args.output, args.work_dir, inputs_dir=args.inputs)
    print(f"wrote {path} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
