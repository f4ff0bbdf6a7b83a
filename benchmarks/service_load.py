"""Load on a running service (``chuannan-gis serve``): requests per second for one proposal, and
the time of one job of many proposals (synthetic, on the real layers, fixed seed).

    chuannan-gis serve --port 5000 --jobs-dir /tmp/bench-jobs &
    python benchmarks/service_load.py http://127.0.0.1:5000 --requests 200 --threads 4 --job-size 1000

Every loop is bounded (the request count, and a deadline for the job); with
CHUANNAN_SERVICE_TOKEN set, the same token is sent.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import make_proposals

TIMEOUT_S = 600


def _headers() -> dict:
    token = os.environ.get("CHUANNAN_SERVICE_TOKEN")
    return {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}


def _body(frame) -> str:
    return json.dumps({"inputs": {"proposals": json.loads(frame.to_json(drop_id=True))}})


def requests_per_second(url: str, proposals, total: int, threads: int) -> float:
    body, headers = _body(proposals.iloc[:1]), _headers()

    def one(_):
        response = requests.post(f"{url}/processes/check/execution", data=body, headers=headers, timeout=TIMEOUT_S)
        response.raise_for_status()

    one(0)  # warm: the first request of a process builds the constraint indexes
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(total)))
    return total / (time.perf_counter() - started)


def job_seconds(url: str, proposals) -> float:
    body, headers = _body(proposals), _headers()
    started = time.perf_counter()
    response = requests.post(
        f"{url}/processes/check/execution", data=body, headers={**headers, "Prefer": "respond-async"}, timeout=TIMEOUT_S
    )
    response.raise_for_status()
    location = response.headers["Location"]
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        status = requests.get(f"{location}?f=json", headers=headers, timeout=TIMEOUT_S).json()["status"]
        if status == "successful":
            return time.perf_counter() - started
        if status == "failed":
            raise RuntimeError(f"job {location} failed")
        time.sleep(0.2)
    raise TimeoutError(f"job {location} did not finish in {TIMEOUT_S} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--job-size", type=int, default=1000)
    args = parser.parse_args()
    proposals = make_proposals(args.job_size)  # the first one alone for the request rate
    rate = requests_per_second(args.url.rstrip("/"), proposals, args.requests, args.threads)
    print(f"one proposal: {rate:.1f} requests/s ({args.requests} requests, {args.threads} threads)")
    seconds = job_seconds(args.url.rstrip("/"), proposals)
    print(f"{args.job_size:,} proposals: {seconds:.1f} s, submit to successful (async)")
