"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall import views

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", views.ticket_page, name="ticket"),
    path("hall/screen/", views.screen_page, name="screen"),
    path("kiosk/", views.kiosk_home, name="kiosk_home"),
    path("kiosk/pair/", views.kiosk_pair, name="kiosk_pair"),
    path("kiosk/sign-in/", views.kiosk_sign_in, name="kiosk_sign_in"),
    path("kiosk/sign-out/", views.kiosk_sign_out, name="kiosk_sign_out"),
    path("kiosk/take/", views.kiosk_take, name="kiosk_take"),
    path("kiosk/tickets/<str:token>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("kiosk/cases/", views.kiosk_cases, name="kiosk_cases"),
    path("kiosk/cases/<str:number>/", views.kiosk_case, name="kiosk_case"),
    path("kiosk/notices/", views.kiosk_notices, name="kiosk_notices"),
    path("kiosk/notices/<int:pk>/", views.kiosk_notice, name="kiosk_notice"),
    path("kiosk/notices/<int:pk>/pdf/", views.kiosk_notice_pdf, name="kiosk_notice_pdf"),
]
