"""Upgrading stores written by older versions of infoint.

Each step is a pure function from the document of version N (as parsed JSON) to
the document of version N+1; `upgrade` chains them. The store keeps a byte-for-
byte backup before the first write in the new form. Each change to the stored
shape adds a step here and a golden file under tests/fixtures/: version 2 gave
each machine its own change log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infoint.errors import StoreError
from infoint.models import SCHEMA_VERSION

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _per_machine_logs(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2: each machine keeps its own change log (see logs.py). The one shared
    log of version 1 is the "shared" log, folded up to the snapshot's `seq`."""
    data["folded"] = {"shared": int(data.get("seq") or 0)}
    data["hlc"] = 0
    return data


#: version N -> the function that turns a version-N document into version N+1
STEPS: dict[int, Step] = {1: _per_machine_logs}


def upgrade(data: dict[str, Any], steps: dict[int, Step] | None = None) -> dict[str, Any]:
    """The document brought up to SCHEMA_VERSION, one step at a time."""
    chain = STEPS if steps is None else steps
    version = data["schema_version"]
    while version < SCHEMA_VERSION:
        step = chain.get(version)
        if step is None:
            raise StoreError(
                f"This infoint cannot upgrade a store of schema_version {version}.",
                hint="Open it with the infoint version that wrote it, or restore a backup.",
            )
        data = step(dict(data))
        version += 1
        data["schema_version"] = version
    return data
