"""The catalogues: they compile, and they cover the scripts' texts and the database labels."""
import pytest
from babel.messages.mofile import read_mo
from sqlalchemy import text

from mapapp.i18n import DEFAULT_LANGUAGE, LANGUAGES
from mapapp.i18n_cli import TRANSLATIONS_DIR, compile_catalogues, extract_messages
from mapapp.i18n_labels import LABELS
from mapapp.js_strings import JS_STRINGS
from tests.i18n.jsparse import read_strings

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
SETTINGS = {"lang", "locale", "timeZone", "dir"}


def key_paths(tree: dict, prefix: str = "") -> set[str]:
    paths = set()
    for key, value in tree.items():
        paths |= key_paths(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return paths


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


def test_strings_js_and_python_list_the_same_keys():
    in_js = key_paths(read_strings()) - SETTINGS
    assert in_js == key_paths(JS_STRINGS), "static/js/strings.js and mapapp/js_strings.py differ"


def test_fallback_texts_of_strings_js_are_the_msgids():
    german = read_strings()

    def pairs(tree, python, prefix=""):
        for key, value in python.items():
            if isinstance(value, dict):
                yield from pairs(tree[key], value, f"{prefix}{key}.")
            else:
                yield prefix + key, tree[key], value

    assert [p for p in pairs(german, JS_STRINGS) if p[1] != p[2]] == []


def test_every_label_in_the_database_is_listed_for_translation(session):
    labels = set(session.execute(text("""
        SELECT label_de FROM categories
        UNION SELECT label_de FROM category_attributes
        UNION SELECT v->>'label_de' FROM category_attributes, jsonb_array_elements("values") v
    """)).scalars())
    assert labels - set(LABELS) == set(), "add these to mapapp/i18n_labels.py"


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
