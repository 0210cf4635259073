"""Deleted deployments (admin only), resource bundles, the PPS image and its metadata."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from drtui.emulator.download import presigned_url, serve_blob
from drtui.emulator.paging import envelope, parse_paging
from drtui.emulator.responses import ApiError, dumps, json_response, validation_error
from drtui.emulator.routes.common import accepted, endpoint, json_body
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import ADMIN_PERMISSION, Account

BUNDLE_USE_CASES = ("customApplication", "customJob", "customModel", "sapAICore")
ERASE_MAX = 100


def _require_admin(account: Account) -> None:
    if not account.is_admin:
        raise ApiError(403, f"This requires the {ADMIN_PERMISSION} permission.")


@endpoint
async def list_deleted(request: Request, state: EmulatorState, account: Account) -> Response:
    """The deleted list has no totalCount (PROTOCOL-NOTES)."""
    _require_admin(account)
    offset, limit = parse_paging(request.query_params, 20, 100)
    with state.lock:
        deleted = list(state.deleted)
    page = [dumps(item) for item in deleted[offset : offset + limit]]
    return json_response(envelope(request, page, offset, limit, len(deleted), with_total=False))


@endpoint
async def erase_deleted(request: Request, state: EmulatorState, account: Account) -> Response:
    _require_admin(account)
    body = await json_body(request)
    if not isinstance(body, dict) or body.get("action") != "PermanentlyErase":
        raise validation_error("action", "must be PermanentlyErase")
    ids = body.get("deploymentIds")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise validation_error("deploymentIds", "must be a non-empty list of ids")
    if len(ids) > ERASE_MAX:
        raise validation_error("deploymentIds", f"must hold at most {ERASE_MAX} ids")
    return accepted(request, state.erase_deleted(ids))


@endpoint
async def list_bundles(request: Request, state: EmulatorState, account: Account) -> Response:
    offset, limit = parse_paging(request.query_params, 100, 100)
    wanted = [
        part.strip()
        for raw in request.query_params.getlist("useCases")
        for part in raw.split(",")
        if part.strip()
    ]
    for use_case in wanted:
        if use_case not in BUNDLE_USE_CASES:
            raise validation_error(
                "useCases",
                f"invalid value {use_case!r}; expected one of {', '.join(BUNDLE_USE_CASES)}",
            )
    bundles = [b for b in state.bundles if not wanted or set(wanted) & set(b["useCases"])]
    page = [dumps(b) for b in bundles[offset : offset + limit]]
    return json_response(envelope(request, page, offset, limit, len(bundles)))


@endpoint
async def get_bundle(request: Request, state: EmulatorState, account: Account) -> Response:
    bundle_id = request.path_params["bundle_id"]
    for bundle in state.bundles:
        if bundle["id"] == bundle_id:
            return json_response(bundle)
    raise ApiError(404, f"Resource bundle {bundle_id} not found.")


@endpoint
async def pps_metadata(request: Request, state: EmulatorState, account: Account) -> Response:
    return json_response(state.image.metadata)


@endpoint
async def pps_download(request: Request, state: EmulatorState, account: Account) -> Response:
    """302 to the download listener when there is one (EmulatorServer); in-process, where no
    second listener exists, the image is served here directly with 200 (or 206 for a Range)."""
    if state.download_base_url:
        target = presigned_url(state, state.download_base_url, state.clock.now())
        return RedirectResponse(target, status_code=302)
    return serve_blob(request, state)


routes = [
    Route("/api/v2/deletedDeployments/", list_deleted, methods=["GET"]),
    Route("/api/v2/deletedDeployments/", erase_deleted, methods=["PATCH"]),
    Route("/api/v2/mlops/compute/bundles/", list_bundles, methods=["GET"]),
    Route("/api/v2/mlops/compute/bundles/{bundle_id}/", get_bundle, methods=["GET"]),
    Route("/api/v2/mlops/portablePredictionServerImage/", pps_download, methods=["GET"]),
    Route("/api/v2/mlops/portablePredictionServerImage/metadata/", pps_metadata, methods=["GET"]),
]
