"""The audit log: one JSON line per job (time, job, client, input hash, verdict counts, status).

Each line is written with one ``write`` on a file opened for appending, which POSIX keeps whole
when several worker processes append at once.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

logger = logging.getLogger(__name__)


def record(path, job_id, prepared, *, status: str, counts=None, error=None, seconds=None) -> None:
    entry = {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "job": job_id,
        "client": prepared.client,
        "input_sha256": prepared.input_sha256,
        "proposals": len(prepared.frame),
        "layers": prepared.layers,
        "rules": prepared.rules,
        "status": status,
        "verdict_counts": counts,
    }
    if seconds is not None:
        entry["seconds"] = seconds
    if error:
        entry["error"] = error
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
