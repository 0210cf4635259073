"""`drtui bundles`: the compute-bundle browser's rows for scripts, as JSON lines or CSV."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence

import httpx

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.cli.fleet import EXIT_UNKNOWN, quiet_broken_pipe
from drtui.core.bundles import (
    BUNDLE_FIELDS,
    NO_BUNDLES_FEATURE,
    BundleRow,
    bundle_record,
    bundle_rows,
    flat_bundle_record,
    narrow,
)
from drtui.core.export import write_csv


async def _fetch_bundles(
    config: ResolvedConfig, use_cases: Sequence[str], timeout: float | None
) -> list[BundleRow]:
    async def fetch() -> list[BundleRow]:
        async with DataRobotClient.from_config(config) as client:
            return bundle_rows(await client.list_all_bundles(use_cases=use_cases))

    if timeout is None:
        return await fetch()
    return await asyncio.wait_for(fetch(), timeout)


def print_bundles(
    config: ResolvedConfig,
    use_cases: Sequence[str],
    fmt: str,
    *,
    include_deleted: bool = False,
    timeout: float | None = None,
) -> int:
    """Every compute bundle (all pages) of the use cases asked, as JSON lines or CSV.

    Exit 3 when they could not be listed, including an account without the resource-bundles
    feature (a preview: the server answers 403/404), said in one sentence.
    """
    try:
        rows = asyncio.run(_fetch_bundles(config, use_cases, timeout))
    except (NotFoundError, PermissionDeniedError):
        print(f"drtui: {NO_BUNDLES_FEATURE}", file=sys.stderr)
        return EXIT_UNKNOWN
    except DataRobotError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN
    except TimeoutError:
        host = httpx.URL(config.endpoint).host
        print(
            f"drtui: {host} did not give the bundles within {timeout:g} seconds (--timeout).",
            file=sys.stderr,
        )
        return EXIT_UNKNOWN
    shown = narrow(rows, show_deleted=include_deleted)
    try:
        if fmt == "csv":
            write_csv(sys.stdout, BUNDLE_FIELDS, (flat_bundle_record(row) for row in shown))
        else:
            for row in shown:
                sys.stdout.write(json.dumps(bundle_record(row), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    return 0
