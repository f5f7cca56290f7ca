from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from yichuang.config.api import api

admin.site.site_header = _("一窗 政务服务平台管理")
admin.site.site_title = _("一窗管理")
admin.site.index_title = _("中心配置")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("yichuang.cases.urls")),
    path("", include("yichuang.web.urls")),
]
