"""Version 1 of the public API (shared/docs/api-v1.md)."""

from fastapi import APIRouter, Depends

from app.api.params import check_request_parameters
from app.api.v1 import categories, countries, memberships, organizations, sources

router = APIRouter(prefix="/v1", dependencies=[Depends(check_request_parameters)])
for module in (organizations, categories, countries, memberships, sources):
    router.include_router(module.router)
