"""The list path's slim reading of ``GET /deployments/``: only what the table, filters, health,
alerts and ``drtui deployments`` read, plus each record's own JSON text for the detail pane.

Why not pydantic here: validating 100 pages of full nested models cost ~0.6 s per 10,000
deployments (and a fleet of 600,000 objects the collector had to scan), against ~0.15 s for
the C JSON scanner alone. So a page is split by the standard library's scanner into records,
each kept as its JSON text (``SlimDeployment.text``; the full ``Deployment`` is validated from it
on demand, ``full_deployment``), and the few shown fields are read from the decoded record.

The lenient guarantees are the models' own: a value of the usual type (a string, an int, null)
is taken as is; any other value is handed to the very pydantic type the full model uses for that
field (``lenient.py``), imported only then, so the slim and the full reading cannot disagree on
an odd value. A record that is not an object is dropped and counted (``skipped``); a body that
is not JSON, or has no ``data`` list, is refused (``SlimPageError``), as ``Page`` does.

Field names: the wire keys are the models' aliases (camelCase of the ``Deployment`` field
names); ``tests/api/test_slim.py`` checks every key read against the models.

``read_page`` (here) takes the fast reading (slim_fast.py, msgspec) and falls back on the
general one (slim_general.py); both make the records of slim_records.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

from drtui.api.models.slim_fast import fast_page
from drtui.api.models.slim_general import (
    Defer,
    general_split,
    lenient_int,
    lenient_str,
    slim_deployment,
    walk,
)
from drtui.api.models.slim_records import (
    NOTHING_KNOWN,
    Known,
    SlimDeployment,
    SlimPage,
    SlimPageError,
)


@overload
def read_page(content: bytes) -> SlimPage[SlimDeployment]: ...
@overload
def read_page(content: bytes, known: Mapping[str, Known]) -> SlimPage[Known]: ...
def read_page(content: bytes, known: Mapping[str, Any] = NOTHING_KNOWN) -> SlimPage[Any]:
    """One page of ``GET /deployments/`` read slim; ``SlimPageError`` when it is not a page.

    ``known`` maps record texts the caller has already read (the last poll's, by its rows) to
    what it holds for them: a record whose text is there, byte for byte, is not decoded again
    and ``data`` holds the caller's object in its place (on a poll most of a fleet is
    unchanged: reading a record costs ~25 µs, looking its text up ~1 µs)."""
    fast = fast_page(content, known)
    if fast is not None:
        return fast
    try:
        envelope, records, dropped = walk(content.decode("utf-8"))
    except (Defer, ValueError, IndexError, StopIteration, RecursionError):
        (envelope, records), dropped = general_split(content), 0
    if records is None:
        raise SlimPageError(not_json=False)
    data = [
        held if (held := known.get(text)) is not None else slim_deployment(item, text)
        for item, text in records
        if type(item) is dict
    ]
    return SlimPage(
        data,
        lenient_int(envelope.get("count")),
        lenient_int(envelope.get("totalCount")),
        lenient_str(envelope.get("next")),
        dropped=dropped,
    )
