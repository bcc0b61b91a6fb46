"""Consequences of a new password, wherever it was set.

Django calls ``password_changed`` on every entry of ``AUTH_PASSWORD_VALIDATORS`` once a new
password has been saved, whichever way it was set: the user's own change page, the admin's reset
form, ``manage.py changepassword``, ``set_password`` followed by ``save``. Hooking there is the one
place that sees them all; this entry checks nothing (``validate`` accepts every password). Other
browser sessions already end by themselves (Django's session hash covers the password).
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from .services import credentials_reset


class CredentialsResetOnPasswordChange:
    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return _("修改后，本账户在其他设备上的登录和 API 令牌随即失效。")

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            credentials_reset(user=user)
