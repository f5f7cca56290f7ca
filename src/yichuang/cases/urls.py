"""Pages of the staff back office."""

from django.urls import path

from yichuang.cases import views

app_name = "cases"

desk_case = "desk/cases/<str:number>/"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/open/", views.case_open, name="case_open"),
    path(desk_case, views.desk_case, name="desk_case"),
    path(f"{desk_case}materials/", views.material_upload, name="material_upload"),
    path(f"{desk_case}correction/", views.request_correction, name="request_correction"),
    path(f"{desk_case}accept/", views.accept, name="accept"),
    path(f"{desk_case}accept-pending/", views.accept_pending, name="accept_pending"),
    path(f"{desk_case}one-time-notice/", views.one_time_notice, name="one_time_notice"),
    path(f"{desk_case}refuse/", views.refuse, name="refuse"),
    path(f"{desk_case}conclude/", views.window_conclude, name="window_conclude"),
    path(f"{desk_case}refuse-decision/", views.window_refuse, name="window_refuse"),
    path(f"{desk_case}result/", views.result_issue, name="result_issue"),
    path(f"{desk_case}supplement/", views.supplement_received, name="supplement_received"),
    path("cases/<str:number>/materials/<int:pk>/file", views.material_file, name="material_file"),
    path("cases/<str:number>/notices/<int:pk>/pdf", views.notice_file, name="notice_file"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/tasks/<int:pk>/", views.task_page, name="task"),
    path("inbox/tasks/<int:pk>/<slug:panel>/", views.task_action, name="task_action"),
    path("inbox/cases/<str:number>/decide/", views.inbox_decide, name="inbox_decide"),
    path("overview/", views.overview, name="overview"),
    path("overview/extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("overview/cases/<str:number>/decide/", views.overview_decide, name="overview_decide"),
]
