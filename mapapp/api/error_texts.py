"""Our own texts for pydantic's validation errors, translated into the request's language.

Pydantic words its messages in English; participants read them next to the form fields.
Each error ``type`` we expect gets a German msgid here; anything else keeps pydantic's text.
"""
from flask_babel import gettext as _


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _too_short(ctx: dict) -> str:
    if ctx.get("min_length", 1) <= 1:
        return _("Darf nicht leer sein.")
    return _("Mindestens %(count)s Zeichen.", count=ctx["min_length"])


MESSAGES = {
    "missing": lambda ctx: _("Diese Angabe fehlt."),
    "float_type": lambda ctx: _("Muss eine Zahl sein."),
    "float_parsing": lambda ctx: _("Muss eine Zahl sein."),
    "int_type": lambda ctx: _("Muss eine ganze Zahl sein."),
    "int_parsing": lambda ctx: _("Muss eine ganze Zahl sein."),
    "int_from_float": lambda ctx: _("Muss eine ganze Zahl sein."),
    "finite_number": lambda ctx: _("Muss eine endliche Zahl sein."),
    "less_than_equal": lambda ctx: _("Darf höchstens %(limit)s sein.", limit=_number(ctx["le"])),
    "less_than": lambda ctx: _("Muss kleiner als %(limit)s sein.", limit=_number(ctx["lt"])),
    "greater_than_equal": lambda ctx: _("Muss mindestens %(limit)s sein.", limit=_number(ctx["ge"])),
    "greater_than": lambda ctx: _("Muss größer als %(limit)s sein.", limit=_number(ctx["gt"])),
    "string_type": lambda ctx: _("Muss ein Text sein."),
    "string_too_long": lambda ctx: _("Höchstens %(count)s Zeichen.", count=ctx["max_length"]),
    "string_too_short": _too_short,
    "uuid_parsing": lambda ctx: _("Keine gültige UUID."),
    "uuid_type": lambda ctx: _("Keine gültige UUID."),
    "dict_type": lambda ctx: _("Muss ein JSON-Objekt sein."),
    "list_type": lambda ctx: _("Muss eine Liste sein."),
    "bool_type": lambda ctx: _("Muss wahr oder falsch sein."),
    "bool_parsing": lambda ctx: _("Muss wahr oder falsch sein."),
}


def pydantic_message(item: dict) -> str:
    """The text for one entry of ``ValidationError.errors()``.

    A ``value_error`` carries our own (already translated) text; known types get ours.
    """
    if item["type"] == "value_error":
        return item["msg"].removeprefix("Value error, ")
    text = MESSAGES.get(item["type"])
    return text(item.get("ctx") or {}) if text else item["msg"]
