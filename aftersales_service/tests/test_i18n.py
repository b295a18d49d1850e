import io
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase
from odoo.tools.translate import trans_export

TEMPLATE = Path(__file__).parent.parent / "i18n" / "aftersales_service.pot"


class TestTranslationTemplate(TransactionCase):
    def test_template_is_current(self):
        """i18n/aftersales_service.pot holds exactly the terms the code and data
        export: regenerate it (README) whenever strings change."""
        buffer = io.BytesIO()
        trans_export(None, ["aftersales_service"], buffer, "po", self.env.cr)
        exported = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        shipped = {entry.msgid for entry in polib.pofile(str(TEMPLATE)) if not entry.obsolete}
        missing, stale = sorted(exported - shipped), sorted(shipped - exported)
        self.assertFalse(
            missing or stale,
            f"The template is stale: {len(missing)} terms missing (e.g. {missing[:3]}), "
            f"{len(stale)} no longer used (e.g. {stale[:3]}). Regenerate it with "
            "`make pot`.",
        )

    def test_our_users_languages_are_translated(self):
        """Russian, Ukrainian and Brazilian Portuguese cover at least 98% of the
        template, and every translation keeps the placeholders of its term."""
        placeholder = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]|%%")
        for lang in ("ru", "uk", "pt_BR"):
            with self.subTest(lang=lang):
                po = polib.pofile(str(TEMPLATE.with_name(f"{lang}.po")))
                self.assertGreaterEqual(po.percent_translated(), 98)
                for entry in po.translated_entries():
                    self.assertEqual(
                        sorted(placeholder.findall(entry.msgstr)),
                        sorted(placeholder.findall(entry.msgid)),
                        entry.msgid,
                    )
