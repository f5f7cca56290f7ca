from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from yichuang.config.api import api
from yichuang.web.forms_auth import ThrottledAuthenticationForm

admin.site.site_header = _("一窗 政务服务平台管理")
admin.site.site_title = _("一窗管理")
admin.site.index_title = _("中心配置")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # The portal's own page after logout (the admin's registration/logged_out.html would
    # otherwise win, django.contrib.admin coming first in INSTALLED_APPS).
    path(
        "accounts/logout/",
        auth_views.LogoutView.as_view(template_name="registration/portal_logged_out.html"),
        name="logout",
    ),
    # The page login shares the API token endpoint's lockout (identity.tokens).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("yichuang.cases.urls")),
    path("", include("yichuang.hall.urls")),
    path("", include("yichuang.web.urls")),
]
