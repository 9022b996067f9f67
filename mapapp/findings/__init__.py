"""Findings: what participants pin on a walk, and everything about one finding.

``store`` saves and queries findings (GeoJSON built by PostGIS), ``fields`` is the one list of
a finding's properties, ``filters`` the one finding filter; ``categories`` and ``attributes``
hold the categories and their questions, ``confirmations`` the "+1" on nearby findings,
``participants`` the anonymous participant cookie and ``own`` a participant's own findings.
No Flask in this package except the participant cookie; the routes live in ``mapapp.api``.
"""
