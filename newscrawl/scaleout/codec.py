"""What crosses Redis, as JSON: items and operations (bytes as base64).

JSON, not pickle: a Redis shared between machines must not be a way to run
code in the writer.
"""

from __future__ import annotations

import base64
import json


def _encode(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "keys") and hasattr(value, "__getitem__"):  # a scrapy Item
        return dict(value)
    raise TypeError(f"{type(value).__name__} cannot be sent through Redis")


def _decode(obj: dict):
    if len(obj) == 1 and "$b" in obj:
        return base64.b64decode(obj["$b"])
    return obj


def dumps(value) -> str:
    return json.dumps(value, default=_encode, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes):
    return json.loads(text, object_hook=_decode)
