"""Audit event codes of the statistics app."""

from django.utils.translation import gettext_lazy as _

DASHBOARD_VIEWED = "reports.dashboard.viewed"
PUBLIC_STATISTICS_VIEWED = "reports.public_statistics.viewed"
PUBLIC_STATISTICS_EXPORTED = "reports.public_statistics.exported"

LABELS = {
    DASHBOARD_VIEWED: _("Statistics dashboard opened"),
    PUBLIC_STATISTICS_VIEWED: _("Public statistics opened"),
    PUBLIC_STATISTICS_EXPORTED: _("Public statistics exported"),
}
