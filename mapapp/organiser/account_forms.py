"""Forms of the accounts and teams pages; the domain's field errors shown in the page's language."""
from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import AnyOf, DataRequired, Length

from mapapp.auth.forms import check_new_password, password_message
from mapapp.auth.users import USERNAME_PATTERN, normalise_username
from mapapp.errors import ValidationFailed
from mapapp.i18n import category_label
from mapapp.organiser.forms import CheckboxesField
from mapapp.review.teams import NAME_MAX_LENGTH

ROLE_LABELS = {
    "organiser": lazy_gettext("Organisation"),
    "team_member": lazy_gettext("Teammitglied"),
}

USER_MESSAGES = {
    "username": lazy_gettext("2 bis 80 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Unterstrich oder Bindestrich."),
    "username_taken": lazy_gettext("Diesen Benutzernamen gibt es schon."),
    "role": lazy_gettext("Bitte eine Rolle wählen."),
}
TEAM_MESSAGES = {
    "name": lazy_gettext("Bitte einen Namen angeben (höchstens %(n)s Zeichen).", n=NAME_MAX_LENGTH),
    "name_taken": lazy_gettext("Ein Team mit diesem Namen gibt es schon."),
    "categories": lazy_gettext("Bitte mindestens eine der angebotenen Kategorien wählen."),
    "user": lazy_gettext("Nur Konten mit der Rolle Teammitglied können einem Team angehören."),
}


def domain_message(messages: dict, field: str, problem: str):
    """The translated message for a domain error; ``*_taken`` when the name is already used."""
    if ("taken" in problem or "already" in problem) and f"{field}_taken" in messages:
        return messages[f"{field}_taken"]
    return messages.get(field, problem)


class UserForm(FlaskForm):
    username = StringField(lazy_gettext("Benutzername"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "off", "autocapitalize": "none"})
    display_name = StringField(lazy_gettext("Angezeigter Name (optional)"), validators=[Length(max=120)])
    role = SelectField(lazy_gettext("Rolle"), default="team_member")
    password = PasswordField(lazy_gettext("Passwort"), validators=[DataRequired()],
                             render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = list(ROLE_LABELS.items())

    def validate_username(self, field):
        if not USERNAME_PATTERN.fullmatch(normalise_username(field.data)):
            raise ValidationError(USER_MESSAGES["username"])

    def validate_password(self, field):
        check_new_password(field, self.username.data)

    def show_domain_errors(self, err: ValidationFailed) -> None:
        for name, problem in err.fields.items():
            target = getattr(self, name, self.username)
            message = password_message(problem) if name == "password" else domain_message(USER_MESSAGES, name, problem)
            target.errors = [*target.errors, message]


class SetPasswordForm(FlaskForm):
    """An organiser gives another account a new password (prefixed by the account's id)."""

    password = PasswordField(lazy_gettext("Neues Passwort"), validators=[DataRequired()],
                             render_kw={"autocomplete": "new-password"})


class AccountStateForm(FlaskForm):
    """Lock (``active`` "0") or unlock ("1") an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


def category_choices(categories: list[dict]) -> list[tuple[str, str]]:
    return [(c["slug"], f"{c['icon']} {category_label(c)}") for c in categories]


class TeamForm(FlaskForm):
    name = StringField(lazy_gettext("Name des Teams"),
                       validators=[DataRequired(TEAM_MESSAGES["name"]), Length(max=NAME_MAX_LENGTH)])
    categories = CheckboxesField(lazy_gettext("Kategorien, die das Team prüft"))

    def validate_categories(self, field):
        if not field.data:
            raise ValidationError(TEAM_MESSAGES["categories"])

    def show_domain_errors(self, err: ValidationFailed) -> None:
        for name, problem in err.fields.items():
            target = getattr(self, name, self.name)
            target.errors = [*target.errors, domain_message(TEAM_MESSAGES, name, problem)]


class TeamCategoriesForm(FlaskForm):
    """Change which categories an existing team reviews."""

    categories = CheckboxesField(lazy_gettext("Kategorien"))
    validate_categories = TeamForm.validate_categories


class MemberForm(FlaskForm):
    user_id = SelectField(lazy_gettext("Teammitglied hinzufügen"), coerce=int, choices=[])


class ActionForm(FlaskForm):
    """No fields: only the CSRF token (removing a member)."""
