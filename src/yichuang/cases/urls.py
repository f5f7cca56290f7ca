"""Pages of the staff back office."""

from django.urls import path

from yichuang.cases import views

app_name = "cases"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/open/", views.case_open, name="case_open"),
    path("desk/cases/<str:number>/", views.desk_case, name="desk_case"),
    path("desk/cases/<str:number>/materials/", views.material_upload, name="material_upload"),
    path("desk/cases/<str:number>/accept/", views.accept, name="accept"),
    path("desk/cases/<str:number>/accept-pending/", views.accept_pending, name="accept_pending"),
    path("desk/cases/<str:number>/one-time-notice/", views.one_time_notice, name="one_time_notice"),
    path("desk/cases/<str:number>/refuse/", views.refuse, name="refuse"),
    path("cases/<str:number>/materials/<int:pk>/file", views.material_file, name="material_file"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/tasks/<int:pk>/", views.task_page, name="task"),
    path("inbox/tasks/<int:pk>/<slug:panel>/", views.task_action, name="task_action"),
    path("overview/", views.overview, name="overview"),
    path("overview/extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
]
