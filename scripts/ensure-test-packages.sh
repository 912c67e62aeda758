#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when they are missing.
# Today the suite needs none beyond a JDK: PostgreSQL, Kafka, Elasticsearch, the MQTT broker and
# the identity provider all come from Maven Central. Browser tests (catalogue, search and booking
# pages) will add Debian's chromium, chromium-driver and fonts-wqy-microhei here.
set -euo pipefail
missing=()
for pkg in ${LABCOMMONS_TEST_PACKAGES:-}; do
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
