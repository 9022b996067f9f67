#!/bin/bash
# Install or update mapapp on one Debian 12 server: PostgreSQL + PostGIS (Debian's packages, the
# system service), Redis, Caddy (HTTPS for the domain), a `mapapp` system user, the app in
# /opt/mapapp, /etc/mapapp/mapapp.env and the systemd units. Idempotent: a second run with the
# same arguments changes nothing (it prints "changed: PATH" for every file it does write).
#
#   sudo deploy/install-server.sh --domain begehung.example.de --email admin@example.de
#   sudo make install-server DOMAIN=begehung.example.de EMAIL=admin@example.de
#
# --tls-internal    Caddy's own CA instead of Let's Encrypt (tests, a host without a public name)
# --root DIR        write the files under DIR only: no packages, users, database or services
#                   (to look at, or to test, what the installer writes)
# --https-port N, --http-port N, --bind HOST:PORT
#                   Caddy's ports (443, 80) and gunicorn's address (127.0.0.1:8000)
# Environment: DOMAIN, EMAIL, TLS_INTERNAL=1 stand for the options. Options left out are taken
# from the last run (/etc/mapapp/install.conf), so `deploy/upgrade.sh` needs none.
set -euo pipefail
# What it makes without a mode of its own (the venv, node_modules) must be readable by user mapapp,
# also when root's umask is a hardened server's 027 or 077.
umask 022

SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOMAIN="${DOMAIN:-}"
EMAIL="${EMAIL:-}"
TLS_INTERNAL="${TLS_INTERNAL:-}"
ROOT=""
HTTPS_PORT=""
HTTP_PORT=""
BIND=""
SETTINGS=(DOMAIN EMAIL TLS_INTERNAL HTTPS_PORT HTTP_PORT BIND)

# Where things go (under ROOT with --root).
APP_DIR=/opt/mapapp
STATE_DIR=/var/lib/mapapp
BACKUP_DIR=/var/backups/mapapp
ENV_FILE=/etc/mapapp/mapapp.env
INSTALL_CONF=/etc/mapapp/install.conf
UNIT_DIR=/etc/systemd/system
CADDYFILE=/etc/caddy/Caddyfile
CLI_WRAPPER=/usr/local/bin/mapapp
DEB_PACKAGES=(postgresql redis-server caddy python3-venv npm rsync openssl ca-certificates)

CHANGED=()

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --domain) DOMAIN="$2"; shift 2 ;;
            --email) EMAIL="$2"; shift 2 ;;
            --tls-internal) TLS_INTERNAL=1; shift ;;
            --root) ROOT="$(realpath -m "$2")"; shift 2 ;;
            --https-port) HTTPS_PORT="$2"; shift 2 ;;
            --http-port) HTTP_PORT="$2"; shift 2 ;;
            --bind) BIND="$2"; shift 2 ;;
            -h|--help) usage 0 ;;
            *) echo "unknown option: $1" >&2; usage 2 ;;
        esac
    done
    load_saved_settings
    TLS_INTERNAL="${TLS_INTERNAL:-0}"
    BIND="${BIND:-127.0.0.1:8000}"
    [ -n "$DOMAIN" ] || { echo "--domain (or DOMAIN=) is required: the server's public host name" >&2; exit 2; }
    [[ "$DOMAIN" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "--domain must be a bare host name, e.g. begehung.example.de" >&2; exit 2; }
    [ -n "$EMAIL" ] || [ "$TLS_INTERNAL" = 1 ] || {
        echo "--email (or EMAIL=) is required: Let's Encrypt writes there before a certificate expires" >&2; exit 2; }
}

# Settings not given now come from the last run.
load_saved_settings() {
    local name
    [ -f "$ROOT$INSTALL_CONF" ] || return 0
    for name in "${SETTINGS[@]}"; do
        [ -n "${!name}" ] || printf -v "$name" '%s' "$(sed -n "s/^$name=//p" "$ROOT$INSTALL_CONF" | tail -n 1)"
    done
}

saved_settings() {
    local name
    echo "# The options of deploy/install-server.sh's last run; a run without them uses these."
    for name in "${SETTINGS[@]}"; do
        echo "$name=${!name}"
    done
}

write_install_conf() {
    put_file "$INSTALL_CONF" 0644 root:root < <(saved_settings)
}

# True when writing for real (not --root).
live() { [ -z "$ROOT" ]; }

say() { echo "install-server: $*"; }

# Put CONTENT (stdin) at PATH with MODE and OWNER:GROUP, only when it differs; record the change.
put_file() {
    local path="$ROOT$1" mode="$2" owner="$3" tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    mkdir -p "$(dirname "$path")"
    if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
        rm -f "$tmp"
    else
        install -m "$mode" "$tmp" "$path"
        rm -f "$tmp"
        CHANGED+=("$1")
        say "changed: $1"
    fi
    chmod "$mode" "$path"
    if live; then chown "$owner" "$path"; fi
}

# A directory with MODE and OWNER:GROUP (ownership only for real).
put_dir() {
    mkdir -p "$ROOT$1"
    chmod "$2" "$ROOT$1"
    if live; then chown "$3" "$ROOT$1"; fi
}

# Whether a file matching the glob PATTERN was written in this run.
changed() {
    local path
    for path in "${CHANGED[@]}"; do
        # shellcheck disable=SC2254  # $1 is a glob on purpose
        case "$path" in $1) return 0 ;; esac
    done
    return 1
}

install_packages() {
    local missing=() package
    for package in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
    # PostGIS for the PostgreSQL major version Debian installed (15 on Debian 12).
    local major
    major="$(pg_lsclusters --no-header | awk 'NR == 1 {print $1}')"
    package="postgresql-${major}-postgis-3"
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package"
    fi
}

create_user() {
    if ! getent passwd mapapp >/dev/null; then
        say "creating system user mapapp"
        adduser --system --group --home "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin mapapp
    fi
}

# The value of NAME in the existing env file, if any: SECRET_KEY survives re-runs.
existing_setting() {
    [ ! -f "$ROOT$ENV_FILE" ] || sed -n "s/^$1=//p" "$ROOT$ENV_FILE" | tail -n 1
}

# The address participants use: the domain, with Caddy's port when it is not 443.
public_base_url() {
    if [ -z "$HTTPS_PORT" ] || [ "$HTTPS_PORT" = 443 ]; then
        echo "https://$DOMAIN"
    else
        echo "https://$DOMAIN:$HTTPS_PORT"
    fi
}

write_env_file() {
    local secret_key
    secret_key="$(existing_setting SECRET_KEY)"
    [ -n "$secret_key" ] || secret_key="$(openssl rand -hex 32)"
    put_file "$ENV_FILE" 0640 root:mapapp <<EOF
# mapapp's settings (README, "Configuration"), written by deploy/install-server.sh.
# A re-run rewrites this file but keeps SECRET_KEY. After changing a value here:
#   systemctl restart mapapp-web mapapp-worker
SECRET_KEY=$secret_key
# The system PostgreSQL over its unix socket, as OS user mapapp (peer authentication: no password).
DATABASE_URL=postgresql://mapapp@/mapapp?host=/var/run/postgresql
MAPAPP_PUBLIC_BASE_URL=$(public_base_url)
MAPAPP_TRUSTED_HOSTS=$DOMAIN,localhost,127.0.0.1
# One proxy (Caddy) in front: client address and https from its X-Forwarded-* headers.
MAPAPP_PROXY_FIX=1
MAPAPP_SESSION_COOKIE_SECURE=true
# Rate limits counted once for all gunicorn workers, not per process.
MAPAPP_REDIS_URL=redis://127.0.0.1:6379/0
MAPAPP_VAR_DIR=$STATE_DIR
MAPAPP_UPLOAD_DIR=$STATE_DIR/uploads
MAPAPP_EXPORT_DIR=$STATE_DIR/exports
# Background exports run in mapapp-worker.service, not in the web workers.
MAPAPP_EXPORT_JOBS_IN_PROCESS=false
MAPAPP_BIND=$BIND
# Read by mapapp-backup.service (deploy/backup.sh): where archives go and how many days they stay.
BACKUP_DIR=$BACKUP_DIR
BACKUP_KEEP_DAYS=14
EOF
}

caddy_global_options() {
    [ -z "$EMAIL" ] || echo "	email $EMAIL"
    [ -z "$HTTPS_PORT" ] || echo "	https_port $HTTPS_PORT"
    [ -z "$HTTP_PORT" ] || echo "	http_port $HTTP_PORT"
    # Its own CA stays Caddy's: who needs to trust it imports its root (docs/deployment.md).
    [ "$TLS_INTERNAL" != 1 ] || echo "	skip_install_trust"
}

write_caddyfile() {
    local tls=""
    [ "$TLS_INTERNAL" != 1 ] || tls=$'\ttls internal\n'
    put_file "$CADDYFILE" 0644 root:root <<EOF
# mapapp behind Caddy, written by deploy/install-server.sh (docs/deployment.md).
# HTTPS certificates for $DOMAIN come by themselves (ACME), or from Caddy's own CA (tls internal).
# No "log" directive: Caddy writes no access log, so no client address is stored anywhere.
{
$(caddy_global_options)
}

$DOMAIN {
${tls}	# Five photos of 15 MB in one multipart POST, with the form around them.
	request_body {
		max_size 80MB
	}
	encode zstd gzip
	# The app sends HSTS on every HTTPS answer; this covers Caddy's own (413, 502) too.
	header ?Strict-Transport-Security "max-age=31536000; includeSubDomains"
	reverse_proxy $BIND
}
EOF
}

write_units() {
    local unit
    for unit in "$SOURCE_DIR"/deploy/systemd/*.service "$SOURCE_DIR"/deploy/systemd/*.timer; do
        put_file "$UNIT_DIR/$(basename "$unit")" 0644 root:root <"$unit"
    done
    for unit in "$SOURCE_DIR"/deploy/systemd/mapapp-.service.d/*.conf; do
        put_file "$UNIT_DIR/mapapp-.service.d/$(basename "$unit")" 0644 root:root <"$unit"
    done
}

write_cli_wrapper() {
    put_file "$CLI_WRAPPER" 0755 root:root <<EOF
#!/bin/sh
# mapapp's command line as the services run it: as user mapapp, with $ENV_FILE.
# Written by deploy/install-server.sh; e.g. \`mapapp users create NAME\`, \`mapapp city status\`.
set -a
. $ENV_FILE
set +a
cd $APP_DIR/src
if [ "\$(id -u)" = 0 ]; then
    exec runuser -u mapapp -- $APP_DIR/venv/bin/mapapp "\$@"
fi
exec $APP_DIR/venv/bin/mapapp "\$@"
EOF
}

# The checked-out tree, without state or build products, into APP_DIR/src (root-owned: the app
# cannot change its own code). Only files that differ are copied.
copy_tree() {
    mkdir -p "$ROOT$APP_DIR/src"
    local out
    out="$(rsync -rlpc --chmod=go-w,go+rX --delete --itemize-changes \
        --exclude=/.git/ --exclude=/.venv/ --exclude=/var/ --exclude=/node_modules/ \
        --exclude=__pycache__/ --exclude='*.pyc' --exclude='*.mo' --exclude=/mapapp.egg-info/ \
        --exclude=/.pytest_cache/ --exclude=/test-results/ \
        "$SOURCE_DIR/" "$ROOT$APP_DIR/src/")"
    if [ -n "$out" ]; then
        CHANGED+=("$APP_DIR/src/")
        say "changed: $APP_DIR/src/ ($(printf '%s\n' "$out" | wc -l) entries)"
    fi
}

# The browser packages of package-lock.json into APP_DIR/src/node_modules. `npm ci` empties
# node_modules before it fills it, and the running web app serves /vendor/ from there: it runs in a
# scratch directory, and two renames then put the new tree in place of the old one.
install_node_modules() {
    local src="$APP_DIR/src" build="$APP_DIR/npm-build" old="$APP_DIR/node_modules.old"
    rm -rf "$build" "$old"
    mkdir -p "$build"
    cp "$src/package.json" "$src/package-lock.json" "$build/"
    (cd "$build" && npm ci --omit=dev --no-audit --no-fund)
    if [ -e "$src/node_modules" ]; then mv "$src/node_modules" "$old"; fi
    mv "$build/node_modules" "$src/node_modules"
    rm -rf "$build" "$old"
}

# The venv (an editable install of APP_DIR/src, as in the Dockerfile: templates, static files,
# migrations and catalogues are found beside pyproject.toml), browser packages, catalogues.
build_app() {
    local src="$APP_DIR/src" stamp="$APP_DIR/venv/.installed-from"
    local want
    want="$(cat "$src/pyproject.toml" "$src/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
    if [ ! -x "$APP_DIR/venv/bin/python" ]; then
        python3 -m venv "$APP_DIR/venv"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing the app into $APP_DIR/venv"
        "$APP_DIR/venv/bin/pip" install -q --upgrade pip
        "$APP_DIR/venv/bin/pip" install -q -e "$src"
        install_node_modules
        echo "$want" >"$stamp"
        CHANGED+=("$APP_DIR/venv/")
    fi
    (cd "$src" && "$APP_DIR/venv/bin/mapapp" translations compile >/dev/null)
    # Bytecode now, as root: user mapapp cannot write into the code it runs.
    "$APP_DIR/venv/bin/python" -m compileall -q "$src/mapapp" "$src/migrations" >/dev/null
}

setup_database() {
    systemctl -q enable --now postgresql
    local psql=(runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'mapapp'")" != 1 ]; then
        say "creating database role mapapp"
        "${psql[@]}" -c "CREATE ROLE mapapp LOGIN"
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'mapapp'")" != 1 ]; then
        say "creating database mapapp"
        "${psql[@]}" -c "CREATE DATABASE mapapp OWNER mapapp"
    fi
    # PostGIS needs a superuser to be created; the migrations then find it in place.
    "${psql[@]}" -d mapapp -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v "already exists" || true
}

migrate() {
    "$CLI_WRAPPER" db upgrade
    "$CLI_WRAPPER" districts load-default >/dev/null
}

start_services() {
    systemctl -q enable --now redis-server
    if changed "$UNIT_DIR/*"; then
        systemctl daemon-reload
    fi
    # Enabled first, started last: a first run starts them once, not once and then again.
    systemctl -q enable mapapp-web.service mapapp-worker.service mapapp-city.timer mapapp-backup.timer
    if changed "$ENV_FILE" || changed "$UNIT_DIR/*"; then
        systemctl restart mapapp-web.service mapapp-worker.service
    elif changed "$APP_DIR/*"; then
        # New code, same settings: gunicorn replaces its workers one by one (no request lost).
        systemctl reload-or-restart mapapp-web.service
        systemctl restart mapapp-worker.service
    fi
    systemctl start mapapp-web.service mapapp-worker.service mapapp-city.timer mapapp-backup.timer
    systemctl -q enable --now caddy
    if changed "$CADDYFILE"; then
        systemctl reload-or-restart caddy
    fi
}

main() {
    parse_args "$@"
    if live; then
        [ "$(id -u)" = 0 ] || { echo "run as root (sudo), or with --root DIR to only write the files" >&2; exit 1; }
        cd /  # readable for the users the steps run as (postgres, mapapp)
        install_packages
        create_user
    fi
    put_dir /etc/mapapp 0750 root:mapapp
    put_dir "$STATE_DIR" 0750 mapapp:mapapp
    put_dir "$STATE_DIR/uploads" 0750 mapapp:mapapp
    put_dir "$STATE_DIR/exports" 0750 mapapp:mapapp
    put_dir "$BACKUP_DIR" 0750 mapapp:mapapp
    write_install_conf
    write_env_file
    write_caddyfile
    write_units
    write_cli_wrapper
    copy_tree
    if live; then
        build_app
        setup_database
        migrate
        start_services
    fi
    if [ ${#CHANGED[@]} -eq 0 ]; then
        say "nothing to change"
    else
        say "done: https://$DOMAIN/"
    fi
}

main "$@"
