"""A server that answers with something other than JSON (a proxy's sign-in page, a web server where the API
should be) is a DraftingError naming OPENAI_BASE_URL: in drafting, in `pinstudio draft`, in Settings' connection
test. Never a traceback or an AttributeError."""

from __future__ import annotations

import pytest

from studio.cli import main
from studio.drafting import check_connection
from studio.drafting.base import DraftInput
from studio.drafting.openai_compat import OpenAIDrafter, build_client
from studio.errors import DraftingError
from studio.preferences import load_settings


@pytest.fixture
def page_server(openai_server):
    openai_server.mode = "not_json"
    return openai_server


def test_drafting_against_a_web_page_is_a_clear_drafting_error(page_server):
    cfg = load_settings()
    drafter = OpenAIDrafter(build_client(cfg), cfg.llm_model)
    with pytest.raises(DraftingError) as refused:
        drafter.draft(DraftInput(topic="autumn soup"))
    assert refused.value.code == "llm_bad_answer" and "OPENAI_BASE_URL" in refused.value.fix
    assert page_server.base_url.rstrip("/") in refused.value.message


def test_the_connection_test_says_the_server_is_no_openai_api(page_server):
    with pytest.raises(DraftingError) as refused:
        check_connection(load_settings())
    assert refused.value.code == "llm_bad_answer" and "OPENAI_BASE_URL" in refused.value.fix


def test_pinstudio_draft_prints_the_error_without_a_traceback(page_server, tmp_path, make_image, capsys):
    image = tmp_path / "soup.jpg"
    image.write_bytes(make_image())
    code = main(["draft", "--media", str(image), "--keywords", "soup"])
    out = capsys.readouterr()
    assert code == 1 and out.err.startswith("error: ") and "OPENAI_BASE_URL" in out.err
    assert "Traceback" not in out.err and "JSONDecodeError" not in out.err
