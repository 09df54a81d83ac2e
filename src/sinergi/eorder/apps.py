from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EorderConfig(AppConfig):
    name = "sinergi.eorder"
    label = "eorder"
    verbose_name = _("E-order")
