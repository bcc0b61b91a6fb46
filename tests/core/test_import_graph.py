"""No module of the project imports another that imports it back, not even lazily.

Every module under src/jingzhi is parsed (migrations, management commands and imports inside
functions included) and each ``jingzhi.*`` import, absolute or relative, becomes an edge to the
module it names (``from .x import y`` names the module ``x.y`` when that is a module, else
``x``). A cycle is a loop in that graph; the test names it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import jingzhi

ROOT = Path(jingzhi.__file__).parent


def _module_name(path: Path) -> str:
    parts = ["jingzhi", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    targets.add(submodule if submodule in paths else base)
        graph[name] = {target for target in targets if target in paths and target != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_relative_and_lazy_imports():
    graph = import_graph()
    assert "jingzhi.cases.models" in graph["jingzhi.cases.rules"]  # from .models import …
    assert "jingzhi.cases.selectors" in graph["jingzhi.cases.views"]  # from . import selectors
    assert {"jingzhi.cases", "jingzhi.geo", "jingzhi.org", "jingzhi.plans", "jingzhi.core"} <= set(graph)
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_one_that_imports_it_back():
    assert import_cycles(import_graph()) == []
