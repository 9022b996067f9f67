"""Concerns (Anliegen): the workflow (statuses, versions, audit trail), its queries, pages and JSON routes."""
