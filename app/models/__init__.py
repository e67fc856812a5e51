"""Tables. Importing this package registers every table on `SQLModel.metadata`.

Only Alembic migrations create or change these tables; nothing calls `create_all`.
"""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from app.models.categories import Category  # noqa: E402
from app.models.contributions import Contribution, ContributionSource  # noqa: E402
from app.models.countries import Country  # noqa: E402
from app.models.curation import (  # noqa: E402
    ApiKey,
    IdempotencyRecord,
    OutboxMessage,
    Revision,
    Webhook,
)
from app.models.data_version import DataVersion, DataVersionPending  # noqa: E402
from app.models.memberships import (  # noqa: E402
    DatasetPeriod,
    ImportConflict,
    Membership,
    MembershipEvent,
    MembershipEventSource,
    StatusPeriod,
)
from app.models.organizations import (  # noqa: E402
    Listing,
    ListingSource,
    Organization,
    OrganizationCategory,
    OrganizationClaim,
    OrganizationClaimSource,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationNameSource,
)
from app.models.sources import Source  # noqa: E402

__all__ = [
    "ApiKey",
    "Category",
    "Contribution",
    "ContributionSource",
    "Country",
    "DataVersion",
    "DataVersionPending",
    "DatasetPeriod",
    "IdempotencyRecord",
    "ImportConflict",
    "Listing",
    "ListingSource",
    "Membership",
    "MembershipEvent",
    "MembershipEventSource",
    "Organization",
    "OrganizationCategory",
    "OrganizationClaim",
    "OrganizationClaimSource",
    "OrganizationIdentifier",
    "OrganizationName",
    "OrganizationNameSource",
    "OutboxMessage",
    "Revision",
    "SQLModel",
    "Source",
    "StatusPeriod",
    "Webhook",
]
