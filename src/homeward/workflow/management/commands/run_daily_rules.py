"""`homeward run_daily_rules [--date YYYY-MM-DD]`: the daily child-protection rules (idempotent)."""

import datetime

from django.core.management.base import BaseCommand

from homeward.audit.checkpoints import checkpoint_audit_trail
from homeward.workflow.rules import run_daily_rules


class Command(BaseCommand):
    help = (
        "Age-threshold tasks, ageing out at 18, Iraqi-parent reviews, care planning completed, "
        "silent home states; then every pending case's first blocker for the dashboard."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Run as of this day (default: today).",
        )

    def handle(self, *args, date=None, **options):
        report = run_daily_rules(date)  # CLI context: events are stamped "cli"
        self.stdout.write(
            f"tasks created: {len(report.tasks_created)}; aged out: {len(report.aged_out)}; "
            f"care planning completed: {len(report.care_planning_completed)}; "
            f"home state unresponsive: {len(report.unresponsive)}; "
            f"blockers evaluated: {report.blockers_evaluated}"
        )
        for line in [
            *report.tasks_created,
            *report.aged_out,
            *report.care_planning_completed,
            *report.unresponsive,
        ]:
            self.stdout.write(f"  {line}")
        checkpoint_audit_trail(self)
