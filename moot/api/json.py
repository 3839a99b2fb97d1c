"""JSON responses (orjson), and the check that a response matches its declared model."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from starlette.responses import Response


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ResponseShapeError(AssertionError):
    """A response did not match its declared model (only checked when validation is on)."""


def check_shape(model: type[BaseModel], data: Any) -> None:
    """The data must validate as the model, hold no nulls, and carry no undeclared fields."""
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise ResponseShapeError(f"{model.__name__}: {exc}") from exc
    round_trip = parsed.model_dump(mode="json", exclude_none=True)
    if round_trip != orjson.loads(orjson.dumps(data)):
        raise ResponseShapeError(f"{model.__name__}: fields differ from the model: "
                                 f"{_diff(round_trip, data)}")


def _diff(expected: Any, actual: Any, path: str = "") -> str:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in expected:
                return f"{path}.{key} is not in the model (or is null)"
            if key not in actual:
                return f"{path}.{key} missing"
            found = _diff(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path} length"
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            found = _diff(a, b, f"{path}[{i}]")
            if found:
                return found
        return ""
    return "" if expected == actual else f"{path}: {expected!r} != {actual!r}"
