"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall import views

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", views.ticket_page, name="ticket"),
    path("hall/figures/", views.figures_page, name="figures"),
    path("hall/figures/export.xlsx", views.figures_export, name="figures_export"),
]
