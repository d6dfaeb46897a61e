"""The pages' action boundary (pages_support.ui.errors_shown / action): a StudioError is its message, anything
else a short apology with a reference (logged), and what was typed stays (issue 25)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.shown import read


def _page() -> None:
    import streamlit as st

    from pages_support.ui import action
    from studio.errors import ValidationError

    @action
    def refuse() -> None:
        raise ValidationError("That board doesn't exist.", fix="Pick one of the synced boards.")

    @action
    def crash() -> None:
        raise KeyError("board")

    st.text_input("Topic", key="topic")
    st.button("Refuse", key="refuse", on_click=refuse)
    st.button("Crash", key="crash", on_click=crash)


def test_a_refusal_is_its_message_and_a_crash_an_apology_and_the_typing_stays(caplog):
    at = AppTest.from_function(_page, default_timeout=30).run()
    at.text_input(key="topic").input("Squash soup <script>").run()
    at.button(key="refuse").click().run()
    assert not at.exception
    assert read(at.error[0].value) == "That board doesn't exist. Pick one of the synced boards."
    at.button(key="crash").click().run()
    assert not at.exception
    (said,) = [e.value for e in at.error]
    assert "something went wrong on our side (ref " in said and "KeyError" not in said
    ref = said.split("(ref ")[1][:8]
    assert any(ref in record.getMessage() and record.exc_info for record in caplog.records)
    assert at.text_input(key="topic").value == "Squash soup <script>"
