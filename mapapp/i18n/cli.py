"""``mapapp translations extract|update|compile``: the message catalogues, through Babel's Python API.

* ``extract`` collects every marked German text (Python, templates, the scripts' texts in
  mapapp/i18n/js_strings.py, the database labels in mapapp/i18n/labels.py) into
  ``mapapp/translations/messages.pot``;
* ``update`` merges that template into each language's ``messages.po`` (creating missing ones)
  and says how many texts still need a translation;
* ``compile`` writes the ``.mo`` files the app reads. It is part of the build (``make install``
  runs it); the ``.mo`` files are not committed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

from mapapp.config import PACKAGE_DIR, project_dir

TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
MAPPING_FILE = PACKAGE_DIR / "babel.cfg"
TEMPLATE_FILE = TRANSLATIONS_DIR / "messages.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
SOURCE_DIRS = ("mapapp", "templates", "static")
WIDTH = 100


@dataclass
class CatalogueStatus:
    lang: str
    translated: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


def _catalogue_path(directory: Path, lang: str, suffix: str) -> Path:
    return directory / lang / "LC_MESSAGES" / f"messages.{suffix}"


def _in_sources(root: Path):
    """Directory filter: only our sources, none of var/, .venv/, node_modules/ or caches."""
    def keep(path: str) -> bool:
        relative = Path(path).relative_to(root).parts
        return relative[0] in SOURCE_DIRS and not any(p.startswith((".", "_")) for p in relative)
    return keep


def extract_messages(root: Path | None = None, mapping: Path = MAPPING_FILE) -> Catalog:
    """Return a template catalogue of every marked text under the project ``root``."""
    root = (root or project_dir()).resolve()
    with mapping.open(encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(mapping))
    catalog = Catalog(project="mapapp", copyright_holder="mapapp", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True, directory_filter=_in_sources(root),
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(catalog: Catalog, path: Path = TEMPLATE_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog, width=WIDTH, sort_by_file=True)


def _status(lang: str, catalog: Catalog) -> CatalogueStatus:
    messages = [m for m in catalog if m.id]
    done = [m for m in messages if not m.fuzzy and (all(m.string) if m.pluralizable else m.string)]
    return CatalogueStatus(lang, len(done), len(messages))


def update_catalogues(languages, template_path: Path = TEMPLATE_FILE,
                      directory: Path = TRANSLATIONS_DIR) -> list[CatalogueStatus]:
    """Merge the template into each language's catalogue; create the missing ones."""
    with template_path.open("rb") as fileobj:
        template = read_po(fileobj)
    report = []
    for lang in languages:
        path = _catalogue_path(directory, lang, "po")
        if path.exists():
            with path.open("rb") as fileobj:
                catalog = read_po(fileobj, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=lang, project="mapapp", charset="utf-8", fuzzy=False,
                header_comment=f"# mapapp: translation {lang} (msgids are the German source texts).",
                last_translator="mapapp", language_team=f"mapapp {lang}",
            )
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        with path.open("wb") as fileobj:
            write_po(fileobj, catalog, width=WIDTH, sort_by_file=True, ignore_obsolete=True)
        report.append(_status(lang, catalog))
    return report


def compile_catalogues(directory: Path = TRANSLATIONS_DIR, output: Path | None = None) -> list[CatalogueStatus]:
    """Write ``messages.mo`` beside (or, with ``output``, under ``output``) every ``messages.po``.

    Raises ValueError naming the catalogue and message when a translation is broken
    (e.g. its placeholders differ from the German text's).
    """
    output = output or directory
    report = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parent.parent.name
        with po_path.open("rb") as fileobj:
            catalog = read_po(fileobj, locale=lang, abort_invalid=True)
        for message, errors in catalog.check():
            raise ValueError(f"{po_path}: {message.id!r}: {'; '.join(map(str, errors))}")
        mo_path = _catalogue_path(output, lang, "mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as fileobj:
            write_mo(fileobj, catalog, use_fuzzy=False)
        report.append(_status(lang, catalog))
    return report


def _echo_report(report: list[CatalogueStatus], verb: str) -> None:
    for item in report:
        note = f", {item.missing} without translation" if item.missing else ""
        click.echo(f"{item.lang}: {verb} {item.translated} of {item.total} texts{note}")


translations = AppGroup("translations", help="Message catalogues: extract, update, compile.")


@translations.command("extract", with_appcontext=False)
def extract_command():
    """Collect the marked German texts into mapapp/translations/messages.pot."""
    catalog = extract_messages()
    write_template(catalog)
    click.echo(f"{len(catalog)} texts written to {TEMPLATE_FILE}")


@translations.command("update", with_appcontext=False)
@click.option("--extract/--no-extract", default=True, help="Extract the texts first (default).")
def update_command(extract):
    """Merge the texts into every language's messages.po (new ones are created)."""
    from mapapp.i18n import DEFAULT_LANGUAGE, LANGUAGES

    if extract:
        extract_command.callback()
    _echo_report(update_catalogues([lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]), "has")


@translations.command("compile", with_appcontext=False)
@click.option("--directory", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the .mo files here instead of beside the .po files.")
def compile_command(output):
    """Compile every messages.po into the messages.mo the app reads."""
    try:
        report = compile_catalogues(output=output)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    _echo_report(report, "compiled")
