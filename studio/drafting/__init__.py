"""Drafting: LLM providers (OpenAI-compatible, offline) behind one small interface, prompts and the brand
voice, the SEO linter, the LLM call log and cache, batch drafting, experiments, a carousel's copy (the pin's and
each slide's alt text) and alt text per carousel slide.

May import: studio core, studio.people, studio.media, studio.drafts (to save what it drafts).
"""

from studio.drafting import experiments
from studio.drafting.base import Drafter, DraftInput, DraftOutput, get_drafter, register_drafter
from studio.drafting.batch import BatchItem, BatchReport, ItemOutcome, draft_batch
from studio.drafting.carousel import draft_carousel_copy
from studio.drafting.compose import save_composed
from studio.drafting.experiments import (
    MAX_VARIANTS,
    MIN_VARIANTS,
    ExperimentInput,
    Variant,
    create_experiment,
    get_experiment,
    list_experiments,
    promote,
    run_experiment,
    start_experiment,
    variant_label,
)
from studio.drafting.log import CallLog, migrations
from studio.drafting.prompts import BrandVoice
from studio.drafting.service import DraftingService, DraftResult, register_grounding, service_for
from studio.drafting.slides import SlideAlt, draft_slide_alt_texts


def check_connection(*args, **kwargs):
    """Test an OpenAI-compatible endpoint (see studio.drafting.openai_compat.check_connection)."""
    from studio.drafting.openai_compat import check_connection as check  # the openai SDK loads only when asked

    return check(*args, **kwargs)


__all__ = [
    "MAX_VARIANTS",
    "MIN_VARIANTS",
    "BatchItem",
    "BatchReport",
    "BrandVoice",
    "CallLog",
    "DraftInput",
    "DraftOutput",
    "DraftResult",
    "Drafter",
    "DraftingService",
    "ExperimentInput",
    "ItemOutcome",
    "SlideAlt",
    "Variant",
    "check_connection",
    "create_experiment",
    "draft_batch",
    "draft_carousel_copy",
    "draft_slide_alt_texts",
    "experiments",
    "get_drafter",
    "get_experiment",
    "list_experiments",
    "migrations",
    "promote",
    "register_drafter",
    "register_grounding",
    "run_experiment",
    "save_composed",
    "service_for",
    "start_experiment",
    "variant_label",
]
