"""Demo of citizens' accounts: the demo citizen (王小明, login ``citizen``) gets the phone number
13800138000, so signing in by SMS code with it opens the same reports. ``bin/demo`` runs the
log SMS backend: the code appears in the server's console."""
from jingzhi.org.models import User

DEMO_PHONE = "13800138000"


def load_demo(*, stdout):
    User.objects.filter(username="citizen").update(phone=DEMO_PHONE)
    stdout.write(f"市民短信登录 / citizen SMS sign-in: /p/login/ 手机号 {DEMO_PHONE}，验证码见服务器日志 (server log)")
