#!/usr/bin/env bash
# Measures dev mode: time from JVM start until /health is UP with every component, resident
# memory of the whole process tree (the server JVM plus PostgreSQL and Elasticsearch children),
# and that stopping it leaves no process behind. It stops the server with SIGTERM, which runs the
# same JVM shutdown hooks as a terminal's Ctrl-C (SIGINT); a script cannot send a usable SIGINT to a
# background job, which starts with SIGINT ignored. Runs a cold start (empty data directory)
# and a warm start (data kept), each once by default: RUNS=3 benchmarks/dev-stack-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
DIR=$(mktemp -d /tmp/labcommons-bench-XXXX)
trap 'pkill -f "labcommons.dev.dir=$DIR" 2>/dev/null || true; rm -rf "$DIR"' EXIT
./labcommons build >/dev/null


all_descendants() {
  local pid=$1 kids k
  kids=$(pgrep -P "$pid" 2>/dev/null || true)
  for k in $kids; do echo "$k"; all_descendants "$k"; done
}

HEALTH_SUMMARY='
import json, sys
d = json.load(sys.stdin)
print(d["status"], " ".join(k + "=" + v["status"] for k, v in d["details"].items()))
'

run_once() {
  local label=$1 out="$DIR/out.log"
  rm -f "$DIR/home/dev-endpoints.json"
  local t0; t0=$(date +%s%N)
  java -Xms256m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlabcommons.dev.dir="$DIR/home" \
       -jar server/target/labcommons-server.jar --dev >"$out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    [ -f "$DIR/home/dev-endpoints.json" ] && break
    kill -0 $pid 2>/dev/null || { echo "server exited; log:"; tail -40 "$out"; exit 1; }
    sleep 0.2
  done
  local t1; t1=$(date +%s%N)
  local health; health=$(curl -s http://localhost:8080/health)
  local status; status=$(echo "$health" | python3 -c "$HEALTH_SUMMARY")
  sleep 2
  local pids; pids="$pid $(all_descendants $pid | tr '\n' ' ')"
  local rss=0 p
  for p in $pids; do [ -r /proc/$p/status ] && rss=$(( rss + $(awk '/VmRSS/ {print $2}' /proc/$p/status) )); done
  local jvm_rss; jvm_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  local reported; reported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timeToReadyMs"])' "$DIR/home/dev-endpoints.json")
  kill -TERM $pid
  local t2; t2=$(date +%s%N)
  wait $pid || true
  local t3; t3=$(date +%s%N)
  sleep 1
  local stray=0
  for p in $pids; do kill -0 "$p" 2>/dev/null && stray=$((stray+1)); done
  printf '%-5s ready %6.1f s (JVM-reported %5.1f s)  RSS total %5d MB (server JVM %4d MB, children %4d MB)  stop %4.1f s  stray processes %d\n' \
    "$label" "$(awk "BEGIN {print ($t1-$t0)/1e9}")" "$(awk "BEGIN {print $reported/1000}")" $((rss/1024)) $((jvm_rss/1024)) $(((rss-jvm_rss)/1024)) \
    "$(awk "BEGIN {print ($t3-$t2)/1e9}")" "$stray"
  echo "      health: $status"
}

echo "LabCommons dev stack: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$DIR/home"
  run_once "cold"
  run_once "warm"
done
