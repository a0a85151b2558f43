"""`baton demo`: the demo workspace (baton.demo), built once, with its login printed."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baton.demo.build import build
from baton.demo.people import DEMO_EMAIL, ORGANIZATION_NAME


class Command(BaseCommand):
    help = "Create a demo workspace (小熊猫旗舰店, in Chinese) built from the e-commerce scenarios."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the login) when the database already has users.",
        )
        parser.add_argument("--password", help="The password of every demo user.")

    def handle(self, *args, if_empty: bool = False, password: str | None = None, **options):
        password = password or settings.BATON_DEMO_PASSWORD
        User = get_user_model()
        if if_empty and User.objects.exists():
            if User.objects.filter(email=DEMO_EMAIL).exists():
                self.print_login(password, created=False)
            else:
                self.stdout.write("数据库里已经有用户，不创建演示数据。")
                self.stdout.write("The database already has users; no demo workspace created.")
            return
        if User.objects.filter(email=DEMO_EMAIL).exists():
            raise CommandError(f"{DEMO_EMAIL} already exists: the demo workspace was built before.")
        with transaction.atomic():
            build(password)
        self.print_login(password, created=True)

    def print_login(self, password: str, *, created: bool) -> None:
        url = settings.SITE_URL + "/"
        if created:
            self.stdout.write(self.style.SUCCESS(f"演示工作区「{ORGANIZATION_NAME}」已创建。"))
        self.stdout.write(f"打开 {url} ，演示账号：{DEMO_EMAIL} / {password}")
        self.stdout.write(f"Open {url} — demo login: {DEMO_EMAIL} / {password}")
