#!/usr/bin/env bash
# The fast tier without Maven's test lifecycle: ./labcommons test fast, ./labcommons test <module> fast.
#   scripts/fast-tier.sh [module]
# 1. Compile, only when a source changed: a module is stale when a pom.xml, a file under any src/main, one under
#    its own src/test, or one under the test fixtures shared as test-jars (kernel's and catalogue's src/test) is
#    newer than its target/fast-tier.stamp. The stale modules (and the modules below them, -am) go through
#    `./mvnw -q process-test-classes` with -Dtags=fast (the parent POM's fast-tier profile: Groovy is compiled again only
#    where its sources changed), which also writes each module's test classpath to target/fast-tier.classpath
#    (dependency:build-classpath, scope test; the modules of the tree resolve to their target/classes and
#    target/test-classes, as for surefire at the test phase).
# 2. Run the specifications tagged fast (and module-<module> when a module is named) with the JUnit Platform
#    console launcher (junit-platform-console-standalone, the version of the junit-platform jars on the test
#    classpath; fetched once from Maven Central into .labcommons/junit), one JVM per module with specifications,
#    two at a time, each in its module's directory with surefire's settings (parent pom.xml: -Xmx1g, serial GC,
#    UTF-8, labcommons.test, labcommons.module). Each module prints one line, or its failures in full; the whole
#    output is in <module>/target/fast-tier.log (standard error: fast-tier-output.txt), XML reports in
#    <module>/target/fast-tier-reports.
# Exits non-zero when a module fails to compile or a feature fails.
set -euo pipefail
cd "$(dirname "$0")/.."

module_path() {
  case "$1" in
    kernel|catalogue|booking|usage|billing|reports) echo "platform-core/$1" ;;
    *) echo "$1" ;;
  esac
}

# modules with specifications, in the order of the reactor (upstream first)
all_modules=(kernel catalogue booking usage billing reports tenant-admin search-index federation iot-bridge dev-stack server charts)
if [ -n "${1:-}" ]; then modules=("$1"); else modules=("${all_modules[@]}"); fi

# sources that can change a module's compiled specifications or their classpath
changed_since() {  # <stamp> <module dir>
  find . \( -path ./.git -o -path ./.labcommons -o -name target -o -name node_modules \) -prune -o -type f \
    \( -name pom.xml -o -path '*/src/main/*' -o -path "./$2/src/test/*" \
       -o -path './platform-core/kernel/src/test/*' -o -path './platform-core/catalogue/src/test/*' \) \
    -newer "$1" -print -quit
}

stale=()
for m in "${modules[@]}"; do
  dir=$(module_path "$m")
  stamp="$dir/target/fast-tier.stamp"
  if [ ! -f "$stamp" ] || [ ! -f "$dir/target/fast-tier.classpath" ] || [ -n "$(changed_since "$stamp" "$dir")" ]; then
    stale+=("$dir")
  fi
done

mkdir -p .labcommons/junit
if [ ${#stale[@]} -gt 0 ]; then
  start=.labcommons/junit/compile-start
  touch "$start"   # edits made while Maven runs count as changes for the next run
  pl=$(IFS=,; echo "${stale[*]}")
  echo "fast tier: compiling ${stale[*]} (and the modules below) ..."
  # not offline: the first run on a fresh machine downloads what the local repository lacks
  ./mvnw -B -q -pl "$pl" -am -Dtags=fast process-test-classes dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/fast-tier.classpath -Dmdep.outputAbsoluteArtifactFilename=true
  for dir in "${stale[@]}"; do touch -r "$start" "$dir/target/fast-tier.stamp"; done
fi

# the console launcher of the junit platform on the test classpath
version=$(tr ':' '\n' < "$(module_path "${modules[0]}")/target/fast-tier.classpath" \
  | sed -n 's#.*/junit-platform-engine-\([0-9][^/]*\)\.jar$#\1#p' | head -n1)
if [ -z "$version" ]; then echo "fast tier: no junit-platform-engine on the test classpath" >&2; exit 1; fi
launcher=.labcommons/junit/junit-platform-console-standalone-$version.jar
if [ ! -f "$launcher" ]; then
  echo "fast tier: fetching junit-platform-console-standalone $version ..."
  ./mvnw -B -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$version" \
    -DoutputDirectory=.labcommons/junit
fi
launcher=$PWD/$launcher
case "$version" in 1.[0-9].*) execute=() ;; *) execute=(execute) ;; esac   # 1.10 brought the subcommand

tags=fast
case "${1:-}" in ''|dev-stack|charts) ;; *) tags="fast & module-$1" ;; esac   # no test kit: no module tag

run_module() {  # <module>: runs its fast specifications, output in target/fast-tier.log
  local m=$1 dir
  dir=$(module_path "$m")
  cd "$dir"
  rm -rf target/fast-tier-reports
  java -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dfile.encoding=UTF-8 \
    -Dlabcommons.test=true -Dlabcommons.module="$m" \
    -cp "target/test-classes:target/classes:$(cat target/fast-tier.classpath):$launcher" \
    org.junit.platform.console.ConsoleLauncher "${execute[@]}" --disable-banner --disable-ansi-colors \
    --include-engine=spock --scan-classpath target/test-classes --include-classname='.*Spec' \
    --include-tag="$tags" --details=summary --reports-dir=target/fast-tier-reports \
    > target/fast-tier.log 2> target/fast-tier-output.txt
}

report() {  # <module> <exit status>
  local m=$1 rc=$2 log
  log="$(module_path "$m")/target/fast-tier.log"
  local ok failed
  ok=$(sed -n 's/.*\[ *\([0-9]*\) tests successful.*/\1/p' "$log")
  failed=$(sed -n 's/.*\[ *\([0-9]*\) tests failed.*/\1/p' "$log")
  if [ "$rc" -eq 0 ]; then
    printf '  %-13s %4s passed\n' "$m" "${ok:-0}"
  else
    printf '  %-13s %4s passed, %s FAILED\n' "$m" "${ok:-0}" "${failed:-?}"
    # the launcher's failures (each feature, its condition and stack), else (no summary: the JVM failed) all of it
    if grep -q '^Failures (' "$log"; then sed -n '/^Failures (/,$p' "$log"; else cat "$log"; fi | sed 's/^/    /'
    echo "    (whole output: $log)"
    if [ -s "$(module_path "$m")/target/fast-tier-output.txt" ]; then
      echo "    (standard error: $(module_path "$m")/target/fast-tier-output.txt)"
    fi
  fi
}

echo "fast tier ($tags):"
status=0
declare -A pids=()
for m in "${modules[@]}"; do
  if [ ${#pids[@]} -ge 2 ]; then
    wait -n -p done_pid "${!pids[@]}" && rc=0 || rc=$?
    report "${pids[$done_pid]}" "$rc"; [ "$rc" -eq 0 ] || status=1
    unset "pids[$done_pid]"
  fi
  ( run_module "$m" ) &
  pids[$!]=$m
done
while [ ${#pids[@]} -gt 0 ]; do
  wait -n -p done_pid "${!pids[@]}" && rc=0 || rc=$?
  report "${pids[$done_pid]}" "$rc"; [ "$rc" -eq 0 ] || status=1
  unset "pids[$done_pid]"
done
if [ "$status" -ne 0 ]; then echo "fast tier: FAILED" >&2; fi
exit "$status"
