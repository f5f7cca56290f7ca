"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall import views

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", views.ticket_page, name="ticket"),
    path("my/appointments/", views.my_appointments, name="my_appointments"),
    path("my/appointments/book/", views.appointment_book, name="appointment_book"),
    path("my/appointments/<str:code>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path(
        "my/appointments/<str:code>/check-in/",
        views.appointment_check_in,
        name="appointment_check_in",
    ),
    path("hall/appointments/", views.staff_appointments, name="staff_appointments"),
    path(
        "hall/appointments/<str:code>/check-in/",
        views.staff_check_in,
        name="staff_appointment_check_in",
    ),
]
