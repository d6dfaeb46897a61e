"""The structure the README promises, checked: pages and every studio module reach another package only
through its face, every package declares its public face, and the import contracts (layers, no Streamlit in
studio/) hold."""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.env import ROOT

STUDIO = ROOT / "studio"
PACKAGES = sorted(p.parent.name for p in STUDIO.glob("*/__init__.py"))
# The composition root: the only modules that build an HTTP client. Everything else is handed one.
ROOT_MODULES = {
    "studio/services.py",
    "studio/netguard.py",
    "studio/storage.py",
    "studio/cli/common.py",
    "studio/cli/worker.py",
    "pages_support/ui.py",
    "studio/api/app.py",
    "studio/api/server.py",
}
# A store is opened by `studio.services.open_store` alone, so every one has every package's tables.
STORE_OPENERS = {"studio/services.py", "studio/storage.py"}


def imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every absolute import in a file (lazy ones inside functions too); `from studio.x import y` counts
    as `studio.x.y` when y is one of studio.x's modules, so importing a module by name is seen as such."""
    found = []
    tree = ast.parse(path.read_text() if source is None else source, str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [
                (node.lineno, f"{node.module}.{alias.name}")
                for alias in node.names
                if is_inner(node.module, alias.name)
            ]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def is_inner(package: str, name: str) -> bool:
    """`name` is a module of the studio package `package` that its face does not list in `__all__`."""
    parts = package.split(".")
    if len(parts) != 2 or parts[0] != "studio" or parts[1] not in PACKAGES:
        return False
    folder = STUDIO / parts[1]
    if not ((folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()):
        return False
    return name not in getattr(importlib.import_module(package), "__all__", ())


def reaches_past_a_face(module: str, own_package: str | None = None) -> bool:
    """`studio.media.assets` reaches past the `studio.media` face; `studio.config` is a core module."""
    parts = module.split(".")
    return len(parts) > 2 and parts[0] == "studio" and parts[1] in PACKAGES and parts[1] != own_package


def past_faces(path: Path, own_package: str | None, source: str | None = None) -> list[str]:
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return [
        f"{where}:{line} {mod}" for line, mod in imported_modules(path, source) if reaches_past_a_face(mod, own_package)
    ]


def package_of(path: Path) -> str | None:
    """The studio package a module belongs to (None for the core modules and the composition root)."""
    parts = path.relative_to(STUDIO).parts
    return parts[0] if len(parts) > 1 else None


UI_FILES = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "pages_support").glob("*.py")) + [ROOT / "app.py"]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pages_import_only_package_faces(path):
    offending = past_faces(path, None)
    assert not offending, f"pages import studio packages through their faces only: {offending}"


@pytest.mark.parametrize("path", sorted(STUDIO.rglob("*.py")), ids=lambda p: str(p.relative_to(STUDIO)))
def test_studio_modules_reach_other_packages_only_through_their_faces(path):
    """The CLI, the API, every feature package and the root: another package is its face (`studio.x`)."""
    offending = past_faces(path, package_of(path))
    assert not offending, f"import other studio packages through their faces (add the name to __all__): {offending}"


def test_modules_are_imported_by_meaningful_names():
    """`from studio import constraints`, not `... as C`: a one-letter alias says nothing where it is used."""
    files = [
        *STUDIO.rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "pages_support").glob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        ROOT / "app.py",
    ]
    aliased = [
        f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if alias.asname and len(alias.asname) == 1
    ]
    assert not aliased, aliased


def test_pages_folder_holds_only_the_pages_app_py_navigates_to():
    """Streamlit lists every file in pages/ as a page (a fresh server's first load showed "copy panel",
    "ui"...): shared pieces live in pages_support/."""
    listed = set(re.findall(r'st\.Page\("pages/(\w+\.py)"', (ROOT / "app.py").read_text()))
    files = {p.name for p in (ROOT / "pages").iterdir() if p.name != "__pycache__"}
    assert files == listed, (
        f"pages/ should hold only app.py's pages; move the others to pages_support/: {files - listed}"
    )


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
    module = STUDIO / "scheduling" / "example.py"  # a module of a feature package, as if it were in the tree
    offender = "def run():\n    from studio.publishing.service import publish_draft\n"
    assert past_faces(module, "scheduling", offender) == ["studio/scheduling/example.py:2 studio.publishing.service"]
    unlisted = "from studio.pinterest import client\n"  # a module the face does not export
    assert past_faces(module, "scheduling", unlisted) == ["studio/scheduling/example.py:1 studio.pinterest.client"]
    through_faces = (
        "from studio.publishing import jobs, publish_draft\nfrom studio.scheduling.approval import ApprovalPlan\n"
    )
    assert past_faces(module, "scheduling", through_faces) == []


def io_built_outside_the_root(root: Path) -> list[str]:
    """Where studio/ or pages/ builds an HTTP client or opens a Store outside the modules allowed to."""
    allowed = {"httpx.Client(": ROOT_MODULES, "Store.open(": STORE_OPENERS}
    found = []
    for path in sorted(
        [*(root / "studio").rglob("*.py"), *(root / "pages").glob("*.py"), *(root / "pages_support").glob("*.py")]
    ):
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
    (tmp_path / "pages_support").mkdir()
    (tmp_path / "studio" / "publishing" / "pinterest.py").write_text("http = httpx.Client(timeout=5)\n")
    (tmp_path / "pages_support" / "ui.py").write_text("http = httpx.Client()\nstore = Store.open(path)\n")
    (tmp_path / "studio" / "services.py").write_text("store = Store.open(path, migrations=MIGRATIONS)\n")
    assert io_built_outside_the_root(tmp_path) == [
        "pages_support/ui.py:2 Store.open(",
        "studio/publishing/pinterest.py:1 httpx.Client(",
    ]


def test_settings_are_the_ground_floor():
    """config imports nothing of studio: the saved preferences are laid over it by studio.preferences."""
    studio_imports = [module for _, module in imported_modules(STUDIO / "config.py") if module.startswith("studio")]
    assert studio_imports == []


def test_import_contracts_hold_and_a_violation_breaks_them(tmp_path):
    """lint-imports passes on the tree, and fails on a copy where the Pinterest client imports publishing and
    the error tree imports settings."""
    lint = Path(sys.executable).with_name("lint-imports")  # a dev dependency: make test installs it
    ok = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout[-2000:]
    copy = tmp_path / "tree"
    shutil.copytree(STUDIO, copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    client = copy / "studio" / "pinterest" / "client.py"
    client.write_text(client.read_text() + "\nfrom studio.publishing import jobs  # deliberate violation\n")
    errors = copy / "studio" / "errors.py"  # the core's bottom layer: errors and config import nothing of studio
    errors.write_text(errors.read_text() + "\nfrom studio.config import Settings  # deliberate violation\n")
    env = {"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"}
    broken = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=120, env=env)
    assert broken.returncode != 0 and "studio.pinterest is not allowed to import studio.publishing" in broken.stdout
    assert "studio.errors is not allowed to import studio.config" in broken.stdout
