from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sinergi.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Aspirations (below meetings) reports and reminds the commitments meetings record.
        # deferred: apps.py is imported before the app registry is ready; these modules import models
        from sinergi.aspirations.hooks import register_commitments
        from sinergi.meetings.selectors import commitment_stats  # deferred: as above
        from sinergi.meetings.services import commitments_remind  # deferred: as above

        register_commitments(stats=commitment_stats, remind=commitments_remind)
