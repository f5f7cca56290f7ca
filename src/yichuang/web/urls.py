from django.urls import path

from yichuang.web import views, views_cases, views_messages

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_guide, name="item_guide"),
    path("bundles/<slug:code>/", views.bundle_detail, name="bundle_detail"),
    path("preferences/large-text/", views.large_text, name="large_text"),
    path("landing/", views_cases.landing, name="landing"),
    path("cases/lookup/", views_cases.lookup, name="case_lookup"),
    path("apply/<str:code>/", views_cases.apply, name="apply"),
    path("my/cases/", views_cases.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", views_cases.my_case, name="my_case"),
    path(
        "my/cases/<str:number>/materials/",
        views_cases.material_upload,
        name="my_case_material_upload",
    ),
    path("my/cases/<str:number>/submit/", views_cases.case_submit, name="my_case_submit"),
    path("my/cases/<str:number>/withdraw/", views_cases.case_withdraw, name="my_case_withdraw"),
    path(
        "my/cases/<str:number>/supplement/",
        views_cases.supplement_submit,
        name="my_case_supplement",
    ),
    path(
        "my/cases/<str:number>/notices/<str:notice_number>.pdf",
        views_cases.notice_pdf,
        name="my_case_notice_pdf",
    ),
    path("my/messages/", views_messages.my_messages, name="my_messages"),
    path("my/messages/read-all/", views_messages.messages_read_all, name="messages_read_all"),
    path("my/messages/<int:pk>/read/", views_messages.message_read, name="message_read"),
]
