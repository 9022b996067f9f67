from tests.basemap.archive import basemap, basemap_file  # noqa: F401  (fixtures)
