"""A walk's results in public: the results page, the overview, Atom feeds and an embeddable widget.

``/w/<join_code>/results`` shows what a walk found and what became of it, once an organiser
has published it (``walks.results_published_at``); before, the public gets a 404 and
organisers a preview. Readers get no cookies and the pages load nothing from other sites
(mapapp/results/readers.py); only the widget may be framed, by ``EMBED_ORIGINS``.
"""
from flask import Blueprint

bp = Blueprint("results", __name__)

from mapapp.results import organiser_routes, routes  # noqa: E402,F401  (routes attach themselves to bp)
