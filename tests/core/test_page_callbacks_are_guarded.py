"""Issue #25: no action on any page may end in a traceback. Widget callbacks (on_click/on_change) run before the
page's script, outside the boundary app.py puts around every page, so each one must be behind `ui.action`:
either the value is `action(...)` / `ui.action(...)`, or it names a function decorated with `@action` (or a
name assigned from `action(...)`) in the same file. Lambdas and bare callables such as `st.logout` are wrapped
too: `on_click=action(lambda: ...)`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.env import ROOT

CALLBACK_KEYWORDS = {"on_click", "on_change"}
FILES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "pages_support").glob("*.py")])


def wrapper_names(tree: ast.Module) -> set[str]:
    """What `ui.action` is called in this file (`from pages_support.ui import action as boundary` too)."""
    names = {"action"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "pages_support.ui":
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "action")
    return names


def is_action(node: ast.expr, wrappers: set[str]) -> bool:
    """`action` (or its alias) or `ui.action`: the wrapper itself, as a decorator or the function of a call."""
    return (isinstance(node, ast.Name) and node.id in wrappers) or (
        isinstance(node, ast.Attribute) and node.attr == "action"
    )


def guarded_names(tree: ast.Module, wrappers: set[str]) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            is_action(deco, wrappers) for deco in node.decorator_list
        ):
            names.add(node.name)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and is_action(node.value.func, wrappers):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def unguarded_callbacks(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    wrappers = wrapper_names(tree)
    guarded = guarded_names(tree, wrappers)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg not in CALLBACK_KEYWORDS:
                continue
            value = keyword.value
            if isinstance(value, ast.Constant) and value.value in (None, "rerun", "ignore"):
                continue  # Streamlit's own: no callback of ours runs
            if isinstance(value, ast.Call) and is_action(value.func, wrappers):
                continue
            if isinstance(value, ast.Name) and value.id in guarded:
                continue
            found.append(f"{path.relative_to(ROOT)}:{keyword.value.lineno} {keyword.arg}={ast.unparse(value)}")
    return found


def test_the_rule_sees_files() -> None:
    assert any(path.name == "review_open.py" for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_widget_callback_is_behind_the_action_boundary(path: Path) -> None:
    found = unguarded_callbacks(path)
    assert not found, "callbacks outside the action boundary (wrap them with ui.action):\n" + "\n".join(found)
