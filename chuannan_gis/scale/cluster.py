"""Where the partitions run: dask's local schedulers, or a dask.distributed cluster.

``scheduler`` is None or ``"threads"`` (local threads: shapely releases the GIL in its array
functions), ``"processes"``, ``"synchronous"`` (one thread, for debugging), a
``distributed.Client``, or a cluster's address (``tcp://host:8786``).  On a cluster the constraint
set and the rule catalog are sent to every worker once (scattered), not with every partition, and
each worker keeps its spatial indexes between partitions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import dask

from ..errors import InputError

LOCAL_SCHEDULERS = ("threads", "processes", "synchronous")


@dataclass
class Runner:
    """How to run a list of delayed tasks, and what to pass them for the constraint set and catalog."""

    compute: Callable[[list], list]
    constraints: object
    catalog: object


@contextlib.contextmanager
def runner(scheduler, constraints, catalog):
    """A :class:`Runner` for ``scheduler`` (see the module doc); a client it opened is closed on exit."""
    if scheduler is None or scheduler in LOCAL_SCHEDULERS:
        name = scheduler or "threads"
        yield Runner(lambda tasks: list(dask.compute(*tasks, scheduler=name)), constraints, catalog)
        return
    client, owned = _client(scheduler)
    try:
        shared_constraints, shared_catalog = client.scatter([constraints, catalog], broadcast=True)
        yield Runner(lambda tasks: client.gather(client.compute(tasks)), shared_constraints, shared_catalog)
    finally:
        if owned:
            client.close()


def _client(scheduler):
    """The distributed client for ``scheduler``, and whether this module opened it (and must close it)."""
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str) and "://" in scheduler:
        return Client(scheduler), True
    raise InputError(
        f"未知的调度器 unknown scheduler {scheduler!r}; use {', '.join(LOCAL_SCHEDULERS)}, "
        "a dask.distributed Client or a cluster address such as tcp://host:8786",
        field="scheduler",
    )
