#!/usr/bin/env bash
# Measures the catalogue import on a realistic Chinese asset register (RegisterGenerator: mixed
# value and date formats, national classification codes, a few bad rows): upload, dry run, commit
# and re-import, each with its time, the heap it left behind and the heap peak during the step
# (plus the JVM's peak resident memory so far). It runs CatalogueImportBenchmarkSpec against the
# test infrastructure (embedded PostgreSQL 17, Kafka, ...), which it starts itself.
#   ROWS=10000 benchmarks/catalogue-import.sh      (default 10,000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000}
./mvnw -B -q -o -pl platform-core/catalogue -am test -Dtest=CatalogueImportBenchmarkSpec \
    -Dsurefire.failIfNoSpecifiedTests=false -Dlabcommons.benchmark.rows="$ROWS" \
    -Dsurefire.argLine="-Xmx1g -XX:+UseSerialGC -Dfile.encoding=UTF-8 -Dlabcommons.benchmark.rows=$ROWS" >/dev/null
echo "catalogue import benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
cat platform-core/catalogue/target/benchmarks/catalogue-import.txt
