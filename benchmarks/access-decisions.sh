#!/usr/bin/env bash
# Drives DEVICES card readers (each its own MQTT 5 connection with its registry credentials) sending access
# requests (up/auth/req, card swipes) at RATE requests/s in total through the embedded HiveMQ CE broker to the
# bridge's interlock, which answers from its grant view (access.grants.v1 in memory) on down/auth/res: p50/p99 from
# request publish to answer receipt. In the same run the raw MQTT round trip: the interlock stopped, a plain echo
# client answers on the same topics; and the ratio of the two p99s.
# It runs iot-bridge's AccessDecisionBenchmarkSpec against the embedded test stack, which it starts itself.
# See benchmarks/README.md.
#   benchmarks/access-decisions.sh                        (50 devices, 1,000 requests/s, 30 s per phase after 30 s of warm-up)
#   DEVICES=20 RATE=500 DURATION=10 benchmarks/access-decisions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES=${DEVICES:-50}
RATE=${RATE:-1000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
HEAP=${HEAP:-2g}
P=labcommons.benchmark.access
PROPS="-D$P.devices=$DEVICES -D$P.rate=$RATE -D$P.seconds=$DURATION -D$P.warmup=$WARMUP ${EXTRA:-}"
REPORT=iot-bridge/target/benchmarks/access-decisions.txt
rm -f "$REPORT"
status=0
./mvnw -B -q -o -pl iot-bridge -am verify -Dtest=AccessDecisionBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx$HEAP -XX:+UseSerialGC -Dfile.encoding=UTF-8 $PROPS" >/dev/null || status=$?
if [ -f "$REPORT" ]; then
    cat "$REPORT"
fi
if [ "$status" -ne 0 ]; then
    echo "the benchmark failed (exit $status): iot-bridge/target/surefire-reports/org.labcommons.iot.interlock.AccessDecisionBenchmarkSpec*.txt" >&2
fi
exit "$status"
