#!/usr/bin/env bash
# python-package.sh NAME VERSION: installs a Python package from PyPI into the seclog cache, for tests that read our
# output the way Python and Spark users do (pyarrow, pyspark). Prints PYTHONPATH=<dir>. Installs python3 and pip
# from Debian when missing.
set -euo pipefail
NAME=${1:?package name}
VERSION=${2:?package version}
CACHE="${SECLOG_CACHE:-$HOME/.cache/seclog}"
TARGET="$CACHE/$NAME-$VERSION"
log() { echo "$NAME: $*" >&2; }
# shellcheck source=../services/lib.sh
source "$(dirname "$0")/../services/lib.sh"
mkdir -p "$CACHE"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  apt_install "$CACHE/python-apt.log" python3 python3-pip
fi
if [ ! -f "$TARGET/.complete" ]; then
  log "installing $NAME $VERSION into $TARGET"
  rm -rf "$TARGET.tmp"
  # --no-cache-dir: the target is the cache. PySpark comes as a source archive of ~430 MB that pip turns into a wheel;
  # pip's cache would keep that wheel (~440 MB) beside the installed copy, for nothing.
  pip=(python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --no-cache-dir --target "$TARGET.tmp" "$NAME==$VERSION")
  "${pip[@]}" >"$CACHE/$NAME-pip.log" 2>&1 || "${pip[@]}" --break-system-packages >>"$CACHE/$NAME-pip.log" 2>&1 \
    || { log "pip install failed, see $CACHE/$NAME-pip.log"; exit 1; }
  rm -rf "$TARGET" && mv "$TARGET.tmp" "$TARGET" && touch "$TARGET/.complete"
fi
echo "PYTHONPATH=$TARGET"
