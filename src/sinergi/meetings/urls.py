from django.urls import path

from sinergi.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_status, name="commitment_status"),
    path("cadence/", views.cadence, name="cadence"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/act/", views.meeting_action, name="action"),
    path("<int:pk>/invite.ics", views.meeting_ics_view, name="ics"),
]

SCOPED_DETAIL_URLS = {
    "detail": ("meetings.Meeting", "sinergi.meetings.selectors.meeting_scope"),
    "action": ("meetings.Meeting", "sinergi.meetings.selectors.meeting_scope"),
    "ics": ("meetings.Meeting", "sinergi.meetings.selectors.meeting_scope"),
    "commitment_status": ("meetings.Commitment", "sinergi.meetings.selectors.commitment_scope"),
    "attachment": ("meetings.MinutesAttachment", "sinergi.meetings.views.attachment_scope"),
}
