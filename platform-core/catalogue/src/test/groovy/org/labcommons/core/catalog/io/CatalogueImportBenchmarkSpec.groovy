package org.labcommons.core.catalog.io

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.org.OrgUnitInput
import org.labcommons.core.org.OrgUnitService
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import javax.sql.DataSource
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path

/**
 * The import's cost on a realistic register, through the same services the API calls, against
 * the real embedded PostgreSQL. In the suite it runs on {@code labcommons.benchmark.rows} = 300
 * rows as a smoke test; {@code benchmarks/catalogue-import.sh} runs it on 10,000 and prints the
 * figures (also written to target/benchmarks/catalogue-import.txt).
 */
class CatalogueImportBenchmarkSpec extends PlatformSpec {

    @Inject InstrumentImports imports
    @Inject OrgUnitService units
    @Inject DataSource dataSource
    @Shared List<String> report = []

    /** Time; heap used over the start (after a GC) at its peak during the step, at its end, and retained after a GC; the JVM's peak RSS so far. */
    Map measure(String label, Closure work) {
        def memory = ManagementFactory.memoryMXBean
        System.gc()
        long before = memory.heapMemoryUsage.used
        long peak = before
        boolean running = true
        def sampler = Thread.start {
            while (running) {
                peak = Math.max(peak, memory.heapMemoryUsage.used)
                Thread.sleep(10)
            }
        }
        long t0 = System.nanoTime()
        def result = work.call()
        long ms = (System.nanoTime() - t0).intdiv(1_000_000)
        running = false
        sampler.join()
        long after = memory.heapMemoryUsage.used
        System.gc()
        long retained = memory.heapMemoryUsage.used
        String hwm = Files.readAllLines(Path.of('/proc/self/status')).find { it.startsWith('VmHWM') }?.replaceAll(/\s+/, ' ')
        String line = String.format('%-42s %8d ms   heap: peak +%6.1f MB, at end +%6.1f MB, retained after GC %+6.1f MB   JVM %s',
                label, ms, (Math.max(peak, after) - before) / 1048576d, (after - before) / 1048576d, (retained - before) / 1048576d, hwm)
        println line
        report << line
        [result: result, ms: ms]
    }

    def "a realistic register: upload, dry run with its bad rows, commit, re-import"() {
        given:
        int n = Integer.getInteger('labcommons.benchmark.rows', 300)
        int bad = Math.max(3, n.intdiv(2000))
        def tenant = new TenantId(UUID.randomUUID())
        String run = tenant.toString().substring(0, 8)
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            c.createStatement().execute("insert into tenant (id, slug, kind, name_zh, name_en) values ('${tenant}', " +
                    "'bench-${run}', 'institution', '基准大学${run}', 'Benchmark University ${run}')")
        }
        def actor = new AuditEntry.Actor('bench', 'bench-admin', tenant.toString())
        [['CHEM', '化学学院', 'Chemistry'], ['MAT', '材料学院', 'Materials'], ['LIFE', '生命科学学院', 'Life Sciences'],
         ['PHYS', '物理学院', 'Physics']].each { code, zh, en ->
            units.create(tenant, actor, new OrgUnitInput(null, 'department', code, zh, en, null, null))
        }
        def unitCodes = ['CHEM', 'MAT', 'LIFE', 'PHYS', '化学学院', '材料学院']
        def withErrors = RegisterGenerator.rows('BJ' + run, n, unitCodes, bad)
        def clean = RegisterGenerator.rows('BJ' + run, n, unitCodes, 0)
        byte[] xlsxBad = RegisterGenerator.xlsx(withErrors)
        byte[] csvClean = RegisterGenerator.csvGbk(clean)
        byte[] xlsxClean = RegisterGenerator.xlsx(clean)
        report << "rows: ${n}; bad rows: ${bad}; xlsx ${xlsxBad.length.intdiv(1024)} KiB; csv (GB18030) ${csvClean.length.intdiv(1024)} KiB; max heap ${Runtime.runtime.maxMemory().intdiv(1048576)} MB".toString()
        println report[-1]

        when:
        def up = measure("upload .xlsx (${n} rows, read + store)") { imports.upload(tenant, actor, 'register.xlsx', xlsxBad) }.result
        def dry = measure("dry run .xlsx (${bad} bad rows)") { imports.dryRun(tenant, actor, up.id()) }.result
        def upCsv = measure("upload .csv GB18030 (${n} rows)") { imports.upload(tenant, actor, 'register.csv', csvClean) }.result
        def dryCsv = measure("dry run .csv (clean)") { imports.dryRun(tenant, actor, upCsv.id()) }.result
        def commit = measure("commit .csv (${n} created)") { imports.commit(tenant, actor, upCsv.id()) }.result
        def again = measure("upload .xlsx again") { imports.upload(tenant, actor, 'register.xlsx', xlsxClean) }.result
        def dryAgain = measure("dry run re-import (${n} existing)") { imports.dryRun(tenant, actor, again.id()) }.result
        def recommit = measure("commit re-import (${n} unchanged)") { imports.commit(tenant, actor, again.id()) }.result
        def out = Path.of('target/benchmarks/catalogue-import.txt')
        Files.createDirectories(out.parent)
        Files.write(out, report)

        then:
        up.rowCount() == n
        dry.invalid() == bad
        dry.problems()*.row().every { it >= 2 && it <= n + 1 }
        dryCsv.invalid() == 0 && dryCsv.created() == n
        commit.written() && commit.created() == n
        dryAgain.unchanged() == n
        recommit.created() == 0 && recommit.updated() == 0 && recommit.unchanged() == n
    }
}
