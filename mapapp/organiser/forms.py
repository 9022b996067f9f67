"""The walk form: what the organiser types and taps, turned into ``WalkData``."""
from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField, FloatField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField,
    TimeField, ValidationError, widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from mapapp.config import LOCAL_ZONE
from mapapp.errors import ValidationFailed
from mapapp.i18n import category_label
from mapapp.walks.editing import (
    DESCRIPTION_MAX,
    MEETING_POINT_NAME_MAX,
    OUTSIDE,
    TITLE_MAX,
    TOPIC_MAX,
    WalkData,
)


# Domain field → form field that shows the error.
DOMAIN_FIELDS = {
    "title": "title", "topic": "topic", "description": "description", "starts_at": "start_time",
    "ends_at": "end_time", "meeting_point": "meeting_lat", "meeting_point_name": "meeting_point_name",
    "route": "route", "district": "district", "categories": "categories",
}
DOMAIN_MESSAGES = {
    ("meeting_point", OUTSIDE): lazy_gettext("Der Treffpunkt liegt außerhalb von Duisburg."),
    ("route", OUTSIDE): lazy_gettext("Die Route verlässt Duisburg."),
}
FALLBACK_MESSAGES = {
    "ends_at": lazy_gettext("Das Ende muss nach dem Beginn liegen."),
    "district": lazy_gettext("Diesen Ortsteil oder Stadtbezirk gibt es nicht."),
    "categories": lazy_gettext("Bitte nur angebotene Kategorien wählen."),
    "route": lazy_gettext("Die Route ist ungültig."),
    "meeting_point": lazy_gettext("Bitte einen gültigen Treffpunkt angeben."),
}


class CoordinateField(FloatField):
    """A number field that also takes a decimal comma (``51,4565``)."""

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace(",", ".").strip() for value in valuelist])


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WalkForm(FlaskForm):
    title = StringField(lazy_gettext("Titel"), validators=[DataRequired(lazy_gettext("Bitte einen Titel angeben.")),
                                                 Length(max=TITLE_MAX)])
    topic = StringField(lazy_gettext("Thema"), validators=[Optional(), Length(max=TOPIC_MAX)])
    description = TextAreaField(lazy_gettext("Beschreibung"), validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    date = DateField(lazy_gettext("Datum"), validators=[InputRequired(lazy_gettext("Bitte ein Datum angeben."))])
    start_time = TimeField(lazy_gettext("Beginn"),
                           validators=[InputRequired(lazy_gettext("Bitte eine Anfangszeit angeben."))])
    end_time = TimeField(lazy_gettext("Ende (optional)"), validators=[Optional()])
    district = SelectField(lazy_gettext("Ortsteil oder Stadtbezirk"), choices=[], validate_choice=True)
    meeting_point_name = StringField(lazy_gettext("Name des Treffpunkts"),
                                     validators=[Optional(), Length(max=MEETING_POINT_NAME_MAX)])
    meeting_lat = CoordinateField(lazy_gettext("Breite (lat)"), validators=[
        InputRequired(lazy_gettext("Bitte den Treffpunkt auf der Karte setzen oder eingeben.")),
        NumberRange(-90, 90)])
    meeting_lon = CoordinateField(lazy_gettext("Länge (lon)"), validators=[
        InputRequired(lazy_gettext("Bitte den Treffpunkt auf der Karte setzen oder eingeben.")),
        NumberRange(-180, 180)])
    route = HiddenField(lazy_gettext("Geplante Route"))
    categories = CheckboxesField(lazy_gettext("Angebotene Kategorien"))

    def set_choices(self, districts: list[dict], categories: list[dict]) -> None:
        """Fill the district select and the category boxes from the database."""
        self.district_groups = districts
        choices = [("", "")]
        for sb in districts:
            choices.append((f"stadtbezirk:{sb['code']}", sb["name"]))
            choices += [(f"ortsteil:{ot['code']}", ot["name"]) for ot in sb["ortsteile"]]
        self.district.choices = choices
        self.categories.choices = [(c["slug"], f"{c['icon']} {category_label(c)}") for c in categories]

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(lazy_gettext("Das Ende muss nach dem Beginn liegen."))

    def validate_categories(self, field):
        if not field.data:
            raise ValidationError(lazy_gettext("Bitte mindestens eine Kategorie anbieten."))

    def validate_route(self, field):
        if not field.data:
            return
        try:
            geometry = json.loads(field.data)
            points = geometry["coordinates"] if geometry.get("type") == "LineString" else None
        except (ValueError, TypeError, AttributeError, KeyError):
            points = None
        if not isinstance(points, list):
            raise ValidationError(lazy_gettext("Die Route ist ungültig."))
        if len(points) < 2:
            raise ValidationError(lazy_gettext("Eine Route braucht mindestens zwei Punkte."))

    def _local(self, time) -> datetime | None:
        return datetime.combine(self.date.data, time, tzinfo=LOCAL_ZONE) if time else None

    def walk_data(self) -> WalkData:
        return WalkData(
            title=self.title.data, topic=self.topic.data, description=self.description.data,
            starts_at=self._local(self.start_time.data), ends_at=self._local(self.end_time.data),
            meeting_lat=self.meeting_lat.data, meeting_lon=self.meeting_lon.data,
            meeting_point_name=self.meeting_point_name.data,
            district=self.district.data or None, route=self.route.data or None,
            categories=list(self.categories.data),
        )

    def fill_from(self, walk: dict) -> None:
        """Prefill the form from ``walk_detail`` output (for editing)."""
        self.title.data, self.topic.data, self.description.data = walk["title"], walk["topic"], walk["description"]
        if walk["starts_at"]:
            starts = datetime.fromisoformat(walk["starts_at"]).astimezone(LOCAL_ZONE)
            self.date.data, self.start_time.data = starts.date(), starts.time().replace(second=0, microsecond=0)
        if walk["ends_at"]:
            self.end_time.data = datetime.fromisoformat(walk["ends_at"]).astimezone(LOCAL_ZONE).time()
        if walk["ortsteil_code"]:
            self.district.data = f"ortsteil:{walk['ortsteil_code']}"
        elif walk["stadtbezirk_code"]:
            self.district.data = f"stadtbezirk:{walk['stadtbezirk_code']}"
        if walk["meeting_point"]:
            self.meeting_lon.data, self.meeting_lat.data = walk["meeting_point"]["coordinates"]
        self.meeting_point_name.data = walk["meeting_point_name"]
        self.route.data = json.dumps(walk["route"]) if walk["route"] else ""
        self.categories.data = list(walk["categories"])

    def show_domain_errors(self, err: ValidationFailed) -> None:
        """Put the domain's field errors under the form fields, in the page's language."""
        for name, problem in err.fields.items():
            target = getattr(self, DOMAIN_FIELDS.get(name, "title"))
            message = DOMAIN_MESSAGES.get((name, problem)) or FALLBACK_MESSAGES.get(name) or problem
            target.errors = [*target.errors, message]
