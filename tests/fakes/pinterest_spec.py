"""Pinterest's official OpenAPI description as jsonschema validators (never copied into the project)."""

from __future__ import annotations

import copy
import json
import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
URI = "urn:pinterest-openapi-v5"


def spec_path() -> Path:
    return Path(os.environ.get("PINTEREST_OPENAPI_SPEC") or ROOT.parent / "shared" / "pinterest" / "openapi-v5.json")


def _openapi_to_jsonschema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable`, and `discriminator` mappings as if/then branches."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _openapi_to_jsonschema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    disc = node.get("discriminator")
    if isinstance(disc, dict) and disc.get("mapping"):
        prop = disc["propertyName"]
        node.pop("oneOf", None)
        node["allOf"] = [
            *node.get("allOf", []),
            *[
                {"if": {"properties": {prop: {"const": key}}, "required": [prop]}, "then": {"$ref": URI + ref}}
                for key, ref in disc["mapping"].items()
            ],
        ]
        node.setdefault("properties", {}).setdefault(prop, {})
        node["properties"][prop] = {**node["properties"][prop], "enum": list(disc["mapping"])}
        node["required"] = sorted(set(node.get("required", [])) | {prop})
    if "$ref" in node and node["$ref"].startswith("#"):
        node["$ref"] = URI + node["$ref"]
    return node


class SpecValidator:
    """Validates request bodies and query strings of the operations the fake serves."""

    def __init__(self, path: Path) -> None:
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        raw = json.loads(path.read_text())
        self.spec = _openapi_to_jsonschema(copy.deepcopy(raw))
        resource = Resource(contents=self.spec, specification=DRAFT202012)
        self.registry = Registry().with_resource(URI, resource)
        self._jsonschema = jsonschema
        self._cache: dict = {}

    def _validator(self, schema: dict):
        key = json.dumps(schema, sort_keys=True)
        if key not in self._cache:
            self._cache[key] = self._jsonschema.Draft202012Validator(schema, registry=self.registry)
        return self._cache[key]

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            parts = node["$ref"].removeprefix(URI + "#/").split("/")
            target = self.spec
            for part in parts:
                target = target[part]
            node = target
        return node

    def check(self, method: str, template: str, query: dict[str, list[str]], body, content_type: str) -> list[str]:
        """Problems with one request ([] when it matches the spec)."""
        op = self.spec["paths"][template][method.lower()]
        problems: list[str] = []
        params = {p["name"]: p for p in (self._resolve(p) for p in op.get("parameters", [])) if p["in"] == "query"}
        for name, values in query.items():
            if name not in params:
                problems.append(f"query parameter {name!r} is not in the spec")
                continue
            schema = params[name]["schema"]
            resolved = self._resolve(schema)
            value = values if resolved.get("type") == "array" else values[-1]
            if resolved.get("type") == "integer":
                try:
                    value = int(value)
                except ValueError:
                    problems.append(f"query {name}={value!r} is not an integer")
                    continue
            if resolved.get("type") == "boolean":  # a query string says true/false in words
                if value not in ("true", "false"):
                    problems.append(f"query {name}={value!r} is not true or false")
                    continue
                value = value == "true"
            problems += [
                f"query {name}: {e.message}"
                for e in self._validator(schema).iter_errors(value)
                # Pinterest's metric lists are a oneOf of overlapping enums (IMPRESSION is in both): a value
                # that several branches accept is valid for Pinterest's server, whatever strict oneOf says.
                if not (e.validator == "oneOf" and "is valid under each of" in e.message)
            ]
        request_body = op.get("requestBody")
        if request_body:
            if content_type not in request_body["content"]:
                problems.append(f"content type {content_type!r} not accepted (spec: {list(request_body['content'])})")
            else:
                schema = request_body["content"][content_type]["schema"]
                problems += [
                    f"body {'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in self._validator(schema).iter_errors(body)
                ]
        return problems


@lru_cache(maxsize=1)
def load_validator() -> SpecValidator | None:
    path = spec_path()
    return SpecValidator(path) if path.is_file() else None
