"""pyproject.toml builds without deprecation warnings: the licence is an SPDX expression, which needs
setuptools ≥ 77 (a licence table made `make run`'s first install print setuptools' deprecation)."""

from __future__ import annotations

import re
import tomllib

from tests.support.env import ROOT


def test_the_licence_is_an_spdx_expression_and_the_build_can_read_it():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in pyproject["project"].get("classifiers", []))
    setuptools = next(r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools"))
    minimum = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", setuptools.replace(" ", ""))
    assert minimum and int(minimum.group(1)) >= 77, setuptools
