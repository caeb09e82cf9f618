from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    COORDINATING_MINISTRY = "coordinating_ministry", _("Coordinating ministry")
    JUDICIARY = "judiciary", _("Judiciary")
    CORRECTIONS = "corrections", _("Justice / corrections")
    SOCIAL_AFFAIRS = "social_affairs", _("Social affairs")
    HEALTH = "health", _("Health")
    INTERIOR = "interior", _("Interior / security")
    HOME_STATE_MISSION = "home_state_mission", _("Home-state mission")
    HUMANITARIAN = "humanitarian", _("Humanitarian partner")
    OVERSIGHT = "oversight", _("Oversight")
