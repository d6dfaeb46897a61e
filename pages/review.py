"""Review: a grid of pin cards (default view: what needs my attention), the open pin beside it with the
reviewer's actions and keyboard shortcuts, and bulk actions on a selection that is always the truth.

Two fragments, one inside the other, so each interaction redraws only what it changes (issue #16: under
0.5 s with 1,000 drafts, bench/bench_review_browser.py): a view, filter or search reruns `review()` (the
filters and the grid), and ticking, opening, approving or paging reruns `grid()` only. Rows are horizontal
containers, not columns: one block each instead of one per column, and every block costs on each rerun.
The grid's parts live in pages_support: the bulk bar (`review_bulk`), each card (`review_card`) and the
open pin with its actions (`review_open`)."""

import streamlit as st

from pages_support import review_bulk, review_card, review_open
from pages_support.ui import action, fragment, settings, store
from studio.models import Draft, DraftFilter
from studio.storage import Store

PAGE_SIZE = 16  # cards per page (the grid wraps them: 3 to 5 a row)
VIEWS = {
    "attention": ("Needs my attention", ["in_review", "draft"]),
    "in_review": ("In review", ["in_review"]),
    "approved": ("Approved", ["approved"]),
    "rejected": ("Rejected", ["rejected"]),
    "all": ("Everything", []),
}
ss = st.session_state
cfg = settings()
st.title("🔎 Review")
st.html(review_card.GRID_CSS + review_bulk.BULK_BAR_CSS)


@fragment
def review() -> None:
    """The view, the filters and the search, then the grid of what they match."""
    view = (
        st.segmented_control("Show", list(VIEWS), default="attention", key="r_view", format_func=lambda v: VIEWS[v][0])
        or "attention"
    )
    db = store(cfg)
    try:
        with st.expander("Filters", expanded=False):
            with st.container(horizontal=True):
                board = st.selectbox(
                    "Board", [""] + db.distinct_values("board"), key="f_board", format_func=lambda b: b or "any board"
                )
                author = st.selectbox(
                    "Author", [""] + db.distinct_values("author"), key="f_author", format_func=lambda a: a or "anyone"
                )
                account = st.selectbox(
                    "Account",
                    [""] + db.distinct_values("account"),
                    key="f_account",
                    format_func=lambda a: a or "any account",
                )
            with st.container(horizontal=True, vertical_alignment="bottom"):
                dates = st.date_input("Updated between", value=(), key="f_dates")
                lint_failing = st.checkbox("Only drafts failing a copy rule", key="f_lint")
                media_warn = st.checkbox("Only drafts with media warnings", key="f_media")
    finally:
        db.close()
    text = st.text_input(
        "Search", key="f_text", placeholder="Search titles and descriptions", label_visibility="collapsed"
    )
    filters = DraftFilter(
        statuses=VIEWS[view][1],
        board=board,
        author=author,
        account=account,
        text=text,
        lint_failing=lint_failing,
        media_warnings=media_warn,
        updated_from=dates[0].isoformat() if len(dates) >= 1 else "",
        updated_to=dates[1].isoformat() if len(dates) == 2 else "",
    )
    # --- the selection: one set of draft ids is the truth, and every card's box is drawn from it -------------
    signature = filters.model_dump_json()
    if ss.get("rv_sig") != signature:  # other filters: a new selection and the first page
        ss.update(rv_sig=signature, rv_sel=set(), review_page=1, rv_filters=filters)
        ss.pop("rv_notice", None)
    grid()


def on_grid_event(name: str) -> None:
    """A click in a card (see `review_card.GRID_EVENTS_JS`): boxes ticked or unticked, or a pin opened. The
    ids come from the browser, so only pins on the page shown count."""
    event = ss["grid_events"][name]
    shown = ss.get("rv_page_ids", ())
    if name == "toggle" and isinstance(event, list):
        for box in event:
            if isinstance(box, dict) and box.get("id") in shown:
                (ss["rv_sel"].add if box.get("on") else ss["rv_sel"].discard)(box["id"])
    elif name == "open" and event in shown:
        ss["rv_open"] = event


@fragment
def grid() -> None:
    """The last action's outcome, the bulk bar, this page's cards and the open pin beside them."""
    filters: DraftFilter = ss["rv_filters"]
    fdb = store(cfg)  # the fragment reruns on its own: its own connection
    try:
        show_notice()
        drafts, total, page_no, pages = page_of_drafts(fdb, filters)
        # The bulk bar heads the cards' column, not the whole width: it sticks to the top while the user scrolls
        # the grid, and so never covers the open pin's panel beside it (issue 26).
        cards, side = st.columns([3, 1.3], gap="medium")
        with cards:
            review_bulk.bulk_bar(cfg, drafts, total, page_no, pages)
        if not total:
            with cards:
                st.info(
                    "Nothing here. Drafts saved or submitted on the Compose page wait in *Needs my attention*; "
                    "change the view or the filters to see others."
                )
            return
        ids = [d.id for d in drafts]
        ss["rv_page_ids"] = ids
        open_id = ss.get("rv_open")
        if open_id not in ids:
            open_id = ids[0]
        with cards:
            card_grid(fdb, drafts, open_id, page_no, pages)
        with side:
            review_open.open_pin_panel(fdb, cfg, next(d for d in drafts if d.id == open_id), ids)
    finally:
        fdb.close()


def show_notice() -> None:
    """The last action's outcome stays until the next action: a tick, an open or a page doesn't make it vanish
    and shift everything below it (the bulk bar would jump up under the user's pointer)."""
    if item := ss.pop("_flash", None):
        ss["rv_notice"] = ("success", *item)
    if notice := ss.get("rv_notice"):
        if notice[0] == "error":
            st.error(notice[1])
        else:
            st.success(notice[1], icon=notice[2])


def page_of_drafts(db: Store, filters: DraftFilter) -> tuple[list[Draft], int, int, int]:
    """This page's drafts, how many match in all, the page number and the number of pages."""
    page_no = ss.get("review_page", 1)
    drafts, total = db.query_drafts(filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page_no > pages:  # an action emptied the last page
        ss["review_page"] = page_no = pages
        drafts, total = db.query_drafts(filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    return drafts, total, page_no, pages


def card_grid(db: Store, drafts: list[Draft], open_id: int, page_no: int, pages: int) -> None:
    """The page's cards (the open one marked), wrapped in one block, and the pager under them."""
    selected: set[int] = ss["rv_sel"]
    st.html(review_card.open_card_css(open_id))
    with st.container(horizontal=True, wrap=True, gap="small"):  # one block for the cards, not rows of columns
        for draft in drafts:
            review_card.tile(db, cfg, draft, selected=draft.id in selected)
    pager = st.container(horizontal=True, horizontal_alignment="distribute")
    pager.button(
        "← Previous page",
        key="page_prev",
        disabled=page_no <= 1,
        on_click=action(lambda: ss.update(review_page=page_no - 1, rv_open=None)),
    )
    with pager:  # invisible: it turns clicks in the cards into the grid's events
        review_card.grid_events(
            key="grid_events",
            on_toggle_change=lambda: on_grid_event("toggle"),
            on_open_change=lambda: on_grid_event("open"),
            width=1,
            height=0,
        )
    pager.button(
        "Next page →",
        key="page_next",
        disabled=page_no >= pages,
        on_click=action(lambda: ss.update(review_page=page_no + 1, rv_open=None)),
    )


review()
