"""`sinergi api_token USERNAME [--name N] [--days D]`: create an API token for a login and print it once
(for scripts and CI, e.g. the schemathesis leg; people create theirs on their profile page)."""

from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print the raw token (shown once, stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="script")
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active login named {username!r}.")
        _token, raw = api_token_create(user=user, name=name, days_valid=days)
        self.stdout.write(raw)
