"""Write-side rules of citizens' accounts: one-time SMS codes, signing in by phone, deleting an account.

A citizen proves a phone number by a 6-digit code sent to it (``sms_code_send``) and typed back
(``citizen_sign_in``); the first sign-in creates their account (role 市民). The limits, all
settings (docs/citizens.md):

- a code lives ``CITIZEN_CODE_TTL_SECONDS`` and only the phone's latest code counts;
- every try of a code counts, the right one included, and after ``CITIZEN_CODE_MAX_ATTEMPTS`` the
  code is dead: a guesser gets that many tries per code, whatever the concurrency;
- a code is used once;
- another code for the same phone only after ``CITIZEN_CODE_RESEND_SECONDS``; at most
  ``CITIZEN_CODES_PER_PHONE_HOUR`` per phone and ``CITIZEN_CODES_PER_IP_HOUR`` per client address
  in any hour (an SMS costs money and a flood of texts harasses the phone's owner).

The limits count ``SmsCode`` rows in the database, not the cache: every web worker sees the same
counts without Redis, and the purge job keeps a day of them.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from jingzhi.cases.models import Case, CaseFollower, CasePhoto, Notification
from jingzhi.core.models import IdempotencyKey
from jingzhi.core.sms import SmsNotSent, sms_send
from jingzhi.org.models import Role, RoleGrant, User
from jingzhi.org.privacy import mask_phone
from jingzhi.org.services import token_revoke

from .errors import AccountDisabled, CitizenOnly, SmsCodeNotSent, SmsCodeResendTooSoon, SmsCodeThrottled
from .models import SmsCode
from .phones import phone_normalise
from .selectors import user_is_citizen_only

logger = logging.getLogger(__name__)

CODE = re.compile(r"\d{6}")
HOUR = dt.timedelta(hours=1)
#: How long code rows (phone numbers, client addresses) are kept for the hourly limits.
KEEP_CODES = dt.timedelta(days=1)


def _code_hash(phone: str, code: str) -> str:
    """Keyed with SECRET_KEY: a 6-digit code's plain hash would be reversed in a millisecond."""
    return salted_hmac("jingzhi.citizens.sms_code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _throttled_until(codes, *, limit: int, now: dt.datetime) -> dt.datetime | None:
    """When the oldest of the last ``limit`` codes in ``codes`` leaves the hour, if ``limit`` are in it."""
    recent = list(codes.filter(created_at__gt=now - HOUR).order_by("-created_at").values_list("created_at", flat=True)
                  [:limit])
    return recent[-1] + HOUR if len(recent) >= limit else None


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds from ``now`` to ``moment``, rounded up (what ``Retry-After`` says)."""
    return int((moment - now).total_seconds() + 0.999)


def _throttle_check(*, phone: str, ip: str | None, now: dt.datetime) -> None:
    """Refuse (429) a code asked too soon after the last, or beyond the hourly limits."""
    latest = SmsCode.objects.filter(phone=phone).order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is not None:
        wait = _seconds_until(latest + dt.timedelta(seconds=settings.CITIZEN_CODE_RESEND_SECONDS), now)
        if wait > 0:
            raise SmsCodeResendTooSoon(_("验证码已发送，请 %(seconds)d 秒后再重新获取。") % {"seconds": wait},
                                       retry_after=wait)
    limits = [(SmsCode.objects.filter(phone=phone), settings.CITIZEN_CODES_PER_PHONE_HOUR,
               _("该手机号获取验证码过于频繁，请 %(minutes)d 分钟后再试。"))]
    if ip:
        limits.append((SmsCode.objects.filter(ip=ip), settings.CITIZEN_CODES_PER_IP_HOUR,
                       _("当前网络获取验证码过于频繁，请 %(minutes)d 分钟后再试。")))
    for codes, limit, message in limits:
        until = _throttled_until(codes, limit=limit, now=now)
        if until is not None:
            wait = _seconds_until(until, now)
            raise SmsCodeThrottled(message % {"minutes": _minutes(wait)}, retry_after=wait)


def sms_code_send(*, phone: str, ip: str | None, now: dt.datetime | None = None) -> SmsCode:
    """Send a new sign-in code to ``phone`` (as typed) for a request from ``ip``.

    The text is sent in the request, not by a Celery task: the citizen waits for it, and a gateway
    failure must be told at once (503). A code that could not be sent is removed again, so it
    counts against no limit."""
    phone = phone_normalise(phone)
    now = now or timezone.now()
    _throttle_check(phone=phone, ip=ip, now=now)
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = settings.CITIZEN_CODE_TTL_SECONDS
    row = SmsCode.objects.create(phone=phone, code_hash=_code_hash(phone, code), ip=ip or None, created_at=now,
                                 expires_at=now + dt.timedelta(seconds=ttl))
    try:
        sms_send(phone=phone, text=_("您的登录验证码是 %(code)s，%(minutes)d 分钟内有效。如非本人操作，请忽略本短信。")
                 % {"code": code, "minutes": _minutes(ttl)})
    except SmsNotSent:
        logger.exception("sign-in code for %s not sent", mask_phone(phone))
        row.delete()
        raise SmsCodeNotSent(_("短信发送失败，请稍后再试。")) from None
    return row


def sms_code_use(*, phone: str, code: str, now: dt.datetime | None = None) -> str:
    """Check ``code`` against the phone's latest code and use it up; returns the normalised phone.

    Every try counts (the increment is one conditional UPDATE, so parallel guesses cannot go past
    the limit); a wrong code says how many tries are left."""
    errors = {}
    try:
        phone = phone_normalise(phone)
    except ValidationError as error:
        errors.update(error.message_dict)
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        errors["code"] = [_("请输入短信中的 6 位数字验证码。")]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    limit = settings.CITIZEN_CODE_MAX_ATTEMPTS
    latest = SmsCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    if latest is None or latest.used_at is not None or latest.expires_at <= now:
        raise ValidationError({"code": [_("验证码已失效，请重新获取。")]})
    counted = SmsCode.objects.filter(pk=latest.pk, attempts__lt=limit, used_at__isnull=True) \
        .update(attempts=F("attempts") + 1)
    if not counted:
        raise ValidationError({"code": [_("验证码错误次数过多，请重新获取。")]})
    if not constant_time_compare(_code_hash(phone, code), latest.code_hash):
        left = limit - latest.attempts - 1
        if left <= 0:
            raise ValidationError({"code": [_("验证码错误次数过多，请重新获取。")]})
        raise ValidationError({"code": [_("验证码错误，还可再试 %(left)d 次。") % {"left": left}]})
    if not SmsCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError({"code": [_("验证码已失效，请重新获取。")]})  # used meanwhile by a parallel request
    return phone


def _citizen_username(phone: str) -> str:
    """A stable username that does not show the number (usernames appear in the admin and logs)."""
    return "m" + salted_hmac("jingzhi.citizens.username", phone, algorithm="sha256").hexdigest()[:24]


def citizen_for_phone(*, phone: str) -> User:
    """The citizen account of a proven phone number, created on first use (role 市民, no password).

    A staff account is never signed into by SMS, even if it also holds the citizen role: staff
    sign in with their password (and its lockout)."""
    user = User.objects.filter(phone=phone, role_grants__role=Role.CITIZEN).order_by("pk").first()
    if user is not None:
        if not user_is_citizen_only(user=user):
            raise CitizenOnly(_("该手机号属于工作人员账号，请用用户名和密码登录。"))
        if not user.is_active:
            raise AccountDisabled(_("该账号已停用。"))
        return user
    try:
        with transaction.atomic():
            user = User(username=_citizen_username(phone), phone=phone, display_name=mask_phone(phone))
            user.set_unusable_password()
            user.save()
            RoleGrant.objects.create(user=user, role=Role.CITIZEN)
    except IntegrityError:  # a parallel first sign-in of the same phone created it
        user = User.objects.get(username=_citizen_username(phone))
    return user


def citizen_sign_in(*, phone: str, code: str, now: dt.datetime | None = None) -> User:
    """The citizen whose phone the code proves (see ``sms_code_use`` and ``citizen_for_phone``)."""
    return citizen_for_phone(phone=sms_code_use(phone=phone, code=code, now=now))


@transaction.atomic
def citizen_delete(*, user: User) -> None:
    """A citizen deletes their account: their reports stay, anonymised; they are signed out everywhere.

    The case log is append-only and names the citizen as the actor of their report and rating, so
    the user row stays as an empty, inactive tombstone (``deleted-<id>``, no name, phone, password or
    role) rather than being removed. Cut: the reporter link and contact (name, phone, e-mail, device) of
    their cases, the uploader of their photos, the cases they follow, their notifications and stored API
    replies. Ended: their API token; every session, since the unusable password changes the session's auth
    hash and the account is inactive."""
    if not user_is_citizen_only(user=user):
        raise CitizenOnly(_("工作人员账号不能自行注销，请联系系统管理员。"))
    Case.objects.filter(reporter=user).update(
        reporter=None, reporter_name="", reporter_phone="", reporter_email="", device_id=""
    )
    CasePhoto.objects.filter(uploaded_by=user).update(uploaded_by=None)
    CaseFollower.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    IdempotencyKey.objects.filter(user=user).delete()
    RoleGrant.objects.filter(user=user).delete()
    token_revoke(user=user)
    user.username = f"deleted-{user.pk}"
    user.display_name = user.first_name = user.last_name = user.email = user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def sms_codes_purge(*, now: dt.datetime | None = None) -> int:
    """Forget sign-in codes older than a day (beat job, hourly); returns how many."""
    now = now or timezone.now()
    return SmsCode.objects.filter(created_at__lt=now - KEEP_CODES).delete()[0]
