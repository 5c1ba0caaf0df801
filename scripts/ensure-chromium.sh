#!/bin/sh
# Installs Debian's Chromium for the browser tests when it is missing and we may (root with apt-get).
# Never fails the build: without Chromium the browser tests skip with a reason (and fail under CI=true).
CHROMIUM="${PEERCHAT_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing chromium with apt-get for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
        || echo "ensure-chromium: apt-get could not install chromium; the browser tests will skip"
else
    echo "ensure-chromium: $CHROMIUM is missing and we are not root; run 'apt-get install chromium' to run the browser tests"
fi
exit 0
