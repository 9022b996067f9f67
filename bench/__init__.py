"""The benchmark (`make bench`, bench/run.py): mapapp against pygeoapi, its bare SQL and ogr2ogr."""
