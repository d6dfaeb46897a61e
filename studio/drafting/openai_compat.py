"""The OpenAI-compatible drafter: OpenAI, Ollama, LM Studio, vLLM, llama.cpp server — all configuration.

Structured output first (`chat.completions.parse` with a json_schema); endpoints that refuse it get
JSON mode, then a plain prompt whose answer we dig a JSON object out of. Every answer is validated;
an over-long field is sent back once with the violation named, then trimmed as a last resort.
"""

from __future__ import annotations

import base64
import io
import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import openai
import pydantic
from PIL import Image
from pydantic import SecretStr

from studio import constraints
from studio.config import Settings
from studio.drafting.base import DraftInput, DraftOutput, register_drafter
from studio.drafting.carousel import CarouselPinCopy, carousel_prompt, normalise_slides, slide_images
from studio.drafting.offline import clip
from studio.drafting.prompts import FIELD_LIMITS, BrandVoice, PinCopy, repair_prompt, system_prompt, user_prompt
from studio.errors import DraftingError
from studio.netguard import AddressRefused, guarded_client

# Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
PLACEHOLDER_KEY = "sk-no-key-needed"
# Model-name fragments of families that accept images; `STUDIO_LLM_VISION=on/off` overrides.
VISION_HINTS = (
    "gpt-4o",
    "gpt-4.1",
    "gpt-5",
    "o3",
    "o4",
    "vision",
    "llava",
    "-vl",
    "vl-",
    "pixtral",
    "gemma3",
    "qwen2.5vl",
    "minicpm-v",
    "moondream",
    "claude",
)
IMAGE_MAX_SIDE = 768  # enough for alt text; keeps the request (and tokens) small
FORMATS = ("schema", "json", "text")
# Pin copy is well under 2,000 characters; an answer is read up to this many and no further.
ANSWER_MAX_CHARS = 32 * 1024
_KEYED_OBJECT = re.compile(r'\{\s*"')
# What each endpoint+model accepted, so a new drafter (one per page run) doesn't probe again.
_FORMAT_MEMORY: dict[tuple[str, str], str] = {}


def build_client(settings: Settings) -> openai.OpenAI:
    """An OpenAI client with our timeout and retries, never the SDK's 600 s default."""
    base_url = settings.openai_base_url
    if base_url and urlparse(base_url).scheme not in ("http", "https"):
        raise DraftingError(
            f"The LLM base URL '{base_url[:80]}' is not a web address.",
            fix="Use the server's full URL, like http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1.",
            code="llm_bad_base_url",
        )
    if not base_url and not settings.openai_api_key:  # only local servers work without a key
        raise DraftingError(
            "OpenAI needs an API key, and OPENAI_API_KEY is not set.",
            fix="Set OPENAI_API_KEY in your .env and restart, or set OPENAI_BASE_URL to a local "
            "server (Ollama, LM Studio) that needs no key.",
            code="llm_no_key",
        )
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else PLACEHOLDER_KEY
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        # The same address guard as every fetch of a typed URL (redirects are not followed). The SDK types this
        # as its own httpx fork's client and takes an httpx one too.
        http_client=guarded_client(  # type: ignore[arg-type]
            allow_private=endpoint_trusted(settings), timeout=settings.llm_timeout_s
        ),
    )


def endpoint_trusted(settings: Settings) -> bool:
    """May the LLM endpoint be on this machine or a private network? Only when it comes from the environment
    (OPENAI_BASE_URL, set by whoever runs the studio) or STUDIO_FETCH_ALLOW_PRIVATE is on. An endpoint saved
    or typed in the studio goes through the guard like any typed URL: it can't reach inside the network."""
    from studio.config import environment_settings

    env = environment_settings()
    if env.fetch_allow_private:
        return True
    return bool(env.openai_base_url) and _same_endpoint(settings.openai_base_url, env.openai_base_url)


def image_data_url(path: str | Path, max_side: int = IMAGE_MAX_SIDE) -> str:
    """The image downscaled to `max_side` as a JPEG data URL."""
    with Image.open(path) as img:
        img = img.convert("RGB")
        img.thumbnail((max_side, max_side))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def extract_json_object(text: str) -> dict | None:
    """The JSON object in `text` (models wrap JSON in prose or ``` fences), in linear time.

    At most two decodes, each linear: from the first `{`, and from the first `{` that opens a key
    (`{"`). Trying every `{` in turn was quadratic: a long answer of braces froze the worker.
    """
    text = (text or "")[:ANSWER_MAX_CHARS]
    starts = []
    first = text.find("{")
    if first >= 0:
        starts.append(first)
        keyed = _KEYED_OBJECT.search(text, first)
        if keyed and keyed.start() != first:
            starts.append(keyed.start())
    decoder = json.JSONDecoder()
    for start in starts:
        try:
            value, _end = decoder.raw_decode(text, start)
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None


def trim_to_word(text: str, limit: int) -> str:
    return clip(text, limit)


class OpenAIDrafter:
    """Drafts pin copy with any OpenAI-compatible chat endpoint."""

    name = "openai"

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        *,
        voice: BrandVoice | None = None,
        temperature: float = 0.7,
        vision: str = "auto",
        max_tokens: int = 1024,
    ) -> None:
        self.client = client
        self.model = model
        self.max_tokens = max_tokens
        # OpenAI's reasoning models refuse `max_tokens` and want `max_completion_tokens`
        self._tokens_param = "max_tokens"
        self.voice = voice or BrandVoice()
        self.temperature = temperature
        self.vision = vision
        # downgraded once an endpoint refuses it; remembered per endpoint and model
        self._format = _FORMAT_MEMORY.get((self.base_url, model), "schema")

    @property
    def base_url(self) -> str:
        return str(self.client.base_url)

    def uses_vision(self) -> bool:
        if self.vision in ("on", "off"):
            return self.vision == "on"
        return any(hint in self.model.lower() for hint in VISION_HINTS)

    def fingerprint(self) -> dict:
        """What, beside the request, changes the answer: part of the cache key."""
        return {
            "base_url": self.base_url,
            "temperature": self.temperature,
            "vision": self.uses_vision(),
            "voice": self.voice.model_dump(),
        }

    # --- drafting -----------------------------------------------------------------------
    def draft(self, request: DraftInput) -> DraftOutput:
        started = time.perf_counter()
        text = user_prompt(request, landing=request.landing, variant=request.variant, notes=request.notes)
        if request.slides:  # a carousel: its copy as a whole, and one alt text per slide
            text += "\n" + carousel_prompt(request)
        user: Any = text
        if self.uses_vision():
            pictures = _pictures(request)
            if pictures:
                user = [{"type": "text", "text": text}, *pictures]
        messages = [{"role": "system", "content": system_prompt(self.voice)}, {"role": "user", "content": user}]
        tally = _Tally()
        schema = CarouselPinCopy if request.slides else PinCopy
        copy, raw = self._ask(messages, request, tally, schema)
        too_long = _violations(copy)
        if too_long:
            messages = [
                *messages,
                {"role": "assistant", "content": raw},
                {"role": "user", "content": repair_prompt(too_long)},
            ]
            try:
                copy, raw = self._ask(messages, request, tally, schema)
            except DraftingError:
                pass  # the first answer is still usable once trimmed
        trimmed = []
        for field, limit in FIELD_LIMITS.items():
            if len(getattr(copy, field)) > limit:
                setattr(copy, field, trim_to_word(getattr(copy, field), limit))
                trimmed.append(field)
        return DraftOutput(
            title=copy.title.strip(),
            description=copy.description.strip(),
            alt_text=copy.alt_text.strip(),
            keywords=[k.strip() for k in copy.keywords if k.strip()] or request.keywords,
            slide_alt_texts=[
                trim_to_word(s.alt_text.strip(), constraints.ALT_TEXT_MAX) for s in getattr(copy, "slides", [])
            ],
            provider=self.name,
            model=self.model,
            trimmed=trimmed,
            prompt=_loggable(messages),
            response="\n---\n".join(tally.responses),
            usage=tally.usage,
            latency_ms=(time.perf_counter() - started) * 1000,
            calls=tally.calls,
        )

    def _ask(
        self, messages: list[dict], request: DraftInput, tally: _Tally, schema: type[PinCopy] = PinCopy
    ) -> tuple[PinCopy, str]:
        """One answer as `schema` (PinCopy, or a carousel's), stepping down schema → JSON mode → plain text as
        the endpoint needs."""
        while True:
            fmt = self._format
            try:
                return self._call(fmt, messages, tally, schema)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if self._tokens_param == "max_tokens" and "max_completion_tokens" in str(exc):
                    self._tokens_param = "max_completion_tokens"
                    continue
                if _mentions_image(exc) and _has_image(messages):
                    messages = _without_images(messages)  # this model can't see: draft from facts
                    continue
                if fmt == "text":
                    raise self._error(exc) from exc
                self._format = FORMATS[FORMATS.index(fmt) + 1]
                _FORMAT_MEMORY[(self.base_url, self.model)] = self._format
            except openai.APIError as exc:
                raise self._error(exc) from exc

    def _call(
        self, fmt: str, messages: list[dict], tally: _Tally, schema: type[PinCopy] = PinCopy
    ) -> tuple[PinCopy, str]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            self._tokens_param: self.max_tokens,  # the answer's length is bounded at the source
        }
        tally.calls += 1
        if fmt == "schema":
            raw = self.client.chat.completions.with_raw_response.parse(response_format=schema, **kwargs)
        else:
            if fmt == "json":
                kwargs["response_format"] = {"type": "json_object"}
            raw = self.client.chat.completions.with_raw_response.create(**kwargs)
        body = reply_object(raw.http_response, self.base_url)
        tally.add_usage(body.get("usage"))
        content = str(_field(_field(_first(body.get("choices")), "message"), "content") or "")[:ANSWER_MAX_CHARS]
        tally.responses.append(content)
        data = extract_json_object(content)
        if data is None:
            raise DraftingError(
                f"The model '{self.model}' answered, but not with pin copy we could read (no JSON object).",
                fix="Press Draft again; if it keeps happening, choose a model that supports JSON output.",
                code="unparseable_answer",
            )
        try:
            data = _normalise(data)
            return schema.model_validate(normalise_slides(data) if schema is CarouselPinCopy else data), content
        except pydantic.ValidationError:
            raise DraftingError(
                f"The model '{self.model}' answered JSON without the title, description and alt text fields.",
                fix="Press Draft again, or choose a stronger model.",
                code="unparseable_answer",
            ) from None

    def _error(self, exc: openai.APIError) -> DraftingError:
        """A DraftingError naming the cause and the fix (never the key)."""
        where = self.base_url
        timeout = getattr(self.client, "timeout", None)
        if isinstance(exc, openai.APITimeoutError):
            return DraftingError(
                f"The LLM server at {where} did not answer within {timeout} s.",
                fix="Try again, raise STUDIO_LLM_TIMEOUT, or pick a faster model.",
                code="llm_timeout",
            )
        if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, AddressRefused):
            return DraftingError(
                f"The LLM server at {where} is on this machine or a private network, which an endpoint saved in "
                "the studio may not reach.",
                fix="Set OPENAI_BASE_URL in the environment (or .env) and restart, or set "
                "STUDIO_FETCH_ALLOW_PRIVATE=true.",
                code="llm_address_refused",
            )
        if isinstance(exc, openai.APIConnectionError):
            return DraftingError(
                f"Could not connect to the LLM server at {where}.",
                fix="Check OPENAI_BASE_URL and that the server is running.",
                code="llm_unreachable",
            )
        if isinstance(exc, openai.AuthenticationError):
            return DraftingError(
                f"The LLM server at {where} refused the API key (401).",
                fix="Set a valid OPENAI_API_KEY in your .env and restart.",
                code="llm_auth",
            )
        if isinstance(exc, openai.PermissionDeniedError):
            return DraftingError(
                f"The API key may not use model '{self.model}' (403).",
                fix="Choose another STUDIO_LLM_MODEL or check the key's permissions.",
                code="llm_forbidden",
            )
        if isinstance(exc, openai.RateLimitError):
            return DraftingError(
                "The LLM provider is rate-limiting us or the quota is used up (429).",
                fix="Wait a minute and try again, or check your plan and billing.",
                code="llm_rate_limited",
            )
        if isinstance(exc, openai.NotFoundError):
            return DraftingError(
                f"The LLM server has no model '{self.model}' (404).",
                fix="Set STUDIO_LLM_MODEL to a model the server lists (Settings → Test connection).",
                code="llm_model_not_found",
            )
        if isinstance(exc, openai.InternalServerError):
            status = getattr(exc, "status_code", 500)
            return DraftingError(
                f"The LLM server had an internal error ({status}).",
                fix="Try again in a moment; if it persists, check the server or provider status.",
                code="llm_server_error",
            )
        status = getattr(exc, "status_code", "")
        detail = _short(getattr(exc, "message", "") or str(exc))
        return DraftingError(
            f"The LLM server refused the request ({status}): {detail}",
            fix="Check STUDIO_LLM_MODEL and OPENAI_BASE_URL.",
            code="llm_refused",
        )


class _Tally:
    """Counts the calls, tokens and raw answers of one draft."""

    def __init__(self) -> None:
        self.calls = 0
        self.usage: dict[str, int] = {"prompt_tokens": 0, "completion_tokens": 0}
        self.responses: list[str] = []

    def add_usage(self, usage: object) -> None:
        for key in self.usage:
            count = _field(usage, key)
            self.usage[key] += count if isinstance(count, int) else 0


def reply_object(response: Any, where: str) -> dict:
    """The JSON object an OpenAI-compatible server answers (an `httpx2` response); a DraftingError for anything
    else, such as a web page or a proxy's login page where the API should be."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise DraftingError(
            f"The server at {where} answered, but not as an OpenAI-compatible API does (no JSON object).",
            fix="Check OPENAI_BASE_URL: it is the API's address (often ending in /v1), not a web page.",
            code="llm_bad_answer",
        )
    return body


def _first(items: object) -> object:
    return items[0] if isinstance(items, list) and items else None


def _field(value: object, name: str) -> object:
    return value.get(name) if isinstance(value, dict) else None


def _normalise(data: dict) -> dict:
    """Accept common near-misses: 'alt' / 'altText' for alt_text, keywords as one string."""
    data = dict(data)
    for alias in ("altText", "alt", "alt_description"):
        if "alt_text" not in data and alias in data:
            data["alt_text"] = data.pop(alias)
    if isinstance(data.get("keywords"), str):
        data["keywords"] = [k.strip() for k in data["keywords"].split(",") if k.strip()]
    data.setdefault("keywords", [])
    return data


def _pictures(request: DraftInput) -> list[dict]:
    """The pictures a model that can see is shown: each slide of a carousel, else the pin's image."""
    if request.slides:
        return slide_images(request, image_data_url)
    if request.image_path and Path(request.image_path).is_file():
        return [{"type": "image_url", "image_url": {"url": image_data_url(request.image_path)}}]
    return []


def _violations(copy: PinCopy) -> dict[str, int]:
    return {f: len(getattr(copy, f)) for f, limit in FIELD_LIMITS.items() if len(getattr(copy, f)) > limit}


def _has_image(messages: list[dict]) -> bool:
    return any(isinstance(m.get("content"), list) for m in messages)


def _without_images(messages: list[dict]) -> list[dict]:
    out = []
    for m in messages:
        if isinstance(m.get("content"), list):
            m = {**m, "content": " ".join(p.get("text", "") for p in m["content"] if p.get("type") == "text")}
        out.append(m)
    return out


def _mentions_image(exc: openai.APIError) -> bool:
    text = (getattr(exc, "message", "") or str(exc)).lower()
    return any(word in text for word in ("image", "vision", "multimodal"))


def _loggable(messages: list[dict]) -> list[dict]:
    """The messages with image data URLs shortened, so the log stays small."""
    out = []
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            content = [
                {**p, "image_url": {"url": p["image_url"]["url"][:40] + "…"}} if p.get("type") == "image_url" else p
                for p in content
            ]
        out.append({**m, "content": content})
    return out


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register_drafter("openai")
def _openai(settings: Settings) -> OpenAIDrafter:
    return OpenAIDrafter(
        build_client(settings),
        settings.llm_model,
        voice=BrandVoice.from_settings(settings),
        temperature=settings.llm_temperature,
        vision=settings.llm_vision,
        max_tokens=settings.llm_max_tokens,
    )


OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"


def _same_endpoint(a: str | None, b: str | None) -> bool:
    return (a or OPENAI_DEFAULT_BASE).strip().rstrip("/").lower() == (b or OPENAI_DEFAULT_BASE).strip().rstrip(
        "/"
    ).lower()


def check_connection(
    settings: Settings,
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
) -> str:
    """Check the endpoint answers and knows the model; returns a sentence, raises DraftingError.

    The configured OPENAI_API_KEY only ever goes to the configured base URL: a typed URL that differs
    is tested with the typed `api_key`, or with none (a key typed here would otherwise leak to any
    server someone types in).
    """
    overrides: dict[str, Any] = {k: v for k, v in {"llm_model": model, "openai_base_url": base_url}.items() if v}
    if base_url and not _same_endpoint(base_url, settings.openai_base_url):
        overrides["openai_api_key"] = SecretStr(api_key) if api_key else None
    elif api_key:
        overrides["openai_api_key"] = SecretStr(api_key)
    cfg = settings.model_copy(update=overrides)
    if (provider or cfg.effective_llm_provider()) == "offline":
        return "The offline template drafter needs no connection (it is a template, not an AI model)."
    client = build_client(cfg)
    drafter = OpenAIDrafter(client, cfg.llm_model)
    where = base_url or cfg.openai_base_url or "https://api.openai.com/v1"
    try:
        listed = client.models.with_raw_response.list(timeout=min(cfg.llm_timeout_s, 15.0))
        data = reply_object(listed.http_response, where).get("data")  # read here: the SDK trusts its shape
        models = [str(m["id"]) for m in (data if isinstance(data, list) else []) if isinstance(m, dict) and m.get("id")]
    except openai.NotFoundError:
        models = []  # some servers have no /models: the chat call below still proves the connection
    except openai.APIError as exc:
        raise drafter._error(exc) from exc
    if models and cfg.llm_model not in models:
        shown = ", ".join(models[:8]) + ("…" if len(models) > 8 else "")
        raise DraftingError(
            f"Connected to {where}, but it has no model '{cfg.llm_model}'.",
            fix=f"Set STUDIO_LLM_MODEL to one of: {shown}.",
            code="llm_model_not_found",
        )
    return f"Connected to {where}: model '{cfg.llm_model}' is available" + (
        f" ({len(models)} models listed)." if models else "."
    )
