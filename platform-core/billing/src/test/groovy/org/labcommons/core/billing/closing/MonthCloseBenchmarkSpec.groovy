package org.labcommons.core.billing.closing

import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.LedgerClock
import org.labcommons.core.billing.ledger.Line
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.billing.ledger.NewTransaction
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Tag

import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardOpenOption
import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import java.time.ZoneOffset
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The load behind {@code benchmarks/month-close.sh}: {@code tenants} institutions, {@code charges} charges in all
 * posted as ledger transactions in one month (payer debit, lab revenue credit; {@code payers} payer accounts per
 * institution, each with a finance code), set up with {@link Ledger#postAll} in batches (the setup time is printed);
 * then the month close of every institution (time, peak heap), and a second close of all of them, which must add
 * nothing (same files, same statements). Figures go to stdout and {@code target/benchmarks/month-close.txt}. In the
 * suite it runs at a smoke size; the script sets {@code labcommons.benchmark.closing.*}.
 */
@Tag('benchmark-smoke')
class MonthCloseBenchmarkSpec extends PlatformSpec {
    static final String P = 'labcommons.benchmark.closing.'
    static final Path REPORT = Paths.get('target', 'benchmarks', 'month-close.txt')
    static final YearMonth MONTH = YearMonth.of(2035, 3)

    @Inject Ledger ledger
    @Inject LedgerClock clock
    @Inject MonthCloses closes

    private static void out(String line) {
        println line
        Files.writeString(REPORT, line + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
    }

    static long heapPeakBytes() {
        ManagementFactory.memoryPoolMXBeans.findAll { it.type == MemoryType.HEAP }.sum { it.peakUsage.used } as long
    }

    static void resetPeaks() {
        ManagementFactory.memoryPoolMXBeans.each { it.resetPeakUsage() }
    }

    static String load() {
        def os = ManagementFactory.operatingSystemMXBean
        String.format('%.2f', os.systemLoadAverage)
    }

    def cleanup() {
        clock.set(null)
    }

    def "a month of charges of many institutions is closed, and closed again adding nothing"() {
        given:
        int tenants = Integer.getInteger(P + 'tenants', 3)
        int charges = Integer.getInteger(P + 'charges', 3_000)
        int payersPer = Integer.getInteger(P + 'payers', 5)
        int batch = Integer.getInteger(P + 'batch', 5_000)
        int threads = Integer.getInteger(P + 'threads', 2)
        Files.createDirectories(REPORT.parent)
        Files.deleteIfExists(REPORT)
        out("month-close benchmark: ${tenants} institutions, ${charges} charges, ${payersPer} payers each, " +
                "${Runtime.runtime.availableProcessors()} cores, load average ${load()}")
        String run = UUID.randomUUID().toString().take(6)
        long t0 = System.nanoTime()
        def world = TenantWorld.build(ctx) { (1..tenants).each { institution("bench-close-${run}-${it}") } }
        List<TenantId> ids = (1..tenants).collect { new TenantId(world.tenant("bench-close-${run}-${it}").id) }
        Map<TenantId, List<String>> payers = [:]
        Map<TenantId, String> labs = [:]
        ids.each { t ->
            labs[t] = "6001.lab.${UUID.randomUUID()}".toString()
            ledger.ensureAccount(t, new NewAccount(labs[t], 'revenue', '测试实验室', 'Bench lab', null, null))
            payers[t] = (1..payersPer).collect { i ->
                String code = "1122.payer.${UUID.randomUUID()}"
                ledger.ensureAccount(t, new NewAccount(code, 'asset', "课题 ${i}", "Project ${i}", 'payer', null))
                TestStatementPayers.INFO[code] = new PayerInfo("G-${run}-${i}", "课题 ${i}", "Project ${i}",
                        "F-${run}-${String.format('%04d', i)}", LocalDate.of(2099, 1, 1), 'active', null)
                code
            }
        }
        long tWorld = System.nanoTime()
        clock.set(Clock.fixed(Instant.parse('2035-03-10T02:00:00Z'), ZoneOffset.UTC))

        when: 'the charges are posted in bulk'
        def pool = Executors.newFixedThreadPool(threads)
        def futures = ids.withIndex().collect { TenantId t, int ti ->
            int mine = charges.intdiv(tenants) + (ti < charges % tenants ? 1 : 0)
            pool.submit({
                Random random = new Random(ti)
                for (int from = 0; from < mine; from += batch) {
                    List<NewTransaction> txs = []
                    for (int i = from; i < Math.min(mine, from + batch); i++) {
                        long fen = 100 + random.nextInt(100_000)
                        String payer = payers[t][random.nextInt(payersPer)]
                        txs << new NewTransaction("bench:${i}", 'charge', 'charge', "c${i}", null, 'bench',
                                [new Line(payer, fen), new Line(labs[t], -fen)])
                    }
                    ledger.postAll(t, txs)
                }
            } as Runnable)
        }
        futures*.get()
        long tPosted = System.nanoTime()
        out(String.format('setup: institutions and accounts %.1f s; %d charges posted in %.1f s (%.0f/s, %d threads, batches of %d), load average %s',
                (tWorld - t0) / 1e9, charges, (tPosted - tWorld) / 1e9, charges / ((tPosted - tWorld) / 1e9), threads, batch, load()))

        and: 'every institution closes the month'
        clock.set(Clock.fixed(Instant.parse('2035-04-02T02:00:00Z'), ZoneOffset.UTC))
        System.gc()
        resetPeaks()
        def actor = AuditEntry.Actor.SYSTEM
        def first = ids.collect { t -> pool.submit({ closes.close(t, MONTH, actor, 'bench') } as java.util.concurrent.Callable) }*.get()
        long tClosed = System.nanoTime()
        long peak = heapPeakBytes()
        out(String.format('close: %d institutions in %.1f s (%d statements, %d deduction rows), peak heap %d MiB, load average %s',
                tenants, (tClosed - tPosted) / 1e9, first.sum { it.close().statementCount() }, first.sum { it.close().deductionRows() },
                peak.intdiv(1024 * 1024), load()))

        and: 'every institution closes it again'
        def second = ids.collect { t -> pool.submit({ closes.close(t, MONTH, actor, 'bench') } as java.util.concurrent.Callable) }*.get()
        long tAgain = System.nanoTime()
        out(String.format('second close: %d institutions in %.1f s, all replayed: %s, load average %s', tenants,
                (tAgain - tClosed) / 1e9, second.every { it.replayed() }, load()))
        pool.shutdown()
        pool.awaitTermination(1, TimeUnit.MINUTES)

        then:
        first.every { !it.replayed() }
        first.sum { it.close().deductionFen() } == ids.sum { t -> ledger.balance(t, labs[t]) } * -1
        second.every { it.replayed() }
        second*.close() == first*.close()
        first.sum { it.close().statementCount() } == tenants * payersPer
    }
}
