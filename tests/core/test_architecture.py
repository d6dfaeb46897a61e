"""The structure the README promises, checked: pages and the CLI import only package faces, every package
declares its public face, and the import contracts (layers, no Streamlit in studio/) hold."""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

STUDIO = ROOT / "studio"
PACKAGES = sorted(p.parent.name for p in STUDIO.glob("*/__init__.py"))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def reaches_past_a_face(module: str, own_package: str | None = None) -> bool:
    """`studio.media.assets` reaches past the `studio.media` face; `studio.config` is a core module."""
    parts = module.split(".")
    return len(parts) > 2 and parts[0] == "studio" and parts[1] in PACKAGES and parts[1] != own_package


UI_FILES = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "pages_support").glob("*.py")) + [ROOT / "app.py"]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pages_import_only_package_faces(path):
    offending = [f"{path.name}:{line} {mod}" for line, mod in imported_modules(path) if reaches_past_a_face(mod)]
    assert not offending, f"pages import studio packages through their faces only: {offending}"


def test_pages_folder_holds_only_the_pages_app_py_navigates_to():
    """Streamlit lists every file in pages/ as a page (a fresh server's first load showed "copy panel",
    "ui"...): shared pieces live in pages_support/."""
    listed = set(re.findall(r'st\.Page\("pages/(\w+\.py)"', (ROOT / "app.py").read_text()))
    files = {p.name for p in (ROOT / "pages").iterdir() if p.name != "__pycache__"}
    assert files == listed, (
        f"pages/ should hold only app.py's pages; move the others to pages_support/: {files - listed}"
    )


@pytest.mark.parametrize("path", sorted((STUDIO / "cli").glob("*.py")), ids=lambda p: p.name)
def test_cli_imports_only_package_faces(path):
    offending = [f"{path.name}:{line} {mod}" for line, mod in imported_modules(path) if reaches_past_a_face(mod, "cli")]
    assert not offending, f"the CLI imports studio packages through their faces only: {offending}"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_declares_its_public_face(package):
    face = importlib.import_module(f"studio.{package}")
    assert "May import" in (face.__doc__ or ""), "the face says what its package may import"
    if package != "cli":
        assert face.__all__, f"studio/{package}/__init__.py lists its public names in __all__"
        missing = [name for name in face.__all__ if not hasattr(face, name)]
        assert not missing, f"__all__ names what the face does not have: {missing}"


def test_the_reach_past_a_face_check_catches_an_offender():
    assert reaches_past_a_face("studio.media.assets")
    assert not reaches_past_a_face("studio.media") and not reaches_past_a_face("studio.config")
    assert not reaches_past_a_face("studio.cli.common", "cli")


def test_import_contracts_hold_and_a_violation_breaks_them(tmp_path):
    """lint-imports passes on the tree, and fails on a copy where the Pinterest client imports publishing."""
    lint = Path(sys.executable).with_name("lint-imports")  # a dev dependency: make test installs it
    ok = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout[-2000:]
    copy = tmp_path / "tree"
    shutil.copytree(STUDIO, copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    client = copy / "studio" / "pinterest" / "client.py"
    client.write_text(client.read_text() + "\nfrom studio.publishing import jobs  # deliberate violation\n")
    env = {"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"}
    broken = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=120, env=env)
    assert broken.returncode != 0 and "studio.pinterest is not allowed to import studio.publishing" in broken.stdout
