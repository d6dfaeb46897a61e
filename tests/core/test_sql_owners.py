"""SQL lives with the package that owns the table: only the modules listed here reach the connection
(`store.db`), each names only its own package's tables in its SQL, and pages hold no SQL at all.
Everything else calls the owners' functions (and `store.atomic()` to group writes)."""

from __future__ import annotations

import ast
import re

import pytest

from tests.support.env import ROOT

CORE = {"media", "drafts", "events"}
# `slots`, `workers` and the drafts' claim columns were created by the core migrations (shipped as they are).
SCHEDULING = {"slots", "workers", "drafts"}
PUBLISHING = {"publish_jobs", "publish_attempts"}
ACCOUNTS = {"accounts", "boards", "board_sections", "credentials", "oauth_states"}
DRAFTS = {"draft_covers", "autosaves"}
DRAFTING = {"llm_calls", "experiments", "experiment_runs"}
BULK = {"bulk_pins", "bulk_media_urls", "bulk_imports", "bulk_batches", "bulk_batch_items"}
API = {"api_keys", "api_posts", "api_idempotency", "api_webhooks", "api_deliveries"}
ANALYTICS = {"analytics_pins", "analytics_pin_daily", "analytics_account_daily", "analytics_sync", "analytics_cache"}
DESIGN = {"designs", "fresh_pins", "brand_kit", "carousel_items", "video_cover_designs"}

# The modules that may touch the connection, and the tables their SQL may name.
OWNERS: dict[str, set[str]] = {
    "studio/storage.py": CORE,
    "studio/scheduling/tables.py": SCHEDULING,
    "studio/publishing/jobs.py": PUBLISHING,
    "studio/publishing/story.py": PUBLISHING,
    "studio/accounts/connected.py": ACCOUNTS,
    "studio/accounts/boards.py": ACCOUNTS,
    "studio/accounts/oauth_states.py": ACCOUNTS,
    "studio/drafts/covers.py": DRAFTS,
    "studio/drafts/autosave.py": DRAFTS,
    "studio/drafting/log.py": DRAFTING,
    "studio/drafting/experiments.py": DRAFTING,
    "studio/bulk/tables.py": BULK,
    "studio/api/tables.py": API,
    "studio/api/keys.py": API,
    "studio/api/posts.py": API,
    "studio/api/processor.py": API,
    "studio/api/webhooks.py": API,
    "studio/analytics/tables.py": ANALYTICS,
    "studio/design/store.py": DESIGN,
    "studio/people/tables.py": {"users", "audit_log"},
}

# A table named after the words SQL puts before one (`from drafts`, `update [drafts]`, `.table("drafts")`).
SQL_TABLE = re.compile(r"\b(?:from|join|into|update|table)\s+\[?(\w+)", re.IGNORECASE)
SOURCES = sorted([*(ROOT / "studio").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])


def _is_migration(node: ast.AST) -> bool:
    """A function of a migration set (`@migrations()`): its table names are the schema, not queries."""
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "migrations"
        for d in node.decorator_list
    )


def _migration_helpers(tree: ast.Module) -> set[str]:
    """Module functions called from migrations and from nowhere else (e.g. one that (re)creates triggers for
    two migrations): schema code too. Any other call to them makes them queries again."""
    calls_in: dict[bool, set[str]] = {True: set(), False: set()}

    def visit(node: ast.AST, in_migration: bool) -> None:
        in_migration = in_migration or _is_migration(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls_in[in_migration].add(node.func.id)
        for child in ast.iter_child_nodes(node):
            visit(child, in_migration)

    visit(tree, False)
    return calls_in[True] - calls_in[False]


def _docstrings(tree: ast.Module) -> set[int]:
    holders = [n for n in ast.walk(tree) if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)]
    return {
        id(h.body[0].value)
        for h in holders
        if h.body and isinstance(h.body[0], ast.Expr) and isinstance(h.body[0].value, ast.Constant)
    }


def sql_use(source: str, tables: set[str]) -> tuple[list[int], dict[str, int]]:
    """The lines that reach the connection (`.db`), and each known table the code's SQL names (with a line)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    helpers = _migration_helpers(tree)
    connection: list[int] = []
    named: dict[str, int] = {}
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if _is_migration(node) or (isinstance(node, ast.FunctionDef) and node.name in helpers):
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Attribute) and node.attr == "db":
            connection.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "table":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and first.value in tables:
                named.setdefault(first.value, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for word in SQL_TABLE.findall(node.value):
                if word in tables:
                    named.setdefault(word, node.lineno)
    return sorted(connection), named


@pytest.fixture(scope="module")
def tables() -> set[str]:
    return set().union(*OWNERS.values())


def test_every_table_has_an_owner(store):
    existing = set(store.db.table_names()) - {"_sqlite_migrations"}
    assert existing == set().union(*OWNERS.values()), "add the new table to its owner in OWNERS"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_owners_touch_the_connection_and_only_their_tables(path, tables):
    name = str(path.relative_to(ROOT))
    connection, named = sql_use(path.read_text(), tables)
    if name not in OWNERS:
        assert not connection, f"{name} reaches store.db at lines {connection}: call the table owner's functions"
        assert not named, f"{name} has SQL on {named} (table: line): it belongs with the table's owner"
    else:
        foreign = {table: line for table, line in named.items() if table not in OWNERS[name]}
        assert not foreign, f"{name} has SQL on another package's tables {foreign}: call that owner's functions"


def test_pages_hold_no_sql(tables):
    for path in sorted((ROOT / "pages").glob("*.py")):
        connection, named = sql_use(path.read_text(), tables)
        assert not connection and not named, f"{path.name}: pages make one studio call per action, no SQL"


def test_the_check_catches_a_query_outside_its_owner(tables):
    reader = 'def count(store):\n    return store.db.execute("select count(*) from publish_jobs").fetchone()\n'
    assert sql_use(reader, tables) == ([2], {"publish_jobs": 2})
    migration = '@migrations()\ndef m001(db):\n    db.table("slots").create({"id": int})\n'
    assert sql_use(migration, tables) == ([], {})
    documented = 'def f():\n    """Reads from drafts."""\n    return "Pick one from the list"\n'
    assert sql_use(documented, tables) == ([], {})
    # a helper only migrations call is schema code; called from anywhere else, it is a query again
    helper = (
        'def _triggers(db):\n    db.execute("update drafts set x = 1")\n\n'
        "@migrations()\ndef m2(db):\n    _triggers(db)\n"
    )
    assert sql_use(helper, tables) == ([], {})
    assert sql_use(helper + "\ndef later(db):\n    _triggers(db)\n", tables) == ([], {"drafts": 2})
