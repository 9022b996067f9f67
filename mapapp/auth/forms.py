"""The sign-in and sign-out forms (both carry a CSRF token)."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Benutzername"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(lazy_gettext("Passwort"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that another site cannot sign organisers out."""
