import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests check many passwords; PBKDF2 would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
