from django.urls import path

from . import attendance, badge_batches, checkin_app, views

app_name = "events"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/changes/", views.agenda_changes, name="agenda_changes"),
    path("<slug:slug>/agenda/publish/", views.publish, name="publish"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/badge-key.json", views.badge_key, name="badge_key"),
    path("<slug:slug>/register/<slug:code>/", views.register, name="register"),
    path("<slug:slug>/registration/<uuid:public_id>/", views.registration_detail, name="registration"),
    path(
        "<slug:slug>/registration/<uuid:public_id>/calendar.ics",
        views.registration_ics,
        name="registration_ics",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/badge.pdf",
        views.registration_badge,
        name="registration_badge",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/sessions/<uuid:session_id>/",
        views.registration_signup,
        name="registration_signup",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/mode/", views.registration_mode, name="registration_mode"
    ),
    path("<slug:slug>/sessions/<uuid:session_id>/join/", views.join, name="join"),
    path("<slug:slug>/sessions/<uuid:session_id>/watch/", attendance.watch, name="watch"),
    path("<slug:slug>/sessions/<uuid:session_id>/presence/", attendance.beat, name="presence"),
    path("<slug:slug>/manage/attendance/", attendance.session_attendance, name="session_attendance"),
    path(
        "<slug:slug>/manage/programme/sessions/<uuid:session_id>/streams/",
        attendance.stream_links,
        name="stream_links",
    ),
    path("<slug:slug>/approvals/", views.approvals, name="approvals"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/participants/", views.manage_participants, name="manage_participants"),
    path("<slug:slug>/manage/participants.<str:fmt>", views.export_participants, name="export"),
    path("<slug:slug>/manage/badges.pdf", views.badges_batch, name="badges"),
    path("<slug:slug>/manage/clone/", views.clone, name="clone"),
    path("<slug:slug>/manage/badges/", badge_batches.print_queue, name="badge_queue"),
    path("<slug:slug>/manage/badges/<uuid:batch_id>.pdf", badge_batches.batch_pdf, name="badge_batch"),
    path("<slug:slug>/manage/programme/", views.programme, name="programme"),
    path("<slug:slug>/manage/programme/sessions/new/", views.session_edit, name="session_add"),
    path("<slug:slug>/manage/programme/sessions/<uuid:session_id>/", views.session_edit, name="session_edit"),
    path(
        "<slug:slug>/manage/programme/sessions/<uuid:session_id>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("<slug:slug>/manage/programme/rooms/new/", views.room_edit, name="room_add"),
    path("<slug:slug>/manage/programme/rooms/<int:room_id>/", views.room_edit, name="room_edit"),
    path("<slug:slug>/manage/programme/rooms/<int:room_id>/delete/", views.room_delete, name="room_delete"),
    path("<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("<slug:slug>/check-in/counts/", views.attendance, name="attendance"),
    path("<slug:slug>/check-in/app/", checkin_app.app, name="checkin_app"),
    path("<slug:slug>/check-in/app/sw.js", checkin_app.service_worker, name="checkin_sw"),
    path("<slug:slug>/check-in/app/manifest.webmanifest", checkin_app.manifest, name="checkin_manifest"),
    path("<slug:slug>/check-in/app/state.json", checkin_app.state, name="checkin_state"),
    path("<slug:slug>/check-in/app/counts.json", checkin_app.counts, name="checkin_counts"),
    path("<slug:slug>/check-in/app/device-key/", checkin_app.device_key, name="checkin_device_key"),
    path("<slug:slug>/check-in/app/sync/", checkin_app.sync, name="checkin_sync"),
]
