#!/usr/bin/env bash
# Session building throughput over a replayed day: DEVICES power meters (one per instrument), a sample every
# EVERY_S seconds for 24 hours, written to iot.telemetry.v1 as the IoT bridge writes it while usage's reading
# consumer is stopped; then the consumer is started and drains the backlog (readings stored on conflict do nothing,
# each touched instrument's sessions computed again in the same tenant transaction, usage.session.v1 events through
# the outbox). Prints readings consumed and stored per second and sessions built per second.
# It runs usage's UsageSessionsBenchmarkSpec against the embedded test stack, which it starts itself.
# See benchmarks/README.md.
#   benchmarks/usage-sessions.sh                       (2,000 devices, a sample a minute: 2.88 million readings)
#   DEVICES=200 EVERY_S=60 benchmarks/usage-sessions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES=${DEVICES:-2000}
EVERY_S=${EVERY_S:-60}
HEAP=${HEAP:-2g}
P=labcommons.benchmark.usage
PROPS="-D$P.devices=$DEVICES -D$P.every-s=$EVERY_S ${EXTRA:-}"
REPORT=platform-core/usage/target/benchmarks/usage-sessions.txt
rm -f "$REPORT"
status=0
./mvnw -B -q -o -pl platform-core/usage -am verify -Dtest=UsageSessionsBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx$HEAP -XX:+UseSerialGC -Dfile.encoding=UTF-8 $PROPS" >/dev/null || status=$?
if [ -f "$REPORT" ]; then
    cat "$REPORT"
fi
if [ "$status" -ne 0 ]; then
    echo "the benchmark failed (exit $status): platform-core/usage/target/surefire-reports/org.labcommons.core.usage.sessions.UsageSessionsBenchmarkSpec*.txt" >&2
fi
exit "$status"
