"""``manage.py open311_key create NAME`` (prints the new key), ``rotate NAME``, ``revoke NAME``."""
from django.core.management.base import BaseCommand, CommandError

from jingzhi.core.errors import DomainError
from jingzhi.open311.selectors import client_app_named
from jingzhi.open311.services import client_app_create, client_app_revoke, client_app_rotate


class Command(BaseCommand):
    help = "签发、轮换或吊销 Open311 客户端应用的 api_key"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "revoke"])
        parser.add_argument("name")
        parser.add_argument("--contact", default="")

    def handle(self, *args, action, name, contact, **options):
        if action == "create":
            try:
                _app, key = client_app_create(name=name, contact=contact)
            except DomainError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(key)
            return
        app = client_app_named(name=name)
        if app is None:
            raise CommandError(f"没有名为“{name}”的客户端应用。")
        if action == "rotate":
            self.stdout.write(client_app_rotate(app=app))
        else:
            client_app_revoke(app=app)
            self.stdout.write(f"已吊销：{name}")
