#!/usr/bin/env bash
# Drives DEVICES simulated instrument controllers (each its own MQTT 5 session, QoS 1, persistent
# session; a tenth of the messages Ed25519-signed usage events, the rest power samples; in a load
# generator JVM of their own, pinned to one core with taskset) at RATE messages/s through the
# embedded HiveMQ CE broker (PERSISTENCE: file or in-memory, the device access decision)
# and the bridge (a JVM of its own, labcommons.roles=iot) into Kafka, and in the same run the raw
# broker rate (the same fleet publishing to a plain QoS 1 subscriber, no bridge) and the ratio.
# Then a burst: the bridge is killed, BURST messages queue in the broker, the bridge is started again
# and drains them (its heap from its GC log, its resident memory from /proc). At the end every device
# is reconciled by seq: lost, duplicates after de-duplication by eventId, dead letters.
# It runs iot-bridge's IotIngestBenchmarkSpec against the embedded test stack, which it starts itself.
# See benchmarks/README.md.
#   benchmarks/iot-ingest.sh                                 (2,000 devices, 12,000 msg/s offered, 30 s per phase)
#   DEVICES=500 RATE=5000 DURATION=10 benchmarks/iot-ingest.sh
#   PERSISTENCE=in-memory benchmarks/iot-ingest.sh             (the broker keeps sessions and queues in memory only)
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES=${DEVICES:-2000}
RATE=${RATE:-12000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
BURST=${BURST:-50000}
HEAP=${HEAP:-2g}
BRIDGE_HEAP=${BRIDGE_HEAP:-512m}
GENERATOR_HEAP=${GENERATOR_HEAP:-768m}
PERSISTENCE=${PERSISTENCE:-file}
STALL=${STALL:-60}
P=labcommons.benchmark.iot
PROPS="-D$P.devices=$DEVICES -D$P.rate=$RATE -D$P.seconds=$DURATION -D$P.warmup=$WARMUP -D$P.burst=$BURST -D$P.bridge-heap=$BRIDGE_HEAP"
PROPS="$PROPS -D$P.generator-heap=$GENERATOR_HEAP -D$P.persistence=$PERSISTENCE -D$P.stall-seconds=$STALL ${EXTRA:-}"
# BRIDGE_JVM: more options for the bridge's JVM, e.g. BRIDGE_JVM=-XX:StartFlightRecording=filename=/tmp/bridge.jfr,settings=profile
if [ -n "${BRIDGE_JVM:-}" ]; then PROPS="$PROPS -D$P.bridge-jvm=$BRIDGE_JVM"; fi
REPORT=iot-bridge/target/benchmarks/iot-ingest.txt
rm -f "$REPORT"
status=0
./mvnw -B -q -o -pl iot-bridge -am verify -Dtest=IotIngestBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx$HEAP -XX:+UseSerialGC -Dfile.encoding=UTF-8 $PROPS" >/dev/null || status=$?
if [ -f "$REPORT" ]; then
    cat "$REPORT"
fi
if [ "$status" -ne 0 ]; then
    echo "the benchmark failed (exit $status): iot-bridge/target/surefire-reports/org.labcommons.iot.faults.IotIngestBenchmarkSpec*.txt" >&2
fi
exit "$status"
