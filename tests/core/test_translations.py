"""The English catalogue is complete and compiled: every Chinese message has its English text,
and the .mo that Django reads says the same as the .po that people edit."""
import ast
import gettext
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

PO = settings.PROJECT_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(po=PO) -> list[dict]:
    """The fields of each entry but the header (msgid, msgstr or msgstr[n], msgctxt …)."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'(msgid|msgid_plural|msgstr|msgstr\[\d\]|msgctxt) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries.append({**fields, "fuzzy": "#, fuzzy" in block, "obsolete": block.startswith("#~")})
    return entries


def _untranslated(entry: dict) -> bool:
    return entry["fuzzy"] or entry["obsolete"] or not all(
        value for name, value in entry.items() if name.startswith("msgstr"))


def test_every_message_has_an_english_text():
    entries = _entries()
    assert len(entries) > 500
    missing = [e["msgid"] for e in entries if _untranslated(e)]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e["msgid"] for e in _entries() if "msgstr" in e and "msgctxt" not in e
             and compiled.gettext(e["msgid"]) != e["msgstr"]]
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Extract the messages afresh (as `makemessages` does) into a copy of the catalogue: no new
    entry without its English text, so a string added to the code cannot miss its translation."""
    shutil.copytree(settings.PROJECT_DIR / "src", tmp_path / "src")
    shutil.copytree(settings.PROJECT_DIR / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = _entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 500 and [entry["msgid"] for entry in fresh if _untranslated(entry)] == []
