from django.core.management.base import BaseCommand

from jingzhi.core.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = "删除超过保存期限（IDEMPOTENCY_KEY_TTL_HOURS）的幂等键记录"

    def handle(self, *args, **options):
        self.stdout.write(f"purged: {idempotency_keys_purge()}")
