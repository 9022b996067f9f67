#!/bin/bash
# Upgrade a server installed with deploy/install-server.sh, from this checkout:
#   sudo deploy/upgrade.sh            (or: sudo make upgrade-server)
# 1. `git pull --ff-only` when the checkout is a git clone (NO_PULL=1 skips it: copy a new tree
#    here yourself instead), 2. the installer with the options of its last run: it copies the
# changed files to /opt/mapapp/src, reinstalls the venv when dependencies changed, runs
# `mapapp db upgrade`, and reloads gunicorn gracefully (`systemctl reload mapapp-web`: new workers
# with the new code, old ones finish their requests; no request is lost). Extra options are
# passed to the installer.
set -euo pipefail
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -d "$SOURCE_DIR/.git" ] && [ "${NO_PULL:-0}" != 1 ]; then
    git -C "$SOURCE_DIR" pull --ff-only
fi
exec "$SOURCE_DIR/deploy/install-server.sh" "$@"
