from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudicialConfig(AppConfig):
    name = "homeward.judicial"
    label = "judicial"
    verbose_name = _("Judicial cooperation")
