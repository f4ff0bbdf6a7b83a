"""Kinds, industries and statuses of proposals, their Chinese aliases and the industry hierarchy.

The words themselves live in ``vocabulary.yaml`` beside this module, so that adding an alias or
an industry is a data change.  Everything here is pure lookup; callers that read files turn a
:class:`KeyError`-like miss into an :class:`~chuannan_gis.errors.InputError` with the location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml

FIELDS = ("kind", "industry", "status")
# Optional proposal fields with a vocabulary: a blank value is allowed and stays blank.
OPTIONAL_FIELDS = ("key_project", "purpose")
DEFAULT_STATUS = "new"


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str
    parent: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so the alias index can be cached
class Vocabulary:
    """One vocabulary (kinds, industries or statuses): code → :class:`Term`."""

    name: str
    terms: dict[str, Term]

    def normalise(self, value) -> str | None:
        """Return the code for ``value`` (a code, an alias or a Chinese/English label), else None."""
        text = str(value).strip()
        if text in self.terms:
            return text
        folded = text.lower().replace(" ", "_")
        if folded in self.terms:
            return folded
        return self._alias_index().get(text) or self._alias_index().get(text.lower())

    def allowed(self) -> list[str]:
        return sorted(self.terms)

    def ancestors(self, code: str) -> list[str]:
        """``code`` and every broader term above it, narrowest first."""
        chain = []
        while code is not None:
            chain.append(code)
            code = self.terms[code].parent
        return chain

    def descendants(self, code: str) -> set[str]:
        """``code`` and every narrower term below it."""
        return {c for c in self.terms if code in self.ancestors(c)}

    def _alias_index(self) -> dict[str, str]:
        return _alias_index(self)


@cache
def _alias_index(vocab: Vocabulary) -> dict[str, str]:
    index = {}
    for term in vocab.terms.values():
        for label in (term.zh, term.en, *term.aliases):
            index[label] = term.code
            index[label.lower()] = term.code
    return index


def _build(name: str, raw: dict) -> Vocabulary:
    terms = {
        code: Term(code, spec["zh"], spec["en"], spec.get("parent"), tuple(spec.get("aliases", ())))
        for code, spec in raw.items()
    }
    return Vocabulary(name, terms)


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, Vocabulary]:
    """The vocabularies, keyed by proposal field name (``kind``, ``industry``, ``status``, and the
    optional ``key_project`` and ``purpose``)."""
    raw = yaml.safe_load(resources.files("chuannan_gis").joinpath("vocabulary.yaml").read_text("utf-8"))
    return {
        "kind": _build("kind", raw["kinds"]),
        "industry": _build("industry", raw["industries"]),
        "status": _build("status", raw["statuses"]),
        "key_project": _build("key_project", raw["key_projects"]),
        "purpose": _build("purpose", raw["purposes"]),
    }
