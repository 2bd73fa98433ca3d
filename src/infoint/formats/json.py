"""infoint's own JSON export: the whole store document, which `import json` merges back."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infoint.models import StoreDoc


def write(doc: StoreDoc) -> bytes:
    return doc.model_dump_json(indent=1).encode() + b"\n"
