"""`homeward api_token USERNAME`: print a new API token; `--revoke PREFIX`: revoke tokens."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.accounts.models import ApiToken, User
from homeward.accounts.services import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it once "
        "(send it as 'Authorization: Bearer <token>'), or revoke tokens with --revoke / "
        "--revoke-all."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="days until the token expires (default 90; 0 = never)",
        )
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="the token may only read (GET/HEAD/OPTIONS), whatever the user may do",
        )
        parser.add_argument(
            "--revoke",
            metavar="PREFIX",
            help="revoke the token whose first 8 characters (as printed) are PREFIX",
        )
        parser.add_argument(
            "--revoke-all", action="store_true", help="revoke every token of USERNAME"
        )

    def handle(self, *args, username, days, read_only, revoke, revoke_all, **options):
        if revoke:
            return self.revoke(ApiToken.objects.filter(prefix=revoke), expect_one=True)
        if revoke_all:
            if not username:
                raise CommandError("--revoke-all needs USERNAME.")
            return self.revoke(ApiToken.objects.filter(user__username=username), expect_one=False)
        if not username:
            raise CommandError("Name the user to create a token for, or use --revoke PREFIX.")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if days < 0:
            raise CommandError("--days cannot be negative.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        self.stdout.write(
            issue_api_token(user, actor=None, expires_at=expires_at, read_only=read_only)
        )

    def revoke(self, tokens, *, expect_one: bool) -> None:
        live = tokens.filter(revoked_at__isnull=True)
        count = live.count()
        if expect_one and count > 1:
            raise CommandError("That prefix matches several tokens; use --revoke-all USERNAME.")
        revoked = revoke_api_tokens(live, actor=None)
        if not revoked:
            raise CommandError("No token to revoke.")
        for token in revoked:
            self.stdout.write(f"Revoked {token.prefix}… ({token.user.get_username()})")
