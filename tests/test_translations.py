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


def _wording(entry: polib.POEntry) -> str | tuple:
    return entry.msgstr if not entry.msgid_plural else tuple(sorted(entry.msgstr_plural.items()))


def _key(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt is not None else ""
    plural = f" / {entry.msgid_plural!r}" if entry.msgid_plural else ""
    return f"{context}{entry.msgid!r}{plural}"


def test_one_wording_per_message_across_catalogues():
    """Django merges every app's catalogue into ONE per language: the same (msgctxt, msgid, plural)
    with two wordings shows one app's word on the other app's pages (issue 15: the people list read
    "Pekerja latar", ops' background job workers). A different meaning takes a context (pgettext)."""
    seen: dict[tuple, dict[str, str | tuple]] = {}
    keys: dict[tuple, str] = {}
    for po_path in CATALOGUES:
        app = po_path.parts[-5]
        for entry in polib.pofile(str(po_path)).translated_entries():
            k = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            seen.setdefault(k, {})[app] = _wording(entry)
            keys[k] = _key(entry)
    clashes = []
    for k, by_app in sorted(seen.items(), key=lambda kv: keys[kv[0]]):
        wordings: dict[str | tuple, list[str]] = {}
        for app, wording in by_app.items():
            wordings.setdefault(wording, []).append(app)
        if len(wordings) > 1:
            clashes.append(
                f"{keys[k]}: " + " vs ".join(f"{', '.join(apps)} {w!r}" for w, apps in wordings.items())
            )
    assert clashes == [], "same message, different wording:\n" + "\n".join(clashes)


def test_no_other_catalogue_overrides_an_apps_wording():
    """What a user reads is the merged catalogue, where Django's own apps (admin, auth, sessions: earlier
    in INSTALLED_APPS) win over ours: every entry of every app reads, with Indonesian active, as its
    catalogue says. (Django's admin translates "Change" as the verb "Ubah"; planning's column means
    the difference and carries a context.)"""
    from django.utils import translation

    overridden = []
    with translation.override("id"):
        for po_path in CATALOGUES:
            app = po_path.parts[-5]
            for entry in polib.pofile(str(po_path)).translated_entries():
                if entry.msgid_plural:
                    shown = (
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                        if entry.msgctxt is not None
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                    )
                    wanted = entry.msgstr_plural[0]
                else:
                    shown = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt is not None
                        else translation.gettext(entry.msgid)
                    )
                    wanted = entry.msgstr
                if shown != wanted:
                    overridden.append(f"{app} {_key(entry)}: catalogue {wanted!r}, shown {shown!r}")
    assert overridden == [], "another catalogue wins:\n" + "\n".join(overridden)
