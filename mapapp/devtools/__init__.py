"""Development tooling, not served: the private PostGIS cluster (``mapapp pg …``), the demo
data (``mapapp demo load``) and the home-screen icon drawing (``python -m mapapp.devtools.make_icons``).

The app reaches for the cluster only when no ``DATABASE_URL`` is set, and for its PostgreSQL
binaries when ``pg_dump`` is not on the PATH (mapapp/backup/archive.py).
"""
