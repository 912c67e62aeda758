#!/usr/bin/env bash
# The month close at scale: TENANTS institutions, CHARGES charges in all posted as ledger transactions in one month
# (payer debit, lab revenue credit; PAYERS payer accounts per institution), set up in bulk with Ledger.postAll
# (the setup time is printed but is not the goal); then the month close of every institution (statements, the
# finance file in CSV and xlsx with checksums, the ledger period closed): time and peak heap; then a second close of
# all of them, which adds nothing. Goal: the close of all institutions within 60 s on 2 cores.
# It runs billing's MonthCloseBenchmarkSpec against the embedded test stack, which it starts itself.
# See benchmarks/README.md.
#   benchmarks/month-close.sh                          (200 institutions, 1,000,000 charges)
#   TENANTS=20 CHARGES=100000 benchmarks/month-close.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${TENANTS:-200}
CHARGES=${CHARGES:-1000000}
PAYERS=${PAYERS:-50}
BATCH=${BATCH:-5000}
THREADS=${THREADS:-2}
HEAP=${HEAP:-2g}
P=labcommons.benchmark.closing
PROPS="-D$P.tenants=$TENANTS -D$P.charges=$CHARGES -D$P.payers=$PAYERS -D$P.batch=$BATCH -D$P.threads=$THREADS ${EXTRA:-}"
REPORT=platform-core/billing/target/benchmarks/month-close.txt
rm -f "$REPORT"
status=0
./mvnw -B -q -o -pl platform-core/billing verify -Dtest=MonthCloseBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx$HEAP -XX:+UseSerialGC -Dfile.encoding=UTF-8 $PROPS" >/dev/null || status=$?
if [ -f "$REPORT" ]; then
    cat "$REPORT"
fi
if [ "$status" -ne 0 ]; then
    echo "the benchmark failed (exit $status): platform-core/billing/target/surefire-reports/org.labcommons.core.billing.closing.MonthCloseBenchmarkSpec*.txt" >&2
fi
exit "$status"
