"""The login page's form: the same credentials check and lockout as the API token endpoint.

`identity.tokens.credentials_check` counts failures per user name; after
`LOGIN_MAX_FAILURES` of them the name is locked for `LOGIN_LOCK_MINUTES`, on the page
as for `POST /api/v1/auth/token`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from yichuang.common.errors import DomainError
from yichuang.identity.tokens import credentials_check

# The backend whose rules `credentials_check` applies (password, active account).
BACKEND = "django.contrib.auth.backends.ModelBackend"


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                user = credentials_check(username=username, password=password)
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
            user.backend = BACKEND
            self.user_cache = user
            self.confirm_login_allowed(user)
        return self.cleaned_data
