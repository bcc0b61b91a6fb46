"""Masking of citizens' personal data for staff who do not need it."""


def mask_phone(phone: str) -> str:
    """138****5678: keep the carrier prefix and the last four digits."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    """张** / 欧阳*: keep the first character (the surname in most names)."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
