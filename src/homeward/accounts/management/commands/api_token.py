"""`homeward api_token USERNAME`: print a new API token for that user."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.services import issue_api_token


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it once "
        "(send it as 'Authorization: Bearer <token>')."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="days until the token expires (default 90; 0 = never)",
        )

    def handle(self, *args, username, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if days < 0:
            raise CommandError("--days cannot be negative.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        self.stdout.write(issue_api_token(user, actor=None, expires_at=expires_at))
