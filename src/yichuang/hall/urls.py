"""Pages of the hall: the visitor's ticket, taking a number, the calling screen, the kiosk,
the window's calling panel, appointments, assistance and home visits."""

from django.urls import path

from yichuang.hall.views import (
    appointments,
    assistance,
    calling,
    figures,
    home_visits,
    kiosk,
    screen,
    take,
    ticket,
)

app_name = "hall"

urlpatterns = [
    path("hall/tickets/<str:token>/", ticket.ticket_page, name="ticket"),
    path("hall/tickets/<str:token>/cancel/", ticket.ticket_cancel_page, name="ticket_cancel"),
    path("hall/take/", take.take_page, name="take"),
    path("desk/hall/", calling.calling_panel, name="calling_panel"),
    path("desk/hall/sign-in/", calling.calling_sign_in, name="calling_sign_in"),
    path(
        "desk/hall/windows/<int:window_id>/<slug:action>/",
        calling.calling_action,
        name="calling_action",
    ),
    path("my/appointments/", appointments.my_appointments, name="my_appointments"),
    path("my/appointments/book/", appointments.appointment_book, name="appointment_book"),
    path(
        "my/appointments/<str:code>/cancel/",
        appointments.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "my/appointments/<str:code>/check-in/",
        appointments.appointment_check_in,
        name="appointment_check_in",
    ),
    path("hall/appointments/", appointments.staff_appointments, name="staff_appointments"),
    path(
        "hall/appointments/<str:code>/check-in/",
        appointments.staff_check_in,
        name="staff_appointment_check_in",
    ),
    path("hall/screen/", screen.screen_page, name="screen"),
    path("hall/figures/", figures.figures_page, name="figures"),
    path("hall/figures/export.xlsx", figures.figures_export, name="figures_export"),
    path("kiosk/", kiosk.kiosk_home, name="kiosk_home"),
    path("kiosk/pair/", kiosk.kiosk_pair, name="kiosk_pair"),
    path("kiosk/sign-in/", kiosk.kiosk_sign_in, name="kiosk_sign_in"),
    path("kiosk/sign-out/", kiosk.kiosk_sign_out, name="kiosk_sign_out"),
    path("kiosk/take/", kiosk.kiosk_take, name="kiosk_take"),
    path("kiosk/appointments/<str:code>/check-in/", kiosk.kiosk_check_in, name="kiosk_check_in"),
    path("kiosk/tickets/<str:token>/", kiosk.kiosk_ticket, name="kiosk_ticket"),
    path("kiosk/cases/", kiosk.kiosk_cases, name="kiosk_cases"),
    path("kiosk/cases/<str:number>/", kiosk.kiosk_case, name="kiosk_case"),
    path("kiosk/notices/", kiosk.kiosk_notices, name="kiosk_notices"),
    path("kiosk/notices/<int:pk>/", kiosk.kiosk_notice, name="kiosk_notice"),
    path("kiosk/notices/<int:pk>/pdf/", kiosk.kiosk_notice_pdf, name="kiosk_notice_pdf"),
    # Assisted handling (帮办代办)
    path("helper/", assistance.helper_page, name="helper"),
    path(
        "helper/assignments/<int:pk>/authorise/",
        assistance.helper_authorise,
        name="helper_authorise",
    ),
    path("helper/assignments/<int:pk>/open/", assistance.helper_case_open, name="helper_open"),
    path("hall/assignments/", assistance.assignments_page, name="assignments"),
    path("hall/assignments/<int:pk>/end/", assistance.assignment_end, name="assignment_end"),
    # Home visits (上门服务)
    path("my/home-visits/", home_visits.my_home_visits, name="my_home_visits"),
    path(
        "my/home-visits/<int:pk>/cancel/",
        home_visits.my_home_visit_cancel,
        name="my_home_visit_cancel",
    ),
    path("hall/home-visits/", home_visits.centre_home_visits, name="home_visits"),
    path(
        "hall/home-visits/<int:pk>/schedule/",
        home_visits.home_visit_schedule,
        name="home_visit_schedule",
    ),
    path(
        "hall/home-visits/<int:pk>/cancel/",
        home_visits.home_visit_cancel,
        name="home_visit_cancel",
    ),
    path("hall/my-visits/", home_visits.my_visits, name="my_visits"),
    path(
        "hall/my-visits/<int:pk>/record/",
        home_visits.home_visit_record,
        name="home_visit_record",
    ),
]
