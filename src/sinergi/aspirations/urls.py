from django.urls import path

from sinergi.aspirations import views

app_name = "aspirations"
urlpatterns = [
    path("", views.aspiration_list, name="list"),
    path("new/", views.aspiration_new, name="new"),
    path("track/", views.track, name="track"),
    path("notifications/", views.notifications, name="notifications"),
    path("reports/", views.reports, name="reports"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/sessions/<int:pk>/", views.session_detail, name="session"),
    path("agenda/items/<int:pk>/", views.agenda_item_action, name="agenda_item_action"),
    path("settings/", views.settings_page, name="settings"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.aspiration_detail, name="detail"),
    path("<int:pk>/act/", views.aspiration_action, name="action"),
]

SCOPED_DETAIL_URLS = {
    "detail": ("aspirations.Aspiration", "sinergi.aspirations.selectors.aspiration_scope"),
    "action": ("aspirations.Aspiration", "sinergi.aspirations.selectors.aspiration_scope"),
    "attachment": ("aspirations.AspirationAttachment", "sinergi.aspirations.views.attachment_scope"),
    "session": ("aspirations.TripartiteSession", "sinergi.aspirations.views.session_scope"),
    "agenda_item_action": ("aspirations.AgendaItem", "sinergi.aspirations.views.agenda_item_scope"),
}
