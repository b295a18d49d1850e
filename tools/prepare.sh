#!/usr/bin/env bash
# Prepares everything `make run` and `make test` need, and nothing twice:
#   - checks that an Odoo 18.0 source tree is at $ODOO_PATH (default /opt/odoo18);
#   - installs the Debian packages for PostgreSQL, wkhtmltopdf and the headers
#     psycopg2 / python-ldap build against, when they are missing, and Debian's
#     Chromium (the browser of the web tours) when /usr/bin/chromium is missing;
#   - starts PostgreSQL when it is not running and gives the current user a role;
#   - creates .venv with Odoo's Python requirements (the Python 3.12 pin set,
#     which installs from wheels on 3.11 too), pytest-odoo, websocket-client
#     (how Odoo's tests drive the browser) and the linters.
# A second run with nothing to do only checks, in a few seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
DEB_PACKAGES=(postgresql libpq-dev libldap2-dev libsasl2-dev wkhtmltopdf)
TOOLS=("pytest-odoo==2.3.0" "websocket-client==1.9.2" "ruff==0.17.6" "pylint-odoo==9.3.24")

say() { printf '[prepare] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

check_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -f "$ODOO_PATH/requirements.txt" ]; then
        cat >&2 <<EOF
[prepare] No Odoo 18.0 source tree found at ODOO_PATH=$ODOO_PATH
          (looked for $ODOO_PATH/odoo-bin and $ODOO_PATH/requirements.txt).
          Check out Odoo 18.0 Community there, for example
            git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_PATH
          or point ODOO_PATH at an existing tree:  make test ODOO_PATH=/path/to/odoo
EOF
        exit 2
    fi
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\),.*/\1/p" "$ODOO_PATH/odoo/release.py")
    if [ "$version" != 18 ]; then
        echo "[prepare] $ODOO_PATH holds Odoo $version, not Odoo 18.0: set ODOO_PATH to an Odoo 18.0 tree." >&2
        exit 2
    fi
}

install_debian_packages() {
    local missing=()
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    # The web tours run in headless Chromium, which Odoo's tests find as `chromium`.
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ ${#missing[@]} -eq 0 ] && return
    command -v apt-get >/dev/null || { echo "[prepare] missing ${missing[*]} and no apt-get: install them by hand." >&2; exit 2; }
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        say "starting PostgreSQL"
        local cluster
        cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
        if [ -z "$cluster" ]; then
            as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main
            cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
        fi
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start
        for _ in $(seq 20); do pg_isready -q && break; sleep 0.5; done
    fi
    local user
    user="$(id -un)"
    if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$user'\"" | grep -q 1; then
        say "creating PostgreSQL role $user"
        as_root su postgres -c "createuser --superuser '$user'"
    fi
}

# Odoo's requirements.txt with every marker evaluated as on Python 3.12.
odoo_requirements() {
    "$PYTHON" - "$ODOO_PATH/requirements.txt" <<'EOF'
import sys
from pip._vendor.packaging.requirements import Requirement
env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate(env):
        print(f"{req.name}{req.specifier}")
EOF
}

# pip, without the notices this machine's pip configuration prints for every
# package its local indexes lack (a failing pip still fails the script).
pip_install() {
    "$VENV/bin/pip" install -q "$@" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
}

prepare_venv() {
    local wanted stamp="$VENV/.prepared"
    wanted="$(odoo_requirements; printf '%s\n' "${TOOLS[@]}")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$VENV/bin/python" ]; then
        return
    fi
    say "installing Python requirements into $VENV (about 30 s)"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    pip_install --upgrade pip setuptools wheel
    printf '%s\n' "$wanted" > "$VENV/requirements.txt"
    pip_install -r "$VENV/requirements.txt"
    printf '%s\n' "$wanted" > "$stamp"
}

check_odoo
install_debian_packages
start_postgresql
prepare_venv
