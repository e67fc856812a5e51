"""Version 1 of the public API (docs/api-v1.md)."""

from fastapi import APIRouter, Depends

from app.api.auth import check_read_access
from app.api.deps import check_request_parameters, stamp_data_version
from app.api.v1 import (
    categories,
    changes,
    conflicts,
    contributions,
    countries,
    exports,
    keys,
    memberships,
    meta,
    organizations,
    reconcile,
    sources,
    stats,
    webhooks,
)

router = APIRouter(
    prefix="/v1",
    dependencies=[
        Depends(check_request_parameters),
        Depends(check_read_access),
        Depends(stamp_data_version),
    ],
)
for module in (
    organizations,
    categories,
    countries,
    memberships,
    sources,
    contributions,
    stats,
    exports,
    meta,
    changes,
    conflicts,
    keys,
    webhooks,
    reconcile,
):
    router.include_router(module.router)
