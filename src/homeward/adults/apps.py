from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdultsConfig(AppConfig):
    name = "homeward.adults"
    label = "adults"
    verbose_name = _("Adult returnees")
