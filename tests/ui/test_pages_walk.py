"""Every button on every page, pressed with empty and odd inputs, ends in a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.seeded import seed_studio, sync_fake_boards

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
ODD = {
    "empty": "",
    "blank": "  \t  ",
    "odd": "<script>alert(1)</script> =1+1 Ünïcødé 🍲 " + "long " * 800,
}


def _fill(at: AppTest, text: str) -> None:
    """Type `text` into every text box the page shows."""
    for box in [*at.text_input, *at.text_area]:
        if not box.disabled:
            box.input(text)


def _button_id(button) -> str:
    return button.key or f"{button.label}#{button.proto.id}"


def _first_steps(name: str, at: AppTest, seeded: dict[str, int]) -> None:
    """What a person does first on a page before its buttons mean anything: Compose needs a photo picked."""
    if name == "compose.py":
        at.selectbox(key="media_pick").set_value(seeded["media"]).run()


def _walk(name: str, text: str, seeded: dict[str, int]) -> list[str]:
    """Press each button once (filling the boxes with `text` first); the buttons pressed."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    _first_steps(name, at, seeded)
    assert not at.exception, [e.value for e in at.exception]
    pressed: list[str] = []
    while True:
        waiting = [b for b in at.button if not b.disabled and _button_id(b) not in pressed]
        if not waiting:
            return pressed
        button = waiting[0]
        pressed.append(_button_id(button))
        _fill(at, text)
        at.run()
        assert not at.exception, (name, "typing", [e.value for e in at.exception])
        match = [b for b in at.button if _button_id(b) == pressed[-1] and not b.disabled]
        if not match:
            continue
        match[0].click().run()
        assert not at.exception, (name, pressed[-1], repr(text[:40]), [e.value for e in at.exception])


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("kind", list(ODD))
def test_every_button_with_odd_inputs_shows_a_message_not_a_traceback(name, kind, pinterest, settings):
    sync_fake_boards(pinterest)  # boards synced: the board boxes are pickers that start empty
    pressed = _walk(name, ODD[kind], seed_studio(settings))
    assert pressed or name in {"audit.py", "dashboard.py", "history.py"}, f"{name}: no button was pressed"
