"""Refusals of the citizens' sign-in and account rules (``core.errors`` subclasses)."""
from jingzhi.core.errors import Forbidden, TooManyRequests, Unavailable


class SmsCodeThrottled(TooManyRequests):
    """Too many codes asked for this phone or from this address, or asked again too soon."""

    code = "sms_code_throttled"


class SmsCodeResendTooSoon(SmsCodeThrottled):
    """A new code for the same phone before ``CITIZEN_CODE_RESEND_SECONDS``: the last one still works."""

    code = "sms_code_resend_too_soon"


class SmsCodeNotSent(Unavailable):
    """The SMS backend could not send the code; nothing counts against the limits."""

    code = "sms_unavailable"


class CitizenOnly(Forbidden):
    """Self-service sign-in and deletion are for citizens' own accounts, never a staff account."""

    code = "citizen_only"


class AccountDisabled(Forbidden):
    """An administrator stopped this citizen account."""

    code = "account_disabled"
