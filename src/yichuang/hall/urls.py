"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall import views

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", views.ticket_page, name="ticket"),
    path("hall/tickets/<str:token>/cancel/", views.ticket_cancel_page, name="ticket_cancel"),
    path("hall/take/", views.take_page, name="take"),
    path("desk/hall/", views.calling_panel, name="calling_panel"),
    path("desk/hall/sign-in/", views.calling_sign_in, name="calling_sign_in"),
    path(
        "desk/hall/windows/<int:window_id>/<slug:action>/",
        views.calling_action,
        name="calling_action",
    ),
]
