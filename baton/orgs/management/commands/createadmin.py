import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from baton.orgs.services import create_organization


class Command(BaseCommand):
    help = "Create a staff user who owns a new organization (for a fresh installation)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="Admin")
        parser.add_argument("--organization", default="Baton")
        parser.add_argument("--password", help="Asked for when not given.")

    def handle(self, *args, email, name, organization, password, **options):
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail {email} already exists.")
        password = password or getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user = User.objects.create_superuser(email, password, name=name)
        create_organization(actor=user, name=organization)
        self.stdout.write(self.style.SUCCESS(f"Created {email}, owner of {organization}."))
