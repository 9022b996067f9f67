"""Backup and restore of the database and the photo files as one verifiable archive."""
