"""Every app's Indonesian catalogue is complete and its compiled .mo matches the .po."""

from pathlib import Path

import polib
import pytest

import sinergi

CATALOGUES = sorted(Path(sinergi.__file__).parent.glob("*/locale/id/LC_MESSAGES/django.po"))


def test_every_app_with_pages_has_a_catalogue():
    apps_with_templates = {
        p.parent.parent.name for p in Path(sinergi.__file__).parent.glob("*/templates/*") if p.is_dir()
    }
    apps_with_catalogue = {p.parts[-5] for p in CATALOGUES}
    assert apps_with_templates <= apps_with_catalogue


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        ), entry.msgid
