"""`/api/v1/auth/token`: exchange a user name and password for a bearer token, revoke it.

The shape is fixed (other systems rely on it): `{"username", "password"}` → 200
`{"token": …, "expires_at": …}`; wrong credentials → 401 `invalid_credentials`; too many
failures → 429 `account_locked`.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from yichuang.common.auth import BearerTokenAuth
from yichuang.common.schemas import ErrorOut
from yichuang.identity.tokens import token_issue, token_revoke

router = Router(tags=["接口认证"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150, description="用户名")
    password: str = Field(min_length=1, max_length=4096, description="密码")


class TokenOut(Schema):
    token: str = Field(description="访问令牌，仅显示一次；请求时放在 Authorization: Bearer 头中")
    expires_at: dt.datetime = Field(description="过期时间")


@router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="用用户名和密码换取访问令牌",
    auth=None,
)
def token_create(request: HttpRequest, payload: TokenIn):
    """Repeated failures lock the user name for a while (429 `account_locked`)."""
    issued = token_issue(username=payload.username, password=payload.password)
    return {"token": issued.token, "expires_at": issued.expires_at}


@router.delete(
    "/token",
    response={204: None, 401: ErrorOut},
    summary="注销当前访问令牌",
    auth=BearerTokenAuth(),
)
def token_delete(request: HttpRequest):
    token_revoke(token=request.api_token)  # type: ignore[attr-defined]
    return Status(204, None)
