"""The sign-in, sign-out and change-password forms (all carry a CSRF token), and the
translated reasons a new password is refused."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, ValidationError
from wtforms.validators import DataRequired, EqualTo, Length

from mapapp.auth import users
from mapapp.errors import ValidationFailed

PASSWORD_MESSAGES = {
    users.PASSWORD_TOO_SHORT: lazy_gettext("Das Passwort muss mindestens %(n)s Zeichen lang sein.",
                                           n=users.PASSWORD_MIN_LENGTH),
    users.PASSWORD_TOO_LONG: lazy_gettext("Das Passwort darf höchstens %(n)s Zeichen lang sein.",
                                          n=users.PASSWORD_MAX_LENGTH),
    users.PASSWORD_HAS_USERNAME: lazy_gettext("Das Passwort darf den Benutzernamen nicht enthalten."),
    users.PASSWORD_TOO_GUESSABLE: lazy_gettext(
        "Dieses Passwort ist zu leicht zu erraten: Es ist ein häufiges Passwort oder folgt einem bekannten "
        "Muster (Wörter, Namen, Jahreszahlen, Tastaturfolgen). Nimm besser mehrere ungewöhnliche Wörter, "
        "zum Beispiel einen kurzen, eigenen Satz."),
}
PASSWORD_HINT = lazy_gettext("Mindestens %(n)s Zeichen und nicht leicht zu erraten: kein häufiges Passwort, "
                             "nicht der Benutzername. Gut sind mehrere ungewöhnliche Wörter.",
                             n=users.PASSWORD_MIN_LENGTH)


def password_message(problem: str):
    """The translated reason for one of ``users.PASSWORD_*`` (the problem itself if unknown)."""
    return PASSWORD_MESSAGES.get(problem, problem)


def check_new_password(field, username: str | None) -> None:
    """Raise ValidationError with the translated reason when ``field`` holds a weak password."""
    problem = users.password_problem(field.data, username)
    if problem:
        raise ValidationError(password_message(problem))


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Benutzername"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(lazy_gettext("Passwort"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that another site cannot sign organisers out."""


class ChangePasswordForm(FlaskForm):
    """The signed-in user's current password, and the new one twice."""

    current_password = PasswordField(lazy_gettext("Bisheriges Passwort"),
                                     validators=[DataRequired(), Length(max=users.PASSWORD_MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(lazy_gettext("Neues Passwort"), validators=[DataRequired()],
                                 render_kw={"autocomplete": "new-password"})
    new_password_again = PasswordField(
        lazy_gettext("Neues Passwort wiederholen"),
        validators=[DataRequired(), EqualTo("new_password", lazy_gettext("Die beiden neuen Passwörter sind "
                                                                         "nicht gleich."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, username: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_name = username

    def validate_new_password(self, field):
        check_new_password(field, self.account_name)

    def show_domain_errors(self, err: ValidationFailed) -> None:
        for problem in err.fields.values():
            self.new_password.errors = [*self.new_password.errors, password_message(problem)]
