#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when they are missing.
# PostgreSQL, Kafka, Elasticsearch, the MQTT broker and the identity provider all come from Maven
# Central. Browser specifications (test-kit Browser) drive Debian's chromium through
# chromium-driver, and need a font with Chinese glyphs (fonts-wqy-microhei) or zh-CN pages render
# as boxes. LABCOMMONS_TEST_PACKAGES overrides the list (set it empty to install nothing).
set -euo pipefail
missing=()
for pkg in ${LABCOMMONS_TEST_PACKAGES-chromium chromium-driver fonts-wqy-microhei}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
