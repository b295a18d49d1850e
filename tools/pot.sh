#!/usr/bin/env bash
# Regenerates i18n/aftersales_service.pot from the code and data (Odoo's own
# export, from a fresh database with the add-on installed without demo data),
# then merges it into every i18n/*.po: new terms untranslated, gone terms dropped.
# tests/test_i18n.py fails while the template is stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
POT_DB="${POT_DB:-aftersales_pot}"
I18N="$ROOT/aftersales_service/i18n"
dropdb --if-exists "$POT_DB"
echo "[pot] installing aftersales_service in a fresh database $POT_DB"
odoo -d "$POT_DB" -i aftersales_service --without-demo=all --stop-after-init \
    --http-port=0 --log-level=warn
odoo -d "$POT_DB" --i18n-export="$I18N/aftersales_service.pot" \
    --modules=aftersales_service --stop-after-init --http-port=0 --log-level=warn
dropdb "$POT_DB"
"$ROOT/.venv/bin/python" - "$I18N" <<'PY'
import pathlib
import sys

import polib

i18n = pathlib.Path(sys.argv[1])
template = polib.pofile(str(i18n / "aftersales_service.pot"))
def key(text):
    return " ".join(text.split())


for path in sorted(i18n.glob("*.po")):
    po = polib.pofile(str(path))
    # A term only re-indented (a template moved) keeps its translation.
    known = {key(entry.msgid): entry.msgstr for entry in po if entry.translated()}
    po.merge(template)
    po[:] = [entry for entry in po if not entry.obsolete]
    for entry in po:
        if not entry.msgstr and key(entry.msgid) in known:
            entry.msgstr = known[key(entry.msgid)]
    po.save()
    print(f"[pot] {path.name}: {po.percent_translated()}% translated")
PY
