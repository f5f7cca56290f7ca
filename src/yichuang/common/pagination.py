"""Keyset (cursor) pagination for the lists that grow with the cases.

OFFSET pagination reads and throws away every row before the page, and the exact count
that goes with it reads every row of the list: both grow with the data. A keyset page
starts after the sort key of the previous page's last row instead, so every page costs
what the first one does when an index matches the filter and the order.

- The order is a `Keyset`: fields in one direction, the last one unique (the primary
  key), so that no two rows tie and none is skipped or repeated between pages.
- The first field may be nullable (a due date not known yet); such a key is ordered
  NULLS LAST, ascending only. A page crossing from the dated rows to the undated ones
  takes a second query; every other page takes one.
- `has_more` comes from fetching one row more than the page; no list counts its rows.
- The cursor handed out as `next` is opaque: URL-safe base64 of the list's name and the
  last row's sort key. A cursor is only a position: it never widens what the caller may
  see, since it filters a queryset already narrowed by the access functions. A cursor
  that does not decode, or belongs to another list, is `invalid_cursor` (422).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import BadRequest
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yichuang.common.errors import DomainError

T = TypeVar("T", bound=Model)

CURSOR_MAX_LENGTH = 200
# Rows per page of a paged list on a page (the API lists take `page_size`).
LIST_PAGE_SIZE = 25
_MAX_ID = 2**63 - 1


class InvalidCursor(DomainError):
    status = 422


def invalid_cursor() -> InvalidCursor:
    return InvalidCursor(
        code="invalid_cursor", message=_("分页游标无效，请从第一页重新开始"), field="cursor"
    )


@dataclass(frozen=True)
class Keyset:
    """The order of one list: `fields` are model fields of the listed rows, each of a
    type in `kinds` (int, date or aware datetime), the last one unique."""

    name: str
    fields: tuple[str, ...]
    kinds: tuple[type, ...]
    descending: bool = False
    nullable_first: bool = False

    def __post_init__(self) -> None:
        assert len(self.fields) == len(self.kinds) >= 1
        assert not (self.descending and self.nullable_first), "NULLS LAST ascending only"

    def ordering(self) -> list[OrderBy]:
        order = [F(name).desc() if self.descending else F(name).asc() for name in self.fields]
        if self.nullable_first:
            order[0] = F(self.fields[0]).asc(nulls_last=True)
        return order


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next: str | None

    @property
    def has_more(self) -> bool:
        return self.next is not None


# -- the cursor ----------------------------------------------------------------------------


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decode_value(raw: Any, kind: type) -> Any:
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= _MAX_ID:
            raise ValueError(raw)
        return raw
    if not isinstance(raw, str) or len(raw) > 40:
        raise ValueError(raw)
    if kind is dt.datetime:
        value = dt.datetime.fromisoformat(raw)
        if value.tzinfo is None:
            raise ValueError(raw)
        return value
    if kind is dt.date:
        return dt.date.fromisoformat(raw)
    raise ValueError(kind)


def cursor_encode(keyset: Keyset, row: Model) -> str:
    key = [_encode_value(getattr(row, name)) for name in keyset.fields]
    raw = json.dumps([keyset.name, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def cursor_decode(keyset: Keyset, cursor: str) -> list[Any]:
    """The sort key in `cursor`; `invalid_cursor` for anything but a cursor of this list."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH or not cursor.isascii():
            raise ValueError(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
        if not isinstance(parts, list) or len(parts) != len(keyset.fields) + 1:
            raise ValueError(parts)
        if parts[0] != keyset.name:
            raise ValueError(parts[0])
        values = []
        for position, (value, kind) in enumerate(zip(parts[1:], keyset.kinds, strict=True)):
            if value is None and position == 0 and keyset.nullable_first:
                values.append(None)
            else:
                values.append(_decode_value(value, kind))
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise invalid_cursor() from None


# -- the page ------------------------------------------------------------------------------


def _after(fields: Sequence[str], values: Sequence[Any], *, descending: bool) -> Q:
    """Rows whose key (fields) comes after `values`, written so that an index on the fields
    seeks to the first one: `a >= x AND (a > x OR (b >= y AND (b > y OR …)))`."""
    beyond, reach = ("lt", "lte") if descending else ("gt", "gte")
    condition = Q(**{f"{fields[-1]}__{beyond}": values[-1]})
    for name, value in zip(reversed(fields[:-1]), reversed(values[:-1]), strict=True):
        condition = Q(**{f"{name}__{reach}": value}) & (
            Q(**{f"{name}__{beyond}": value}) | condition
        )
    return condition


def keyset_page(queryset: QuerySet[T], *, keyset: Keyset, cursor: str | None, size: int) -> Page[T]:
    """The page of `queryset` (filtered, not yet ordered) after `cursor`, in the keyset's
    order: at most `size` rows and the cursor of the next page, if there is one."""
    ordered = queryset.order_by(*keyset.ordering())
    fields, want = keyset.fields, size + 1
    if cursor is None:
        rows = list(ordered[:want])
    else:
        values = cursor_decode(keyset, cursor)
        if keyset.nullable_first and values[0] is None:
            rows = list(
                ordered.filter(
                    Q(**{f"{fields[0]}__isnull": True})
                    & _after(fields[1:], values[1:], descending=False)
                )[:want]
            )
        else:
            after = _after(fields, values, descending=keyset.descending)
            rows = list(ordered.filter(after)[:want])
            if keyset.nullable_first and len(rows) < want:
                # The dated rows ran out: the undated ones come last.
                undated = ordered.filter(**{f"{fields[0]}__isnull": True})
                rows += list(undated[: want - len(rows)])
    if len(rows) > size:
        rows = rows[:size]
        return Page(rows=rows, next=cursor_encode(keyset, rows[-1]))
    return Page(rows=rows, next=None)


# -- pages ---------------------------------------------------------------------------------


def list_page(
    request: HttpRequest,
    rows: QuerySet[Any],
    *,
    keyset: Keyset,
    param: str = "cursor",
    size: int = LIST_PAGE_SIZE,
) -> Page[Any]:
    """The page of `rows` after the cursor in the query string's `param`, for a page (an
    HTML list); a cursor that is not one is a 400 page."""
    try:
        return keyset_page(rows, keyset=keyset, cursor=request.GET.get(param) or None, size=size)
    except InvalidCursor as error:
        raise BadRequest(error.message) from error


@dataclass(frozen=True)
class Pager:
    """The links of a paged list: back to the first page (when not on it) and on."""

    first: str | None
    next: str | None


def pager(request: HttpRequest, page: Page[Any], *, param: str = "cursor") -> Pager:
    """The pager links of `page`, keeping the rest of the query string."""

    def link(cursor: str | None) -> str:
        query = request.GET.copy()
        query.pop(param, None)
        if cursor is not None:
            query[param] = cursor
        return f"?{query.urlencode()}"

    return Pager(
        first=link(None) if request.GET.get(param) else None,
        next=link(page.next) if page.next else None,
    )
