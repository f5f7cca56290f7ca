"""Helpers the apps' admins share to route every write through their services."""

from __future__ import annotations

from django import forms
from django.db.models import Model

from yichuang.common.errors import DomainError


def adopt(target: Model, saved: Model) -> None:
    """Copy a row saved by a service into the instance the admin keeps using."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def raise_as_form_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error next to its field (or above the form when it has none)."""
    field = error.field if error.field in form.fields else None
    raise forms.ValidationError({field: error.message} if field else error.message)
