"""Experiments: one media asset, 2–4 drafting variants (model, temperature, tone, keywords, notes)
generated at once, compared, the winner promoted to a draft. Kept in SQLite and re-runnable."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel, Field

from studio import people
from studio.config import Settings
from studio.drafting.base import Drafter, DraftOutput, get_drafter
from studio.drafting.landing import LandingFetcher, shared_client
from studio.drafting.prompts import BrandVoice
from studio.drafting.service import DraftingService
from studio.errors import DraftingError, NotFoundError, ValidationError
from studio.models import Draft, iso
from studio.people import Actor, Permission
from studio.storage import Store, inserted_id

MIN_VARIANTS, MAX_VARIANTS = 2, 4


class Variant(BaseModel):
    """One column of an experiment; blank fields fall back to Settings / the experiment's inputs."""

    label: str = ""
    model: str = ""
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    tone: str = ""
    keywords: str = ""
    notes: str = ""


class ExperimentInput(BaseModel):
    topic: str = ""
    keywords: str = ""
    link: str = ""
    board: str = ""


def create_experiment(
    store: Store, *, media_id: int, variants: list[Variant], base: ExperimentInput, name: str = ""
) -> int:
    """Store a new experiment (nothing is generated yet)."""
    if not MIN_VARIANTS <= len(variants) <= MAX_VARIANTS:
        raise ValidationError(
            f"An experiment compares {MIN_VARIANTS} to {MAX_VARIANTS} variants, not {len(variants)}.",
            fix="Add or remove a variant.",
            code="variant_count",
        )
    store.get_media(media_id)  # raises NotFoundError for a missing asset
    now = iso()
    return inserted_id(
        store.db.table("experiments").insert(
            {
                "name": name or f"{base.topic or 'Experiment'} · {len(variants)} variants",
                "media_id": media_id,
                "base": base.model_dump_json(),
                "variants": json.dumps([v.model_dump() for v in variants]),
                "created_at": now,
                "updated_at": now,
            }
        )
    )


def get_experiment(store: Store, experiment_id: int) -> dict:
    """The experiment with its variants and the results of its latest round."""
    try:
        row = dict(store.db.table("experiments").get(experiment_id))
    except Exception:  # sqlite_utils NotFoundError
        raise NotFoundError(f"There is no experiment #{experiment_id}.", fix="Pick one from the list.") from None
    row["base"] = ExperimentInput.model_validate_json(row["base"])
    row["variants"] = [Variant(**v) for v in json.loads(row["variants"])]
    last = store.db.execute(
        "select max(round) from experiment_runs where experiment_id = ?", [experiment_id]
    ).fetchone()[0]
    runs = (
        store.db.table("experiment_runs").rows_where(
            "experiment_id = ? and round = ?", [experiment_id, last], order_by="variant"
        )
        if last
        else []
    )
    row["round"] = last or 0
    row["runs"] = [
        {**r, "output": json.loads(r["output"]) if r["output"] else None, "lint": json.loads(r["lint"] or "[]")}
        for r in runs
    ]
    return row


def list_experiments(store: Store, limit: int = 50) -> list[dict]:
    return list(
        store.db.table("experiments").rows_where(
            order_by="id desc", limit=limit, select="id, name, media_id, promoted_draft_id, updated_at"
        )
    )


OFFLINE_LABEL = "offline template"


def variant_label(settings: Settings, variant: Variant, output: dict | None = None) -> str:
    """Who writes a variant's copy, truthfully: the model that answered, else the one that will; the
    offline drafter is a template, never a model name it doesn't use."""
    if output:
        if output.get("provider") == "offline":
            return OFFLINE_LABEL
        return str(output.get("model") or variant.model or settings.llm_model)
    if settings.effective_llm_provider() == "offline":
        return OFFLINE_LABEL
    return variant.model or settings.llm_model


def variant_drafter(settings: Settings, variant: Variant) -> Drafter:
    """The drafter a variant asks for: the configured provider with its model and temperature."""
    overrides: dict = {"llm_temperature": variant.temperature}
    if variant.model:
        overrides["llm_model"] = variant.model
    if variant.tone:
        overrides["brand_tone"] = variant.tone
    return get_drafter(settings.model_copy(update=overrides))


def run_experiment(store: Store, settings: Settings, experiment_id: int, *, fresh: bool = False, actor: Actor) -> dict:
    """Generate every variant at once (model calls concurrently); store the round; return the experiment."""
    people.require(actor, Permission.DRAFT)
    exp = get_experiment(store, experiment_id)
    base: ExperimentInput = exp["base"]
    allow = settings.fetch_allow_private
    landing = LandingFetcher(shared_client(allow), allow_private=allow)
    jobs = []
    for i, variant in enumerate(exp["variants"]):
        drafter = variant_drafter(settings, variant)
        voice = BrandVoice.from_settings(settings)
        if variant.tone:
            voice = voice.model_copy(update={"tone": variant.tone})
        service = DraftingService(store, drafter, data_dir=settings.data_dir, voice=voice, landing=landing)
        request = service.build_input(
            media_id=exp["media_id"],
            topic=base.topic,
            keywords=variant.keywords or base.keywords,
            link=base.link,
            board=base.board,
            notes=variant.notes,
            fresh=fresh,
        )
        jobs.append((i, service, request, service.key(request)))
    results: dict[int, tuple] = {}
    pending = []
    for i, service, request, key in jobs:
        hit = service.from_cache(key, request, fields={"media_id": exp["media_id"]})
        if hit:
            results[i] = (hit, None)
        else:
            pending.append((i, service, request, key))
    if pending:
        with ThreadPoolExecutor(max_workers=len(pending)) as pool:
            futures = [
                (i, service, request, key, time.perf_counter(), pool.submit(service.call, request))
                for i, service, request, key in pending
            ]
            for i, service, request, key, started, future in futures:
                try:
                    output: DraftOutput = future.result()
                except DraftingError as exc:
                    service.record(key, request, error=exc, started=started, media_id=exp["media_id"])
                    results[i] = (None, exc)
                    continue
                results[i] = (
                    service.record(
                        key, request, output=output, media_id=exp["media_id"], fields={"media_id": exp["media_id"]}
                    ),
                    None,
                )
    round_no = exp["round"] + 1
    with store.db.atomic():
        for i in sorted(results):
            result, error = results[i]
            out = result.output if result else None
            store.db.table("experiment_runs").insert(
                {
                    "experiment_id": experiment_id,
                    "variant": i,
                    "round": round_no,
                    "output": out.model_dump_json(
                        include={"title", "description", "alt_text", "keywords", "provider", "model", "trimmed"}
                    )
                    if out
                    else None,
                    "lint": json.dumps(result.lint if result else []),
                    "error": str(error) if error else None,
                    "call_id": result.call_id if result else None,
                    "prompt_tokens": 0 if (not out or result.cached) else out.usage.get("prompt_tokens", 0),
                    "completion_tokens": 0 if (not out or result.cached) else out.usage.get("completion_tokens", 0),
                    "latency_ms": 0.0 if (not out or result.cached) else out.latency_ms,
                    "cached": int(bool(result and result.cached)),
                    "created_at": iso(),
                }
            )
        store.db.table("experiments").update(experiment_id, {"updated_at": iso()})
    return get_experiment(store, experiment_id)


def promote(store: Store, experiment_id: int, run_id: int, *, actor: Actor) -> Draft:
    """Make the winning variant a draft (one click), linking its LLM call."""
    from studio.drafting.log import CallLog
    from studio.drafts import save_draft

    exp = get_experiment(store, experiment_id)
    run = next((r for r in exp["runs"] if r["id"] == run_id), None)
    if run is None or not run["output"]:
        raise ValidationError(
            "That variant has no copy to promote.", fix="Generate the experiment again.", code="nothing_to_promote"
        )
    out, base = run["output"], exp["base"]
    if exp["promoted_draft_id"]:  # a second click on the same winner must not make a duplicate pin
        try:
            earlier = store.get_draft(exp["promoted_draft_id"])
        except NotFoundError:
            earlier = None
        if earlier and (earlier.title, earlier.description) == (out["title"], out["description"]):
            return earlier
    variant = exp["variants"][run["variant"]]
    draft = save_draft(
        store,
        None,
        {
            "title": out["title"],
            "description": out["description"],
            "alt_text": out["alt_text"],
            "keywords": ", ".join(out["keywords"]) or variant.keywords or base.keywords,
            "topic": base.topic,
            "link": base.link,
            "board": base.board,
            "media_id": exp["media_id"],
            "provider": out["provider"],
            "model": out["model"],
        },
        actor=actor,
    )
    if run["call_id"]:
        CallLog(store).attach([run["call_id"]], draft.id)
    store.db.table("experiments").update(experiment_id, {"promoted_draft_id": draft.id, "updated_at": iso()})
    return draft


def start_experiment(
    store: Store,
    settings: Settings,
    *,
    media_id: int,
    variants: list[Variant],
    base: ExperimentInput,
    name: str = "",
    actor: Actor,
) -> dict:
    """Create an experiment and generate its first round (drafting copy: editors and up)."""
    people.require(actor, Permission.DRAFT)
    experiment_id = create_experiment(store, media_id=media_id, variants=variants, base=base, name=name)
    return run_experiment(store, settings, experiment_id, actor=actor)
