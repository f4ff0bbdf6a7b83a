"""What a service was started with (``chuannan-gis serve``'s options), and the sets it serves.

The settings travel to pygeoapi inside its configuration (the ``check`` process's definition), so
every worker process of a WSGI server rebuilds the same service from them.  The constraint sets
and rule catalogs are named (``--layers NAME=PATH``): a request names a set, never a path, and each
set is loaded once per process and then only read, by every request thread.
"""

from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError

DEFAULT_SET = "default"
TOKEN_ENV = "CHUANNAN_SERVICE_TOKEN"
# The address clients reach the service at, when it differs from --host/--port (a reverse proxy).
PUBLIC_URL_ENV = "CHUANNAN_SERVICE_URL"


@dataclass(frozen=True)
class ServiceSettings:
    """The options of ``chuannan-gis serve``; paths absolute, sets as name → path (``""``: bundled)."""

    host: str = "127.0.0.1"
    port: int = 5000
    layers: dict = field(default_factory=lambda: {DEFAULT_SET: ""})
    rules: dict = field(default_factory=lambda: {DEFAULT_SET: ""})
    scheduler: str = ""
    jobs_dir: str = ""
    max_features: int = 100_000
    max_body_mb: float = 200
    job_ttl_hours: float = 72
    audit_log: str = ""

    @classmethod
    def create(cls, *, layers=None, rules=None, jobs_dir=None, audit_log=None, **options) -> ServiceSettings:
        """Settings with the defaults filled in: the bundled set and catalog as ``default`` unless
        named otherwise, paths made absolute (a worker may start in another folder), the jobs
        folder ``./chuannan-jobs`` and the audit log inside it."""
        jobs = Path(jobs_dir or "chuannan-jobs").resolve()
        return cls(
            layers=_named_sets(layers, "--layers"),
            rules=_named_sets(rules, "--rules"),
            jobs_dir=str(jobs),
            audit_log=str(Path(audit_log).resolve()) if audit_log else str(jobs / "audit.log"),
            **{key: value for key, value in options.items() if value is not None},
        )

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def public_url(self) -> str:
        return os.environ.get(PUBLIC_URL_ENV, "").rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)


def _named_sets(pairs, option: str) -> dict:
    """``{name: absolute path}`` with ``default`` the bundled one unless a pair names it."""
    sets = {DEFAULT_SET: ""}
    for name, path in (pairs or {}).items():
        if not Path(path).exists():
            raise InputError(f"{option} {name}: 文件不存在 no such file or folder", file=path)
        sets[name] = str(Path(path).resolve())
    return sets


def set_name(name):
    """The set a request names; ``default`` when it names none."""
    return DEFAULT_SET if name in (None, "") else name


def set_path(sets: dict, name, what: str) -> str:
    """The path of the set ``name`` (None: ``default``); an unknown name is the client's error."""
    name = set_name(name)
    if not isinstance(name, str) or name not in sets:
        raise InputError(
            f"未配置的{'图层集' if what == 'layers' else '规则目录'} unknown {what} set {name!r}; "
            f"this server offers: {', '.join(sets)}",
            field=what,
        )
    return sets[name]


@functools.cache
def constraint_set(path: str):
    """The constraint set at ``path`` (``""``: the bundled one), loaded once per process."""
    from ..layers import load_constraints

    return load_constraints(path or None)


@functools.cache
def rule_catalog(path: str):
    """The rule catalog at ``path`` (``""``: the bundled one), loaded once per process."""
    from ..rules import load_rules

    return load_rules(path or None)


def load_all(settings: ServiceSettings) -> None:
    """Load every configured set now, in the starting process: a bad file stops the server at
    start, not at its first request, and no two request threads load one set at once."""
    for path in settings.layers.values():
        constraint_set(path)
    for path in settings.rules.values():
        rule_catalog(path)


def token() -> str:
    """The bearer token execution and job routes require (env ``CHUANNAN_SERVICE_TOKEN``); "" for none."""
    return os.environ.get(TOKEN_ENV, "")
