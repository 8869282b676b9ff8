#!/usr/bin/env bash
# Installs pyarrow (from PyPI) into the seclog cache, for tests that check our Parquet the way Python users read it.
# Prints PYTHONPATH=<dir>. Installs python3 and pip from Debian when missing.
set -euo pipefail
VERSION=26.0.1
CACHE="${SECLOG_CACHE:-$HOME/.cache/seclog}"
TARGET="$CACHE/pyarrow-$VERSION"
log() { echo "pyarrow: $*" >&2; }
# shellcheck source=../services/lib.sh
source "$(dirname "$0")/../services/lib.sh"
mkdir -p "$CACHE"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  apt_install "$CACHE/pyarrow-apt.log" python3 python3-pip
fi
if [ ! -f "$TARGET/.complete" ]; then
  log "installing pyarrow $VERSION into $TARGET"
  rm -rf "$TARGET.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$TARGET.tmp" "pyarrow==$VERSION" >"$CACHE/pyarrow-pip.log" 2>&1 \
    || python3 -m pip install --quiet --break-system-packages --disable-pip-version-check --target "$TARGET.tmp" "pyarrow==$VERSION" >>"$CACHE/pyarrow-pip.log" 2>&1 \
    || { log "pip install failed, see $CACHE/pyarrow-pip.log"; exit 1; }
  rm -rf "$TARGET" && mv "$TARGET.tmp" "$TARGET" && touch "$TARGET/.complete"
fi
echo "PYTHONPATH=$TARGET"
