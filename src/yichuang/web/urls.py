from django.urls import path

from yichuang.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_guide, name="item_guide"),
    path("bundles/<slug:code>/", views.bundle_detail, name="bundle_detail"),
    path("preferences/large-text/", views.large_text, name="large_text"),
]
