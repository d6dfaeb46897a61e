"""The structure the README promises, checked: pages and the CLI import only package faces, every package
declares its public face, only the composition root builds HTTP clients and opens stores, settings build on
nothing of studio, and the import contracts (layers, no Streamlit in studio/, storage knowing no feature)
hold."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

STUDIO = ROOT / "studio"
PACKAGES = sorted(p.parent.name for p in STUDIO.glob("*/__init__.py"))
# The composition root: the only modules that build an HTTP client. Everything else is handed one.
ROOT_MODULES = {
    "studio/services.py",
    "studio/netguard.py",
    "studio/storage.py",
    "studio/cli/common.py",
    "studio/cli/worker.py",
    "pages/_ui.py",
    "studio/api/app.py",
    "studio/api/server.py",
}
# A store is opened by `studio.services.open_store` alone, so every one has every package's tables.
STORE_OPENERS = {"studio/services.py", "studio/storage.py"}


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


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_import_only_package_faces(path):
    offending = [f"{path.name}:{line} {mod}" for line, mod in imported_modules(path) if reaches_past_a_face(mod)]
    assert not offending, f"pages import studio packages through their faces only: {offending}"


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


def io_built_outside_the_root(root: Path) -> list[str]:
    """Where studio/ or pages/ builds an HTTP client or opens a Store outside the modules allowed to."""
    allowed = {"httpx.Client(": ROOT_MODULES, "Store.open(": STORE_OPENERS}
    found = []
    for path in sorted([*(root / "studio").rglob("*.py"), *(root / "pages").glob("*.py")]):
        name = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found += [
                f"{name}:{number} {call}" for call, modules in allowed.items() if call in line and name not in modules
            ]
    return found


def test_only_the_composition_root_builds_clients_and_opens_stores():
    assert io_built_outside_the_root(ROOT) == [], "take the client or the store as an argument (studio/services.py)"


def test_the_root_check_catches_an_offender(tmp_path):
    (tmp_path / "studio" / "publishing").mkdir(parents=True)
    (tmp_path / "pages").mkdir()
    (tmp_path / "studio" / "publishing" / "pinterest.py").write_text("http = httpx.Client(timeout=5)\n")
    (tmp_path / "pages" / "_ui.py").write_text("http = httpx.Client()\nstore = Store.open(path)\n")
    (tmp_path / "studio" / "services.py").write_text("store = Store.open(path, migrations=MIGRATIONS)\n")
    assert io_built_outside_the_root(tmp_path) == [
        "pages/_ui.py:2 Store.open(",
        "studio/publishing/pinterest.py:1 httpx.Client(",
    ]


def test_settings_are_the_ground_floor():
    """config imports nothing of studio: the saved preferences are laid over it by studio.preferences."""
    studio_imports = [module for _, module in imported_modules(STUDIO / "config.py") if module.startswith("studio")]
    assert studio_imports == []


def test_import_contracts_hold_and_a_violation_breaks_them(tmp_path):
    """lint-imports passes on the tree, and fails on a copy where the Pinterest client imports publishing and
    storage imports a feature."""
    lint = Path(sys.executable).with_name("lint-imports")  # a dev dependency: make test installs it
    ok = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout[-2000:]
    copy = tmp_path / "tree"
    shutil.copytree(STUDIO, copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    client = copy / "studio" / "pinterest" / "client.py"
    client.write_text(client.read_text() + "\nfrom studio.publishing import jobs  # deliberate violation\n")
    storage = copy / "studio" / "storage.py"
    storage.write_text(storage.read_text() + "\nfrom studio.publishing import jobs  # deliberate violation\n")
    env = {"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"}
    broken = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=120, env=env)
    assert broken.returncode != 0 and "studio.pinterest is not allowed to import studio.publishing" in broken.stdout
    assert "Storage knows no feature (the composition root hands it their migration sets) BROKEN" in " ".join(
        broken.stdout.split()
    )
