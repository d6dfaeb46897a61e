"""A pasted token with characters a token never has is refused in words, not with a header-encoding crash
(found by the page walker, tests/ui/test_pages_walk.py; issue 25)."""

from __future__ import annotations

import pytest

from tests.support.cli import pinstudio


@pytest.mark.parametrize("token", ["pina_Ünïcødé", "pina_abc def", "pina_abc\u200b"])
def test_connect_refuses_a_token_that_cannot_be_one(capsys, token):
    result = pinstudio(capsys, "connect", "--token", token)
    assert result.returncode == 1, result
    assert "doesn't look like a Pinterest token" in result.stderr
    assert token not in result.stderr  # never echoed: it may be a real secret with a typo
