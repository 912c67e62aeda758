#!/usr/bin/env bash
# Measures the consortium-wide instrument search on a realistic catalogue (search-index's
# CatalogueGenerator: 50 instrument types with real Chinese/English names, makers and models,
# across Chinese university cities): loads INSTRUMENTS instruments over TENANTS institutions with
# batched SQL and rebuilds the index (load and reindex times), then sends the relevance set's
# queries as visitors to GET /api/v1/search/instruments open-loop at each of RATES queries/s for
# DURATION seconds after a WARMUP (latency from each request's scheduled send time: p50/p90/p99/max
# and errors per rate), then renames CHANGES instruments through the REST API (PUT with If-Match,
# as the owner's institution admin) and polls the search every 20 ms until the new name is found
# (change-to-searchable p50/max). Before the open-loop rates it sends SEQUENTIAL queries one at a
# time (the service time without queueing). Errors are reported, not fatal. It runs SearchLoadBenchmarkSpec against the embedded dev stack
# (PostgreSQL 17, Kafka, Elasticsearch with a 256 MB heap unless ES_HEAP says otherwise, the dev identity provider), which it
# starts itself; server and load generator share one JVM. See benchmarks/README.md.
#   benchmarks/search-load.sh                               (140,000 over 200; 50 and 100 q/s for 45 s)
#   INSTRUMENTS=20000 TENANTS=40 DURATION=20 benchmarks/search-load.sh
#   EXTRA="-Dlabcommons.search.queue-wait=1s" benchmarks/search-load.sh   (more system properties)
set -euo pipefail
cd "$(dirname "$0")/.."
INSTRUMENTS=${INSTRUMENTS:-140000}
TENANTS=${TENANTS:-200}
RATES=${RATES:-50,100}
DURATION=${DURATION:-45}
WARMUP=${WARMUP:-20}
CHANGES=${CHANGES:-20}
SEQUENTIAL=${SEQUENTIAL:-200}
AB=${AB:-3}
HEAP=${HEAP:-2g}
ES_HEAP=${ES_HEAP:-256m}
P=labcommons.benchmark.search
PROPS="-D$P.instruments=$INSTRUMENTS -D$P.tenants=$TENANTS -D$P.rates=$RATES -D$P.seconds=$DURATION -D$P.warmup=$WARMUP -D$P.changes=$CHANGES -D$P.sequential=$SEQUENTIAL -D$P.ab=$AB -D$P.strict=false -Dlabcommons.dev.es-heap=$ES_HEAP ${EXTRA:-}"
REPORT=search-index/target/benchmarks/search-load.txt
rm -f "$REPORT"
status=0
./mvnw -B -q -o -pl search-index -am test -Dtest=SearchLoadBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx$HEAP -XX:+UseSerialGC -Dfile.encoding=UTF-8 $PROPS" >/dev/null || status=$?
echo "search benchmark ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ))"
if [ -f "$REPORT" ]; then
    cat "$REPORT"
fi
if [ "$status" -ne 0 ]; then
    echo "the benchmark failed (exit $status): search-index/target/surefire-reports/org.labcommons.search.benchmark.SearchLoadBenchmarkSpec*.txt" >&2
fi
exit "$status"
