"""Languages: which one a request gets, the translated texts for templates, scripts and the API.

German is the source language: every msgid is the German text, so ``de`` needs no catalogue.
The language of a request is, in this order: ``?lang=xx`` (then remembered in the cookie
``mapapp_lang``), the cookie, the best match of ``Accept-Language``, German.

Einfache Sprache (plain German) has no locale of its own in Babel. ``Locale.parse`` accepts
``de_simple`` (and ``de_DE_SIMPLE``, ``de_DE_1901``…) but drops the unknown variant and returns
plain ``de``; Flask-Babel looks catalogues up by ``str(get_locale())``, so a variant would
silently load German. Hence ``de_simple`` is our own language key:

* its catalogue lives in ``translations/de_simple/`` — gettext finds that directory by name, and
  pybabel/``read_po`` parse the name to ``de``, so the plural rules are German's;
* the locale selector hands Babel ``de`` (dates and numbers formatted as in German);
* :class:`LanguageDomain` loads catalogues by our language key instead of Babel's locale;
* in HTML it is ``de-x-simple`` (BCP 47 private use: screen readers read it as German).
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale, support
from babel.dates import format_date, format_time
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, Domain, gettext
from werkzeug.utils import cached_property

from mapapp.config import LOCAL_TZ, LOCAL_ZONE, OSM_ATTRIBUTION, OSM_LINK
from mapapp.i18n.js_strings import JS_STRINGS
from mapapp.statuses import LAZY_LABELS as STATUS_LABELS

DEFAULT_LANGUAGE = "de"
LANGUAGES = {
    "de": "Deutsch",
    "de_simple": "Einfache Sprache",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
}
COOKIE = "mapapp_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
RTL_LANGUAGES = {"ar"}
BABEL_LOCALES = {"de_simple": "de"}
LANGUAGE_TAGS = {"de_simple": "de-x-simple"}
INTL_LOCALES = {"de": "de-DE", "de_simple": "de-DE", "en": "en-GB", "tr": "tr-TR", "ar": "ar"}
# Duisburg's two offsets by name: German's own abbreviations, the international ones elsewhere
# (Babel and tzdata know CET/CEST only).
ZONE_ABBREVIATIONS = {"de": {3600: "MEZ", 7200: "MESZ"}, "": {3600: "CET", 7200: "CEST"}}


def language_tag(lang: str) -> str:
    """BCP 47 tag of a language key, for ``lang`` and ``hreflang`` attributes."""
    return LANGUAGE_TAGS.get(lang, lang.replace("_", "-"))


def match_language(raw: str | None, available) -> str | None:
    """Return the language key ``raw`` names (``tr``, ``TR``, ``tr-TR``, ``de-x-simple``…), or None."""
    if not raw:
        return None
    wanted = raw.strip().replace("-", "_").lower()
    keys = {key.lower(): key for key in available}
    keys.update({language_tag(key).replace("-", "_").lower(): key for key in available})
    if wanted in keys:
        return keys[wanted]
    return keys.get(wanted.split("_", 1)[0])


def select_language(query: str | None, cookie: str | None, accept, available) -> str:
    """Pick the language: query parameter, else cookie, else Accept-Language, else German.

    ``accept`` is werkzeug's ``LanguageAccept`` (``request.accept_languages``) or None.
    Einfache Sprache is only chosen explicitly: no browser asks for it.
    """
    for raw in (query, cookie):
        lang = match_language(raw, available)
        if lang:
            return lang
    if accept:
        offered = [language_tag(key) for key in available if key not in LANGUAGE_TAGS]
        best = accept.best_match(offered)
        if best:
            return match_language(best, available) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language key of this request (German outside a request)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if "mapapp_lang" not in g:
        available = current_app.config["LANGUAGES"]
        g.mapapp_lang = select_language(
            request.args.get("lang"), request.cookies.get(COOKIE), request.accept_languages, available,
        )
    return g.mapapp_lang


def text_direction(lang: str | None = None) -> str:
    """``'rtl'`` for right-to-left languages (Arabic), else ``'ltr'``."""
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


def _babel_locale() -> str:
    lang = current_language()
    return BABEL_LOCALES.get(lang, lang)


class LanguageDomain(Domain):
    """Flask-Babel's domain, but catalogues are looked up by our language key (see module doc)."""

    def get_translations(self):
        if not has_request_context():
            return support.NullTranslations()
        lang = current_language()
        key = (lang, self.domain[0])
        if key not in self.cache:
            translations = support.Translations()
            for dirname in self.translation_directories:
                translations.merge(support.Translations.load(dirname, [lang], self.domain[0]))
            self.cache[key] = translations
        return self.cache[key]


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return LanguageDomain(domain=self.domain)


# ---- texts ------------------------------------------------------------------------


def _translate_tree(tree: dict) -> dict:
    return {key: _translate_tree(value) if isinstance(value, dict) else gettext(value)
            for key, value in tree.items()}


def page_js_strings() -> dict:
    """The scripts' texts in the request's language (keys as in static/js/shared/strings.js).

    Not named ``js_strings``: that is the submodule holding the German tree (``JS_STRINGS``).
    """
    lang = current_language()
    return {
        "lang": lang.split("_", 1)[0],
        "locale": INTL_LOCALES.get(lang, language_tag(lang)),
        "timeZone": LOCAL_TZ,
        "zones": {str(offset): name for offset, name in zone_names(lang).items()},
        "dir": text_direction(lang),
        **_translate_tree(JS_STRINGS),
    }


def translate_label(label_de: str | None, label_en: str | None = None) -> str:
    """A label stored in German (the msgid), in the request's language.

    Without a catalogue entry: the stored English label for English, else the German one.
    """
    if not label_de:
        return label_en or ""
    translated = gettext(label_de)
    if translated == label_de and current_language() == "en" and label_en:
        return label_en
    return translated


def tile_attribution(configured: str | None) -> str:
    """The map tiles' credit (HTML): OpenStreetMap's default one in the request's language.

    A credit the operator configured (``TILE_ATTRIBUTION``) is shown as it is.
    """
    if configured != OSM_ATTRIBUTION:
        return configured or ""
    return gettext("© %(osm)s-Mitwirkende", osm=OSM_LINK)


def category_label(row) -> str:
    """Label of a category, attribute or attribute value (anything with label_de/label_en)."""
    return translate_label(row.get("label_de"), row.get("label_en"))


def localize_category(category: dict) -> dict:
    """Add ``label`` in the request's language to a category, its attributes and their values."""
    localized = {**category, "label": category_label(category)}
    if isinstance(category.get("attributes"), list):
        localized["attributes"] = [
            {**attr, "label": category_label(attr),
             "values": [{**value, "label": category_label(value)} for value in attr.get("values") or []]}
            for attr in category["attributes"]
        ]
    return localized


# ---- times ------------------------------------------------------------------------


def zone_names(lang: str | None = None) -> dict[int, str]:
    """Duisburg's zone by UTC offset in seconds: "MEZ"/"MESZ" in German, "CET"/"CEST" elsewhere."""
    babel_lang = BABEL_LOCALES.get(lang or current_language(), lang or current_language())
    return ZONE_ABBREVIATIONS.get(babel_lang, ZONE_ABBREVIATIONS[""])


def zone_abbreviation(local: datetime, lang: str | None = None) -> str:
    """The zone of a Duisburg time by name (``zone_names``)."""
    return zone_names(lang).get(int(local.utcoffset().total_seconds()), local.tzname())


def local_time(moment: datetime | str | None, lang: str | None = None) -> str:
    """A stored moment as Duisburg time with the zone named: "02.03.2026, 00:30 MEZ".

    Accepts an aware datetime or its ISO text (as the JSON views hold it); a naive one is
    taken as UTC (how the database hands out ``timestamp`` values). Empty for None.
    The template filter ``local_time``; the reports call it with ``lang="de"``.
    """
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(LOCAL_ZONE)
    lang = lang or current_language()
    locale = Locale.parse(BABEL_LOCALES.get(lang, lang))
    when = f"{format_date(local.date(), 'medium', locale=locale)}, {format_time(local.time(), 'HH:mm', locale=locale)}"
    return f"{when} {zone_abbreviation(local, lang)}"


# ---- pages ------------------------------------------------------------------------


def language_links() -> list[dict]:
    """The language switcher's entries: this page's URL with ``lang=xx``, the other arguments kept."""
    current = current_language()
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return [
        {
            "code": lang,
            "tag": language_tag(lang),
            "name": name,
            "dir": text_direction(lang),
            "href": request.path + "?" + urlencode(args + [("lang", lang)]),
            "current": lang == current,
        }
        for lang, name in current_app.config["LANGUAGES"].items()
    ]


def _template_context() -> dict:
    lang = current_language()
    context = {
        "current_lang": lang,
        "current_lang_tag": language_tag(lang),
        "current_lang_name": current_app.config["LANGUAGES"][lang],
        "text_direction": text_direction(lang),
        "js_strings": page_js_strings(),
    }
    context["language_links"] = language_links() if has_request_context() else []
    return context


def _remember_language(response):
    """Keep a language chosen with ``?lang=`` in the cookie.

    No ``Vary: Accept-Language, Cookie``: pages carry no validators (nothing stores them), API
    answers revalidate by ETag (which differs per language), and the service worker's Cache API
    honours Vary, so offline it would find none of the pages and data it stored.
    """
    chosen = match_language(request.args.get("lang"), current_app.config["LANGUAGES"])
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    """Register Flask-Babel with our language selection, the template context and the cookie.

    Templates get the statuses' labels as the global ``status_labels`` (status → label).
    """
    app.config.setdefault("LANGUAGES", dict(LANGUAGES))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", LOCAL_TZ)
    _Babel(app, locale_selector=_babel_locale)
    app.context_processor(_template_context)
    app.add_template_filter(local_time, "local_time")
    app.jinja_env.globals["status_labels"] = STATUS_LABELS
    app.after_request(_remember_language)
