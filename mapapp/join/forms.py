"""The join form: an optional nickname and the CSRF token, nothing else."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from mapapp.findings.participants import NICKNAME_MAX


class JoinForm(FlaskForm):
    nickname = StringField(lazy_gettext("Spitzname (optional)"), validators=[Optional(), Length(max=NICKNAME_MAX)],
                           render_kw={"autocomplete": "off", "maxlength": NICKNAME_MAX})
