"""Python client for the Tollgate LLM gateway, over gRPC.

    from tollgate import Tollgate

    with Tollgate("localhost:4000", api_key="sk-...") as tg:
        print(tg.chat("gpt-4o-mini", [{"role": "user", "content": "Hi"}]).choices[0].message.text)

The messages are the generated `tollgate.v1` types (`tollgate.v1.completions_pb2`, ...).
"""

from .client import Tollgate
from .errors import (
    AuthenticationError,
    BudgetExceededError,
    DeadlineExceededError,
    InternalError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TollgateError,
    UnavailableError,
    UpstreamError,
)
from .v1.directory_pb2 import TEAM_ROLE_ADMIN, TEAM_ROLE_USER

__version__ = "0.1.0"

__all__ = [
    "TEAM_ROLE_ADMIN",
    "TEAM_ROLE_USER",
    "AuthenticationError",
    "BudgetExceededError",
    "DeadlineExceededError",
    "InternalError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Tollgate",
    "TollgateError",
    "UnavailableError",
    "UpstreamError",
]
