"""`homeward otp_code --demo USERNAME`: the current second-factor code of a demo account.

Demo tooling: it only reads the authenticator `seed_demo` created (whose key is derived from
the demo password), never a real user's device, and it insists on --demo to say so.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.mfa import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (demo tooling; needs --demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="confirm this is the demo: only seed_demo's authenticators are read",
        )

    def handle(self, *args, username, demo, **options):
        if not demo:
            raise CommandError("otp_code is demo tooling: pass --demo to use it.")
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username!r} has no demo authenticator (made by seed_demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
