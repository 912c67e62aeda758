package org.labcommons.core.billing.ledger

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.sql.Connection
import java.time.Clock
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneId
import java.time.ZoneOffset
import java.time.ZonedDateTime

/**
 * The ledger's invariants over a seeded random sequence of at least 100,000 operations: postings of 2 to 5 random
 * balanced lines over 40 accounts (in batches through {@link Ledger#postAll} and one by one through
 * {@link Ledger#post}), replays of old keys (with other lines), reversals, replays of reversals, months passing and
 * period closes in order, and refused operations (unbalanced, a second reversal, a close out of order). Checked as it
 * goes: every answer (period, replay, id) against a model, the trial balance against the model's balances; and at the
 * end in the database: every transaction balances with at least two entries, nothing was posted into a period after
 * it closed, the closed periods' entries never changed, the counts match the model (replays added nothing), each
 * reversal mirrors its original. Seed: {@code -Dledger.seed=...} (printed), else random.
 */
class LedgerPropertySpec extends PlatformSpec {
    static final int OPERATIONS = 100_000
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')

    @Inject Ledger ledger
    @Inject LedgerClock clock

    TenantId tenant
    List<String> codes = []
    Random random
    Instant now = Instant.parse('2045-01-03T01:00:00Z')

    // the model
    Map<String, Long> balances = [:]
    Map<String, UUID> byKey = [:]
    Map<UUID, Map<String, Long>> linesOf = [:]
    Map<UUID, String> periodOf = [:]
    Set<UUID> reversed = [] as Set
    Set<UUID> reversals = [] as Set
    List<UUID> reversible = []
    List<String> keys = []
    List<String> reversalKeys = []
    SortedSet<String> closed = new TreeSet<>()
    Map<String, List> closedSnapshot = [:]
    long entries = 0
    Map<String, Integer> counts = [:].withDefault { 0 }

    def cleanup() {
        clock.set(null)
    }

    def "100,000 random postings, replays, reversals and closes keep every invariant"() {
        given:
        long seed = (System.getProperty('ledger.seed') ?: "${new Random().nextLong()}") as long
        random = new Random(seed)
        println "ledger property: seed ${seed} (run again with -Dledger.seed=${seed})"
        def world = TenantWorld.build(ctx) { institution("ledger-prop-${seed}") }
        tenant = new TenantId(world.tenant("ledger-prop-${seed}").id)
        def kinds = ['asset', 'liability', 'revenue', 'expense', 'equity']
        (1..40).each { n ->
            String code = "${['1122', '2203', '6001', '6601', '4001'][n % 5]}.prop.a${n}"
            ledger.ensureAccount(tenant, new NewAccount(code, kinds[n % 5], "科目${n}", "Account ${n}", null, null))
            codes << code
            balances[code] = 0L
        }
        tick()
        long started = System.nanoTime()

        when:
        int done = 0
        while (done < OPERATIONS) {
            int r = random.nextInt(1000)
            if (r < 10) {
                advanceMonth(); done++
            } else if (r < 18) {
                closeOldest(); done++
            } else if (r < 30) {
                refused(); done++
            } else if (r < 80) {
                done += batch(Math.min(1 + random.nextInt(400), OPERATIONS - done))
            } else if (r < 200) {
                single(); done++
            } else if (r < 450) {
                replay(); done++
            } else {
                reverse(); done++
            }
            if (counts.checks < done.intdiv(10_000)) {
                checkTrialBalance()
                counts.checks++
            }
        }
        checkTrialBalance()
        double seconds = (System.nanoTime() - started) / 1e9

        then:
        checkDatabase()
        println "ledger property: seed ${seed}, ${done} operations in ${String.format('%.1f', seconds)} s: ${counts.sort()}, " +
                "${byKey.size()} transactions, ${entries} entries, closed ${closed.size()} periods (${closed ? closed.first() + '..' + closed.last() : '-'})"
        done >= OPERATIONS
        counts.posted > 50_000 && counts.reversal > 3_000 && counts.replay > 2_000 && counts.close >= 20 && counts.refused > 50
    }

    // ------------------------------------------------------------------------------------------ operations

    void tick() {
        now = now.plusSeconds(1 + random.nextInt(30))
        clock.set(Clock.fixed(now, ZoneOffset.UTC))
    }

    String currentMonth() {
        YearMonth.from(ZonedDateTime.ofInstant(now, SHANGHAI)).toString()
    }

    /** Where a posting must go: the month of now, or the month after the last closed one when that is later. */
    String target() {
        String month = currentMonth()
        String afterClosed = closed ? YearMonth.parse(closed.last()).plusMonths(1).toString() : ''
        month > afterClosed ? month : afterClosed
    }

    List<Line> randomLines() {
        int n = 2 + random.nextInt(4)
        List<String> accounts = new ArrayList<>(codes)
        Collections.shuffle(accounts, random)
        while (true) {
            List<Long> amounts = (1..<n).collect { (random.nextBoolean() ? 1 : -1) * (1L + random.nextInt(10_000_000)) }
            long last = -amounts.sum()
            if (last != 0) {
                amounts << last
                return (0..<n).collect { new Line(accounts[it], amounts[it]) }
            }
        }
    }

    NewTransaction newPosting() {
        String key = "p-${keys.size() + counts.pending}"
        counts.pending++
        new NewTransaction(key, 'charge', 'spec', key, null, 'property', randomLines())
    }

    void accept(NewTransaction tx, Posted p) {
        assert !p.replayed()
        assert p.period().toString() == target()
        assert !closed.contains(p.period().toString())
        byKey[tx.idempotencyKey()] = p.transactionId()
        keys << tx.idempotencyKey()
        Map<String, Long> lines = tx.lines().collectEntries { [it.accountCode(), it.amountFen()] }
        linesOf[p.transactionId()] = lines
        periodOf[p.transactionId()] = p.period().toString()
        lines.each { code, fen -> balances[code] += fen }
        entries += lines.size()
        reversible << p.transactionId()
        counts.posted++
    }

    int batch(int size) {
        tick()
        List<NewTransaction> txs = (1..size).collect { newPosting() }
        // a few replays of old keys inside the batch: answered with the first transaction, adding nothing
        int replays = keys ? Math.min(keys.size(), random.nextInt(5)) : 0
        // (0..<replays), not (1..replays): Groovy's 1..0 counts down and holds two numbers
        List<String> old = (0..<replays).collect { keys[random.nextInt(keys.size())] }
        List<NewTransaction> all = txs + old.collect { new NewTransaction(it, 'charge', null, null, null, 'property', randomLines()) }
        List<Posted> posted = ledger.postAll(tenant, all)
        counts.pending -= size
        txs.eachWithIndex { tx, i -> accept(tx, posted[i]) }
        old.eachWithIndex { key, i ->
            Posted p = posted[size + i]
            assert p.replayed() && p.transactionId() == byKey[key]
            counts.replay++
        }
        counts.batches++
        size + replays
    }

    void single() {
        tick()
        def tx = newPosting()
        def p = ledger.post(tenant, tx)
        counts.pending--
        accept(tx, p)
    }

    void replay() {
        if (!keys) {
            return
        }
        boolean ofReversal = reversalKeys && random.nextInt(5) == 0
        String key = ofReversal ? reversalKeys[random.nextInt(reversalKeys.size())] : keys[random.nextInt(keys.size())]
        Posted p = ofReversal ? ledger.reverse(tenant, UUID.randomUUID(), key, 'again', 'property')
                : ledger.post(tenant, new NewTransaction(key, 'charge', null, null, null, 'property', randomLines()))
        assert p.replayed() && p.transactionId() == byKey[key]
        assert p.period().toString() == periodOf[p.transactionId()]
        counts.replay++
    }

    void reverse() {
        if (!reversible) {
            return
        }
        tick()
        int i = random.nextInt(reversible.size())
        UUID original = reversible[i]
        reversible[i] = reversible[-1]
        reversible.remove(reversible.size() - 1)
        String key = "r-${reversalKeys.size()}"
        Posted p = ledger.reverse(tenant, original, key, 'property reversal', 'property')
        assert !p.replayed() && p.period().toString() == target()
        Map<String, Long> lines = linesOf[original].collectEntries { code, fen -> [code, -fen] }
        lines.each { code, fen -> balances[code] += fen }
        byKey[key] = p.transactionId()
        linesOf[p.transactionId()] = lines
        periodOf[p.transactionId()] = p.period().toString()
        reversed << original
        reversals << p.transactionId()
        reversalKeys << key
        entries += lines.size()
        counts.reversal++
    }

    void advanceMonth() {
        now = YearMonth.from(ZonedDateTime.ofInstant(now, SHANGHAI)).plusMonths(1).atDay(1 + random.nextInt(28))
                .atTime(10, 0).atZone(SHANGHAI).toInstant()
        clock.set(Clock.fixed(now, ZoneOffset.UTC))
        counts.month++
    }

    /** Closes the oldest period that is open and has begun (at most the current month). */
    void closeOldest() {
        String next = closed ? YearMonth.parse(closed.last()).plusMonths(1).toString() : periodOf.values().min()
        if (next == null || next > currentMonth()) {
            return
        }
        ledger.closePeriod(tenant, YearMonth.parse(next), 'property')
        closed << next
        closedSnapshot[next] = periodFigures(next)
        counts.close++
    }

    /** Operations that must be refused and change nothing. */
    void refused() {
        int kind = random.nextInt(3)
        try {
            if (kind == 0) {
                def lines = randomLines()
                lines[0] = new Line(lines[0].accountCode(), lines[0].amountFen() + 1)
                ledger.post(tenant, new NewTransaction("bad-${counts.refused}", 'charge', null, null, null, 'property', lines))
            } else if (kind == 1 && reversed) {
                ledger.reverse(tenant, reversed.first(), "bad-r-${counts.refused}", 'twice', 'property')
            } else {
                ledger.closePeriod(tenant, YearMonth.parse(currentMonth()).plusMonths(1), 'property')
            }
            assert false: "operation ${kind} was not refused"
        } catch (LedgerException e) {
            assert e.code() in [LedgerException.UNBALANCED, LedgerException.ALREADY_REVERSED,
                                LedgerException.PERIOD_NOT_STARTED, LedgerException.EARLIER_PERIOD_OPEN]
            counts.refused++
        }
    }

    // ------------------------------------------------------------------------------------------ checks

    void checkTrialBalance() {
        Map<String, Long> trial = ledger.trialBalance(tenant)
        assert trial == balances
        assert trial.values().sum() == 0L
        counts.trialBalances++
    }

    /** The number of entries of a period and the sum of their absolute amounts. */
    List periodFigures(String period) {
        inTenant { Connection c ->
            def ps = c.prepareStatement("select count(*), coalesce(sum(abs(e.amount_fen)), 0) from ledger_entry e " +
                    "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id where t.period = ?")
            ps.setString(1, period)
            def rs = ps.executeQuery()
            rs.next()
            [rs.getLong(1), rs.getLong(2)]
        }
    }

    def <T> T inTenant(Closure<T> work) {
        TenantWorld.inTenant(tenant.value(), work)
    }

    long single(Connection c, String sql) {
        def rs = c.createStatement().executeQuery(sql)
        rs.next()
        rs.getLong(1)
    }

    boolean checkDatabase() {
        inTenant { Connection c ->
            assert single(c, "select count(*) from (select t.id from ledger_transaction t left join ledger_entry e " +
                    "on e.tenant_id = t.tenant_id and e.transaction_id = t.id group by t.id " +
                    "having count(e.line) < 2 or coalesce(sum(e.amount_fen), 0) <> 0) x") == 0
            assert single(c, "select count(*) from ledger_transaction") == byKey.size()
            assert single(c, "select count(*) from ledger_entry") == entries
            assert single(c, "select count(*) from ledger_transaction where reverses is not null") == reversals.size()
            assert single(c, "select count(*) from ledger_transaction t join ledger_period p on p.tenant_id = t.tenant_id " +
                    "and p.period = t.period where p.status = 'closed' and t.posted_at > p.closed_at") == 0
            assert single(c, "select count(*) from ledger_period where status = 'closed'") == closed.size()
            // each reversal mirrors its original, line by line
            assert single(c, "select count(*) from ledger_transaction r join ledger_entry re on re.tenant_id = r.tenant_id " +
                    "and re.transaction_id = r.id left join ledger_entry oe on oe.tenant_id = r.tenant_id " +
                    "and oe.transaction_id = r.reverses and oe.line = re.line and oe.account_id = re.account_id " +
                    "and oe.amount_fen = -re.amount_fen where r.reverses is not null and oe.line is null") == 0
            true
        }
        closedSnapshot.each { period, figures -> assert periodFigures(period) == figures }
        assert ledger.trialBalance(tenant, null).totalFen() == 0
        true
    }
}
