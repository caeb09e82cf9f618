"""`homeward seed_demo`: load the synthetic demo data set and create the demo accounts.

The data set is planned as pure data (`homeward.core.demo.builder`, deterministic for a
seed) and written through the services (`homeward.core.demo.writer`), so every record has
its audit event. It only loads an empty database: each service commits on its own, so a
second run would duplicate people rather than replace them.
"""

import random
import secrets
import time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.accounts.models import User
from homeward.audit.checkpoints import checkpoint_audit_trail
from homeward.core.demo.accounts import (
    account_rows,
    create_demo_accounts,
    demo_authenticator_keys,
    demo_users,
    set_demo_passwords,
)
from homeward.core.demo.builder import DEFAULT_CHILDREN, DEFAULT_SEED, SNAPSHOT, build_plan
from homeward.core.demo.writer import write_plan
from homeward.people.choices import PersonKind
from homeward.people.models import Person

RESET_HINT = (
    "Passwords were set when the demo was first seeded; reset them with "
    "`homeward seed_demo --password PW --reset-passwords`."
)


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data set (about 1,200 children, shaped like Iraq's published "
        "return figures) into an empty database and create the demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo account (default: random)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="on a database that already has data, only list the demo accounts",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="only set every demo account's password to --password (or a random one)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--children", type=int, default=DEFAULT_CHILDREN, help="number of children"
        )

    def handle(self, *args, password, if_empty, reset_passwords, seed, children, **options):
        if reset_passwords:
            self.reset_passwords(password)
            return
        existing = self.existing_data()
        if existing:
            if not if_empty:
                raise CommandError(
                    f"The database already holds {existing}. seed_demo only loads an empty "
                    "database: point HOMEWARD_DATA_DIR at a new directory (or DATABASE_URL at an "
                    "empty database) first, or pass --if-empty to leave the data as it is."
                )
            self.print_accounts(password=None)
            self.stdout.write(RESET_HINT)
            return
        if children < 1:
            raise CommandError("--children must be at least 1.")
        self.seed(self.checked_password(password), seed, children)

    # -- steps -----------------------------------------------------------------------------

    def existing_data(self) -> str:
        """A description of what is already there, or "" for an empty database."""
        children = Person.objects.filter(kind=PersonKind.CHILD).count()
        accounts = demo_users().count()
        if not children and not accounts and not Person.objects.exists():
            return ""
        return f"{children} children and {accounts} demo accounts"

    def checked_password(self, password: str | None) -> str:
        if password is None:
            return secrets.token_urlsafe(12)
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("--password: " + " ".join(error.messages)) from error
        return password

    def seed(self, password: str, seed: int, children: int) -> None:
        if timezone.localdate() < SNAPSHOT:
            raise CommandError(
                f"The demo data runs to {SNAPSHOT}; this machine's clock is earlier."
            )
        started = time.monotonic()
        plan = build_plan(random.Random(seed), children)
        create_demo_accounts(list(plan.states), password)
        users = {user.username: user for user in User.objects.all()}
        counts = write_plan(plan, users, progress=lambda message: self.stdout.write(f"  {message}"))
        returned = sum(1 for child in plan.children if child.handed_over_on)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts['children']} children ({returned} returned, "
                f"{counts['children'] - returned} not yet), {counts['adults']} adults, "
                f"{counts['links']} relationships and {counts['groups']} family groups from "
                f"{len(plan.states)} home states in {time.monotonic() - started:.0f}s."
            )
        )
        self.print_accounts(password=password)
        checkpoint_audit_trail(self)

    def reset_passwords(self, password: str | None) -> None:
        password = self.checked_password(password)
        if not set_demo_passwords(password):
            raise CommandError(
                "There are no demo accounts to reset; run `homeward seed_demo` first."
            )
        self.print_accounts(password=password)

    def print_accounts(self, password: str | None) -> None:
        header = ("username", "role", "agency", "scope")
        keys = demo_authenticator_keys() if password is not None else {}
        if keys:
            header += ("authenticator key (TOTP)",)
        rows = [header]
        for r in account_rows():
            row = (r.username, r.role, r.agency, r.scope)
            rows.append((*row, keys.get(r.username, "")) if keys else row)
        columns = len(header)
        widths = [max(len(row[column]) for row in rows) for column in range(columns)]
        self.stdout.write("")
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        if password is not None:
            self.stdout.write(f"\nPassword for every account above (shown only now): {password}")
        self.stdout.write(
            "Second factor: add the key to an authenticator app, or print the current code "
            "with `homeward otp_code --demo USERNAME` (demo accounts only)."
        )
