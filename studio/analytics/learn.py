"""Feeding results back: grounding examples for the drafter, and experiments judged on real clicks."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime

from studio.analytics import report, tables
from studio.storage import Store

MIN_IMPRESSIONS = 100  # below this a pin's CTR is mostly noise: neither an example nor evidence
DRAWS = 4000  # posterior samples: P(best) to about ±1 %


def grounding(store: Store, board: str, *, limit: int = 3, today: date | None = None) -> dict:
    """The best titles and keywords of pins on `board` (last 90 days, by outbound CTR; ties by saves).
    Empty when there are no metrics, so drafting without data is unchanged."""
    if not board or not tables.has_data(store):
        return {}
    since, until = report.period(None, today=today or datetime.now(UTC).date())
    rows = [
        r
        for r in report.pin_table(store, since, until)
        if (r["board_name"] or "").casefold() == board.strip().casefold() and r["impression"] >= MIN_IMPRESSIONS
    ]
    rows.sort(key=lambda r: (r["outbound_ctr"], r["save_rate"], r["pin_id"]), reverse=True)
    titles = [r["title"] for r in rows if r["title"]][:limit]
    weight: Counter = Counter()
    for r in rows[: max(limit * 3, 10)]:
        for k in (r["keywords"] or "").split(","):
            if k.strip():
                weight[k.strip().lower()] += r["outbound_click"] + 1
    keywords = [k for k, _ in weight.most_common(5)]
    if not titles and not keywords:
        return {}
    return {"board": board, "titles": titles, "keywords": keywords, "pins": len(rows)}


def compare_variants(arms: list[dict], *, min_impressions: int = MIN_IMPRESSIONS, seed: int = 14) -> dict:
    """Bayesian comparison of outbound CTR: Beta(1 + clicks, 1 + impressions - clicks) per arm, the probability
    each arm is best from posterior draws, and a 90 % credible interval. Honest when data is thin."""
    ready = [a for a in arms if a.get("impression", 0) >= min_impressions]
    if len(ready) < 2:
        return {
            "verdict": "not enough data yet",
            "detail": f"Each variant needs at least {min_impressions} impressions on its published pin; "
            f"{len(ready)} of {len(arms)} have that so far.",
            "arms": arms,
        }
    rng = random.Random(seed)
    wins: Counter[int] = Counter()
    samples: dict[int, list[float]] = {i: [] for i in range(len(ready))}
    for _ in range(DRAWS):
        draws = [
            rng.betavariate(1 + a["outbound_click"], 1 + max(a["impression"] - a["outbound_click"], 0)) for a in ready
        ]
        best = max(range(len(draws)), key=draws.__getitem__)
        wins[best] += 1
        for i, d in enumerate(draws):
            samples[i].append(d)
    out = []
    for i, arm in enumerate(ready):
        s = sorted(samples[i])
        out.append(
            {
                **arm,
                "ctr": report.ctr(arm["outbound_click"], arm["impression"]),
                "p_best": wins[i] / DRAWS,
                "ci90": (s[int(0.05 * DRAWS)], s[int(0.95 * DRAWS) - 1]),
            }
        )
    leader = max(out, key=lambda a: a["p_best"])
    if leader["p_best"] >= 0.95:
        verdict = f"{leader['label']} wins"
        detail = f"{leader['p_best']:.0%} probability it has the best outbound CTR."
    else:
        verdict = "no clear winner yet"
        detail = f"The leader, {leader['label']}, is best with {leader['p_best']:.0%} probability (we call it at 95 %)."
    return {"verdict": verdict, "detail": detail, "arms": out + [a for a in arms if a not in ready]}


def experiment_results(store: Store, experiment_id: int, *, today: date | None = None) -> dict:
    """An experiment's variants that were promoted and published, compared on their pins' real results."""
    from studio.drafting import CallLog, get_experiment

    exp = get_experiment(store, experiment_id)
    log = CallLog(store)
    draft_ids: dict[int, str] = {}
    for run in exp["runs"]:
        if run.get("call_id"):
            draft_id = log.get(run["call_id"]).get("draft_id")
            if draft_id:
                label = exp["variants"][run["variant"]].label or f"Variant {run['variant'] + 1}"
                draft_ids[int(draft_id)] = label
    if exp.get("promoted_draft_id") and exp["promoted_draft_id"] not in draft_ids:
        draft_ids[int(exp["promoted_draft_id"])] = "Promoted"
    pins = tables.pins_for_drafts(store, list(draft_ids))
    today = today or datetime.now(UTC).date()
    # Final days only: a day Pinterest is still counting would make a variant look worse than it is.
    final = report.final_only(tables.pin_totals(store, "0000-00-00", str(today))) if pins else []
    totals = {r["pin_id"]: r for r in final}
    arms = []
    for draft_id, label in draft_ids.items():
        t = totals.get(pins.get(draft_id, ""), {})
        arms.append(
            {
                "label": label,
                "draft_id": draft_id,
                "pin_id": pins.get(draft_id),
                "impression": t.get("impression", 0),
                "outbound_click": t.get("outbound_click", 0),
                "save": t.get("save", 0),
            }
        )
    if len([a for a in arms if a["pin_id"]]) < 2:
        return {
            "verdict": "not enough data yet",
            "detail": "Publish at least two variants as separate pins (promote each, then publish); "
            "results appear after the next analytics sync.",
            "arms": arms,
        }
    return compare_variants(arms)
