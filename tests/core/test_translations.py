"""The English catalogue is complete and compiled: every Chinese message has its English text,
and the .mo that Django reads says the same as the .po that people edit."""
import ast
import gettext
import re

from django.conf import settings

PO = settings.PROJECT_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries() -> list[dict]:
    """The fields of each entry but the header (msgid, msgstr or msgstr[n], msgctxt …)."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
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


def test_every_message_has_an_english_text():
    entries = _entries()
    assert len(entries) > 500
    missing = [e["msgid"] for e in entries if e["fuzzy"] or e["obsolete"]
               or not all(value for name, value in e.items() if name.startswith("msgstr"))]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e["msgid"] for e in _entries() if "msgstr" in e and "msgctxt" not in e
             and compiled.gettext(e["msgid"]) != e["msgstr"]]
    assert stale == []
