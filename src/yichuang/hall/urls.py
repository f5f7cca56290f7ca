"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall import views

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", views.ticket_page, name="ticket"),
    # Assisted handling (帮办代办)
    path("helper/", views.assistance.helper_page, name="helper"),
    path(
        "helper/assignments/<int:pk>/authorise/",
        views.assistance.helper_authorise,
        name="helper_authorise",
    ),
    path(
        "helper/assignments/<int:pk>/open/", views.assistance.helper_case_open, name="helper_open"
    ),
    path("hall/assignments/", views.assistance.assignments_page, name="assignments"),
    path("hall/assignments/<int:pk>/end/", views.assistance.assignment_end, name="assignment_end"),
    # Home visits (上门服务)
    path("my/home-visits/", views.home_visits.my_home_visits, name="my_home_visits"),
    path(
        "my/home-visits/<int:pk>/cancel/",
        views.home_visits.my_home_visit_cancel,
        name="my_home_visit_cancel",
    ),
    path("hall/home-visits/", views.home_visits.centre_home_visits, name="home_visits"),
    path(
        "hall/home-visits/<int:pk>/schedule/",
        views.home_visits.home_visit_schedule,
        name="home_visit_schedule",
    ),
    path(
        "hall/home-visits/<int:pk>/cancel/",
        views.home_visits.home_visit_cancel,
        name="home_visit_cancel",
    ),
    path("hall/my-visits/", views.home_visits.my_visits, name="my_visits"),
    path(
        "hall/my-visits/<int:pk>/record/",
        views.home_visits.home_visit_record,
        name="home_visit_record",
    ),
]
