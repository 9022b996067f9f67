"""pygeoapi's PostgreSQL provider for the public views, with their columns in order and bad values as 4xx.

pygeoapi loads a provider by its dotted name (``mapapp.ogc.provider.PublicViewProvider`` in
the configuration), so this module is imported by pygeoapi, on the first request to a
collection's items. Three changes to pygeoapi's ``PostgreSQLProvider``:

- a feature's properties come in the view's column order (pygeoapi collects the columns
  in a set, so the order differed from process to process, and QGIS showed the fields shuffled);
- a value PostgreSQL refuses for a column's type (``?urgency=x``, a filter comparing a
  number with a word, an item id that is no UUID) is a 400, or a 404 for one item, not a 500;
- ``datetime`` on a collection without a time column is a 400 (pygeoapi answers 500).
"""
from __future__ import annotations

from flask_babel import gettext as _
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.provider.sql import PostgreSQLProvider
from sqlalchemy.exc import DataError, StatementError


def _refused_value(error: StatementError) -> bool:
    """PostgreSQL refused a value for a column's type, or SQLAlchemy did before sending it."""
    return isinstance(error, DataError) or isinstance(error.orig, (ValueError, TypeError))


class PublicViewProvider(PostgreSQLProvider):
    """One of the public views (migration 0009) as a feature collection."""

    def query(self, **kwargs):
        if kwargs.get("datetime_") not in (None, "../..") and self.time_field is None:
            raise ProviderInvalidQueryError(user_msg=_("Diese Sammlung hat keine Zeitangaben: datetime geht "
                                                       "hier nicht."))
        try:
            return super().query(**kwargs)
        except StatementError as error:
            if not _refused_value(error):
                raise
            raise ProviderInvalidQueryError(user_msg=_("Ein Wert passt nicht zum Typ des Feldes.")) from error

    def get(self, identifier, **kwargs):
        try:
            return super().get(identifier, **kwargs)
        except StatementError as error:
            if not _refused_value(error):
                raise
            raise ProviderItemNotFoundError(user_msg=_("Dieses Objekt gibt es nicht.")) from error

    def _sqlalchemy_to_feature(self, item, crs_transform_out=None):
        feature = super()._sqlalchemy_to_feature(item, crs_transform_out)
        properties = feature["properties"]
        feature["properties"] = {column.name: properties[column.name]
                                 for column in self.table_model.__table__.columns if column.name in properties}
        return feature
