#!/bin/sh
# One `mapapp backup` archive into BACKUP_DIR (default /var/backups/mapapp), named by its UTC time;
# then archives older than BACKUP_KEEP_DAYS (default 14) go. Run by mapapp-backup.service as
# user mapapp with /etc/mapapp/mapapp.env. Old archives are removed only after a new one was
# written, so a failing backup never leaves the directory empty.
set -eu
dir="${BACKUP_DIR:-/var/backups/mapapp}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
mapapp="${MAPAPP_CLI:-/opt/mapapp/venv/bin/mapapp}"
archive="$dir/mapapp-$(date -u +%Y%m%dT%H%M%SZ).tar"

"$mapapp" backup "$archive"
find "$dir" -maxdepth 1 -type f -name 'mapapp-*.tar' -mtime "+$keep_days" -print -delete
