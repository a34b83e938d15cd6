# Sourced by scripts/run and scripts/test: make .venv with Python >= 3.11 and install the project into it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "scripts: need Python >= 3.11 (set PYTHON=...)" >&2; exit 2; }
VENV=${VENV:-$ROOT/.venv}
started=$SECONDS
say() { echo "scripts: $* ($((SECONDS - started)) s)" >&2; }
# The query page's editor (frontend/, pinned by package-lock.json) built into src/cstograph/server/static/dist/.
if [ -f "$ROOT/frontend/package.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! "$ROOT/frontend/node_modules/.package-lock.json" -nt "$ROOT/frontend/package-lock.json" ]; then
      say "installing the query page's packages (npm ci)"
      (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
        || echo "scripts: npm ci failed: the query page will have no editor" >&2
    fi
    (cd "$ROOT/frontend" && npm run build --silent >/dev/null 2>&1) \
      || echo "scripts: the query page's build failed (cd frontend && npm run build): it will have no editor" >&2
  else
    echo "scripts: npm not found: the query page will have no editor (apt-get install npm)" >&2
  fi
fi
[ -x "$VENV/bin/python" ] || { say "making $VENV"; "$PY" -m venv "$VENV"; }
say "installing cstograph and its Python packages into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$EXTRAS]"
say "installed"
