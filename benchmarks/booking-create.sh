#!/usr/bin/env bash
# Drives booking creation over HTTP with 64 clients (bearer tokens checked, caller resolved, rules
# read, RLS-bound transaction, exclusion constraints, audit entry and outbox row in the same
# transaction) and, in the same run, the raw PostgreSQL insert rate into the same table; prints
# bookings/s, p50/p99, the overlap audit count and the ratio HTTP / raw. It runs
# BookingBenchmarkSpec (the load generator) against the test infrastructure (embedded PostgreSQL 17,
# Kafka, mock OIDC provider), which it starts itself.
#   BOOKINGS=10000 benchmarks/booking-create.sh      (default 10,000)
set -euo pipefail
cd "$(dirname "$0")/.."
BOOKINGS=${BOOKINGS:-10000}
./mvnw -B -q -o -pl platform-core/booking -am test -Dtest=BookingBenchmarkSpec \
    -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx1g -Dfile.encoding=UTF-8 -Dlabcommons.benchmark.bookings=$BOOKINGS" >/dev/null
echo "booking creation benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
cat platform-core/booking/target/benchmarks/booking-create.txt
