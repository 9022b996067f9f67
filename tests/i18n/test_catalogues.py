"""The catalogues: they compile, and they cover the scripts' texts and the database labels."""
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from sqlalchemy import text

from mapapp.i18n import DEFAULT_LANGUAGE, LANGUAGES
from mapapp.i18n.cli import TRANSLATIONS_DIR, compile_catalogues, extract_messages
from mapapp.i18n.labels import LABELS
from mapapp.i18n.js_strings import JS_STRINGS

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
SETTINGS = {"lang", "locale", "timeZone", "zones", "dir"}
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"
# STRINGS.a.b.c as the scripts write it (an index like STRINGS.errors[code] ends the path).
TEXT_PATH = re.compile(r"\bSTRINGS((?:\.[A-Za-z_]\w*)+)")


def test_compile_command_writes_a_catalogue_per_language(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["translations", "compile", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for lang in TRANSLATED:
        mo = tmp_path / lang / "LC_MESSAGES" / "messages.mo"
        assert mo.exists(), result.output
        assert f"{lang}: compiled" in result.output
        with mo.open("rb") as fileobj:
            catalog = read_mo(fileobj)
        assert catalog.get("Fund melden").string, lang


def test_a_broken_translation_fails_the_compile(app, tmp_path):
    source = tmp_path / "src" / "tr" / "LC_MESSAGES"
    source.mkdir(parents=True)
    (source / "messages.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, python-format\nmsgid "Ortsteil %(name)s"\nmsgstr "Semt %(isim)s"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="Ortsteil"):
        compile_catalogues(tmp_path / "src", tmp_path / "out")


def test_built_catalogues_exist():
    for lang in TRANSLATED:
        assert (TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.mo").exists(), lang


def test_every_text_a_script_reads_is_in_the_catalogue():
    """The scripts read STRINGS.<path> from the texts the server renders (static/js/shared/strings.js)."""
    read = set()
    for script in STATIC_JS.rglob("*.js"):
        read |= set(TEXT_PATH.findall(script.read_text("utf-8")))
    assert len(read) > 100  # the pattern still finds what the scripts read
    missing = []
    for path in read:
        node = JS_STRINGS
        for key in path[1:].split("."):
            if isinstance(node, str) or (node is JS_STRINGS and key in SETTINGS):
                break  # a string's own method (e.g. .replace), or a setting js_strings() adds
            if key not in node:
                missing.append(path)
                break
            node = node[key]
    assert missing == [], "add these to mapapp/i18n/js_strings.py"


def test_the_scripts_keep_no_second_copy_of_their_texts():
    source = (STATIC_JS / "shared" / "strings.js").read_text("utf-8")
    assert "Vergrößern" not in source and "mapapp-strings" in source


def test_every_label_in_the_database_is_listed_for_translation(session):
    labels = set(session.execute(text("""
        SELECT label_de FROM categories
        UNION SELECT label_de FROM category_attributes
        UNION SELECT v->>'label_de' FROM category_attributes, jsonb_array_elements("values") v
    """)).scalars())
    assert labels - set(LABELS) == set(), "add these to mapapp/i18n/labels.py"


def test_extraction_finds_templates_scripts_and_labels():
    catalog = extract_messages()
    for msgid in ("Fund melden", "Sprache wählen", "Vergrößern", "Lärm", "Diese Angabe fehlt."):
        assert msgid in catalog, msgid


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_in_the_code_is_translated(lang):
    """The committed catalogues keep up with the code: run `mapapp translations update` and translate."""
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = [message.id for message in extract_messages()
               if message.id and not (catalogue.get(message.id) and catalogue.get(message.id).string
                                      and "fuzzy" not in catalogue.get(message.id).flags)]
    assert missing == [], f"{len(missing)} texts lack a {lang} translation, e.g. {missing[:5]}"
