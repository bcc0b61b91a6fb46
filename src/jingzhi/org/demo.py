"""Demo units and logins. Every demo account shares one password, printed at start."""
from django.conf import settings

from .models import Role, Unit
from .services import units_load, user_create

DEMO_PASSWORD = "jingzhi2018"

#: (username, display name, unit name or None, roles, superuser)
DEMO_USERS = [
    ("admin", "系统管理员", None, (Role.PLATFORM_ADMIN,), True),
    ("office", "精细办 王敏", "市城市精细化管理服务办公室", (Role.PLAN_OFFICE,), False),
    ("leader", "市领导 李强", None, (Role.LEADER,), False),
    ("cgj", "市城管局 张伟", "市城管局", (Role.UNIT_REPORTER,), False),
    ("jinshui", "金水区 刘洋", "金水区", (Role.UNIT_REPORTER,), False),
    ("yuanlin", "市园林局 陈静", "市园林局", (Role.UNIT_REPORTER,), False),
    ("zhufang", "市住房保障局 赵磊", "市住房保障局", (Role.UNIT_REPORTER,), False),
]


def demo_user_create(username, display_name, unit_name, roles, superuser=False):
    unit = Unit.objects.get(name=unit_name) if unit_name else None
    return user_create(
        username=username, password=DEMO_PASSWORD, unit=unit, roles=roles,
        display_name=display_name, is_superuser=superuser,
    )


def print_logins(stdout, rows):
    for username, display_name, _unit_name, roles, *_ in rows:
        role_names = "、".join(str(Role(role).label) for role in roles)
        stdout.write(f"  {username:<12} {DEMO_PASSWORD}  {display_name}（{role_names}）")


def load_demo(*, stdout):
    result = units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    stdout.write(f"units: {result['created']} created, {result['updated']} updated")
    for row in DEMO_USERS:
        demo_user_create(*row)
    stdout.write("演示账号 / demo logins:")
    print_logins(stdout, DEMO_USERS)
