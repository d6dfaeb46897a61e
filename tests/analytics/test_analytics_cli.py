"""`pinstudio analytics sync|report` and the worker's daily timing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from studio import analytics
from studio.analytics import tables
from studio.cli import main
from studio.preferences import load_settings
from studio.services import Services, open_store
from tests.fakes.pinterest import FakePinterest


def test_sync_and_report_json(monkeypatch, capsys, store):
    with FakePinterest(boards=1) as fake:
        fake.add_pin(fake.boards[0]["id"], title="Imported pin", created_at=datetime.now(UTC) - timedelta(days=3))
        monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
        monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", fake.access_token)
        monkeypatch.setenv("STUDIO_ANALYTICS_READ_RATE", "0")
        assert main(["analytics", "sync", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        # 3 days of one pin + the same 3 days of the account; list, one bulk call, account, top pins.
        assert out == {"account": "default", "pins": 1, "days": 3, "requests": 4, "rows_written": 3 + 3}
        assert fake.spec_violations == []
    assert main(["analytics", "report", "--json", "--by", "board"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["by"] == "board" and report["groups"][0]["pins"] == 1
    assert main(["analytics", "report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["top_pins"][0]["title"] == "Imported pin" and report["totals"]["impression"] > 0


def test_usage_errors_exit_2(capsys):
    assert main(["analytics", "sync"]) == 2  # nothing connected
    assert "Connect one" in capsys.readouterr().err
    assert main(["analytics", "report", "--since", "last week"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["analytics", "sync", "--account", "nobody"]) == 2


def test_sandbox_sync_is_not_a_failure(monkeypatch, capsys):
    monkeypatch.setenv("PINTEREST_API_BASE", "https://api-sandbox.pinterest.com/v5")
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", "sandbox-token")
    assert main(["analytics", "sync"]) == 0
    assert "sandbox" in capsys.readouterr().out


def test_daily_sync_is_due_once_after_the_configured_time(store):
    settings = load_settings(STUDIO_ANALYTICS_SYNC_AT="04:00", STUDIO_TIMEZONE="Europe/Paris")
    before = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # 03:30 in Paris
    assert analytics.due(store, settings, before)  # never synced: yesterday's moment has passed
    tables.save_sync_state(store, "shop", started_at=datetime(2026, 3, 1, 3, 5, tzinfo=UTC).isoformat())
    assert not analytics.due(store, settings, before)
    after = datetime(2026, 3, 2, 3, 1, tzinfo=UTC)  # 04:01 in Paris
    assert analytics.due(store, settings, after)
    tables.save_sync_state(store, "shop", started_at=after.isoformat())
    assert not analytics.due(store, settings, after + timedelta(hours=5))


def test_worker_pass_starts_the_days_sync_once(store):
    import threading

    from studio.scheduling import run_worker

    with FakePinterest(boards=1) as fake:
        fake.add_pin(fake.boards[0]["id"], title="Old", created_at=datetime.now(UTC) - timedelta(days=5))
        settings = load_settings(
            PINTEREST_API_BASE=fake.base, PINTEREST_ACCESS_TOKEN=fake.access_token, STUDIO_ANALYTICS_READ_RATE=0
        )
        lines: list[str] = []
        services = Services(settings)
        hook = analytics.daily_hook(
            settings, open_store=services.store, api_for=services.analytics_api, log=lines.append
        )
        run_worker(lambda: open_store(settings.db_path), lambda: None, settings, once=True, on_pass=hook)
        for t in threading.enumerate():
            if t.name == "pinstudio-analytics":
                t.join(timeout=30)
        assert any("analytics default:" in line for line in lines), lines
        assert tables.has_data(store)
        calls = len(fake.requests)
        hook(store)  # the same day: not due again
        assert len(fake.requests) == calls
