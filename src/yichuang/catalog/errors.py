"""Errors of the catalogue: each has a machine `code` and a Chinese `message`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yichuang.common.errors import Conflict, DomainError, NotFound


class ItemNotFound(NotFound):
    """No published service item with that implementation code (HTTP 404)."""

    def __init__(self, *, code: str = "item_not_found", message: str | None = None, **kwargs):
        super().__init__(code=code, message=message or _("未找到该事项或事项未发布"), **kwargs)


class BundleNotFound(NotFound):
    """No published bundle with that code (HTTP 404)."""

    def __init__(self, *, code: str = "bundle_not_found", message: str | None = None, **kwargs):
        super().__init__(code=code, message=message or _("未找到该一件事或尚未发布"), **kwargs)


class VersionNotDraft(Conflict):
    """Only a draft version may be edited or published (HTTP 409)."""

    def __init__(self, *, code: str = "version_not_draft", message: str | None = None, **kwargs):
        super().__init__(
            code=code,
            message=message or _("只能修改或发布草稿版本；已发布的事项请先创建新草稿"),
            **kwargs,
        )


class ItemCodeTaken(Conflict):
    """Another item already has this implementation code (HTTP 409)."""


class CatalogInvalid(DomainError):
    """Fields of an item or version are malformed (HTTP 422); `details` lists them."""


class PublishRejected(DomainError):
    """The version breaks publish rules (HTTP 422).

    `details` lists every violation at once: `[{"code", "field", "message"}, …]`.
    """
