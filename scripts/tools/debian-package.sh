#!/usr/bin/env bash
# debian-package.sh COMMAND PACKAGE: makes sure COMMAND is there, installing Debian's PACKAGE when it is not, for
# tests that read our output with the real tool (GoAccess for access logs, auditd's ausearch for audit.log). Prints
# the command's path.
set -euo pipefail
COMMAND=${1:?command}
PACKAGE=${2:?Debian package}
CACHE="${SECLOG_CACHE:-$HOME/.cache/seclog}"
log() { echo "$PACKAGE: $*" >&2; }
# shellcheck source=../services/lib.sh
source "$(dirname "$0")/../services/lib.sh"
find_command() { command -v "$COMMAND" 2>/dev/null || { [ -x "/usr/sbin/$COMMAND" ] && echo "/usr/sbin/$COMMAND"; } || { [ -x "/sbin/$COMMAND" ] && echo "/sbin/$COMMAND"; }; }
if ! find_command >/dev/null; then
  mkdir -p "$CACHE"
  apt_install "$CACHE/$PACKAGE-apt.log" "$PACKAGE"
fi
find_command || { log "installed, but $COMMAND is not on PATH or in /usr/sbin"; exit 1; }
