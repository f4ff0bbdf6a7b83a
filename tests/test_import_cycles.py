"""The package's modules import each other without a cycle, and none calls back up through the
package face (``chuannan_gis/__init__.py``).

The graph is built from the source with :mod:`ast`: module-level imports only (an import inside a
function runs later and cannot deadlock loading, so it is allowed as the way to break a needed
cycle; ``if TYPE_CHECKING:`` blocks are skipped).  ``from . import x`` counts as importing the
package, plus the submodule ``x`` when ``x`` is one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "chuannan_gis"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module):
    """Every import statement of a module, in functions too, except under ``if TYPE_CHECKING:``."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo += node.orelse
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        todo += ast.iter_child_nodes(node)


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _origin(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name of the module a ``from … import`` in ``module`` imports from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> dict[str, set[str]]:
    """module → the package modules it imports.

    Importing ``a.b.c`` runs ``a`` and ``a.b`` first, so those are edges too — except a module's
    own ancestors, which are already loading when it runs; an explicit ``from .. import name`` of
    a name that is not a submodule still is one (it needs the package's namespace filled).
    """
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        own = _ancestors(name)
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                loaded = [alias.name for alias in node.names]
            else:
                origin = _origin(node, name, is_package)
                submodules = [f"{origin}.{a.name}" for a in node.names if f"{origin}.{a.name}" in modules]
                loaded = submodules
                if len(submodules) < len(node.names) or origin not in own:
                    loaded = [*submodules, origin]  # names taken from origin's namespace
                    if origin in own:
                        targets.add(origin)
            for target in loaded:
                targets |= ({target} | _ancestors(target)) - own
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_a_known_edge():
    # the checker must read the package, or "no cycles" would pass vacuously
    graph = import_graph()
    assert len(graph) > 50
    assert "chuannan_gis.errors" in graph["chuannan_gis.io"]
    assert "chuannan_gis.layers.model" in graph["chuannan_gis.layers.load"]
    # a function-level import counts: it hides a cycle from the loader, it does not remove it
    assert "chuannan_gis.layers" in graph["chuannan_gis.result"]


def test_a_cycle_is_found():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = find_cycles(import_graph())
    assert cycles == [], "import cycles among chuannan_gis modules: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_no_function_calls_back_up_through_a_package_face():
    # `from .. import check` below chuannan_gis, or `from .. import load_constraints` in
    # layers/imports, asks a package that contains the module for a name: a call back up through
    # its face (and `import chuannan_gis` then chuannan_gis.check likewise).  Importing a submodule
    # (`from . import layers`) is not.  The CLI and `__main__` modules sit above their package.
    modules = _modules()
    callers = []
    for name, path in modules.items():
        if name.startswith(f"{PACKAGE}.cli") or name.endswith(".__main__"):
            continue
        own = _ancestors(name)
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                origin = _origin(node, name, is_package)
                names = [a.name for a in node.names if f"{origin}.{a.name}" not in modules]
                if origin in own and names:
                    callers.append(f"{name}:{node.lineno} ({origin}: {', '.join(names)})")
            elif isinstance(node, ast.Import) and any(a.name in own for a in node.names):
                callers.append(f"{name}:{node.lineno} (import {', '.join(a.name for a in node.names)})")
    assert callers == []
