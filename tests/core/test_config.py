from studio.config import mask_secret
from studio.preferences import load_settings


def test_offline_defaults_need_no_keys(monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "auto")
    monkeypatch.setenv("STUDIO_PUBLISHER", "auto")
    cfg = load_settings()
    assert cfg.effective_llm_provider() == "offline"
    assert cfg.effective_publisher() == "dry-run"


def test_auto_picks_real_backends_only_with_credentials(monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "auto")
    monkeypatch.setenv("STUDIO_PUBLISHER", "auto")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefghijklmnop")
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", "pina_test_token_1234")
    cfg = load_settings()
    assert cfg.effective_llm_provider() == "openai"
    assert cfg.effective_publisher() == "pinterest"


def test_public_view_masks_secrets(monkeypatch):
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", "pina_SECRETVALUE_wxyz")
    view = load_settings().public_view()
    shown = " ".join(view.values())
    assert "SECRETVALUE" not in shown
    assert view["PINTEREST_ACCESS_TOKEN"].endswith("wxyz")
    assert mask_secret("short") == "••••"


def test_env_file_is_read_unless_disabled(tmp_path, monkeypatch):
    env = tmp_path / "custom.env"
    env.write_text("STUDIO_LLM_MODEL=llama3\n")
    monkeypatch.delenv("STUDIO_LLM_MODEL", raising=False)
    monkeypatch.setenv("STUDIO_ENV_FILE", str(env))
    assert load_settings().llm_model == "llama3"
    monkeypatch.setenv("STUDIO_ENV_FILE", "")
    assert load_settings().llm_model == "gpt-4o-mini"


def test_readme_documents_every_setting():
    from pathlib import Path

    from studio.config import settings_table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert settings_table() in readme, "README's configuration table is stale: paste studio.config.settings_table()"
