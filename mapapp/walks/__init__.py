"""Walks (Ortsbegehungen): listing them, creating and editing them, and what organisers list.

``listing`` lists and creates walks, ``editing`` is the organiser's full create/change with
its PostGIS checks, ``queries`` what the organiser pages list. The district a walk belongs
to comes from the database function ``mapapp_districts_at`` shared with the findings.
"""
