#!/usr/bin/env bash
# Install what the browser tests need, once: Debian's chromium (and a JRE for the HTML5
# checker) and axe-core from npm.
#
#   bash scripts/install-browser.sh
#
# Idempotent: each step is skipped when its result is already there. Runs as root (CI, the
# project's machines) or with sudo. Nothing is downloaded from anywhere but Debian's and
# npm's registries; the tests never fetch a browser of their own.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
BROWSER_DIR=tests/browser
AXE="$BROWSER_DIR/node_modules/axe-core/axe.min.js"

say() { echo "install-browser: $*"; }
die() { echo "install-browser: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@" || die "'$*' needs root; run this script as root or with passwordless sudo"
    else
        die "'$*' needs root; run this script as root"
    fi
}

apt_updated=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand (a Debian machine is expected)"
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            || die "apt-get update failed"
        apt_updated=1
    fi
    say "apt-get install -y --no-install-recommends $*"
    local log
    log=$(mktemp)
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
            </dev/null >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        die "apt-get install $* failed (its last lines are above)"
    fi
    rm -f "$log"
}

# 1. Chromium, from Debian.
if [ -x "$CHROMIUM" ]; then
    say "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
    apt_install chromium
    [ -x "$CHROMIUM" ] || die "apt-get installed chromium but $CHROMIUM is missing"
    say "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
fi

# The HTML5 check (tests/site/test_html5.py) runs the W3C checker, a Java program.
if command -v java >/dev/null 2>&1; then
    say "java present"
else
    apt_install default-jre-headless
    command -v java >/dev/null 2>&1 || die "apt-get installed a JRE but java is not on PATH"
fi

# 2. axe-core, from npm, at the version in the committed package-lock.json.
wanted=$(sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' \
    <(grep -A3 '"node_modules/axe-core"' "$BROWSER_DIR/package-lock.json") | head -n1)
[ -n "$wanted" ] || die "no axe-core version in $BROWSER_DIR/package-lock.json"
have=""
if [ -f "$AXE" ]; then
    have=$(sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' "$BROWSER_DIR/node_modules/axe-core/package.json" | head -n1)
fi
if [ "$have" = "$wanted" ]; then
    say "axe-core $have present in $BROWSER_DIR/node_modules"
else
    if ! command -v npm >/dev/null 2>&1; then
        apt_install npm
    fi
    say "npm ci in $BROWSER_DIR (axe-core $wanted${have:+, replacing $have})"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error </dev/null) \
        || die "npm ci in $BROWSER_DIR failed"
    [ -f "$AXE" ] || die "npm ci finished but $AXE is missing"
    say "installed axe-core $wanted"
fi
