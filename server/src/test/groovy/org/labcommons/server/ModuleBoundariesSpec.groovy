package org.labcommons.server

import com.tngtech.archunit.core.domain.JavaClass
import com.tngtech.archunit.core.domain.JavaClasses
import com.tngtech.archunit.core.importer.ClassFileImporter
import com.tngtech.archunit.core.importer.ImportOption
import com.tngtech.archunit.lang.EvaluationResult
import com.tngtech.archunit.library.Architectures
import org.labcommons.core.audit.KernelReachingIntoBooking
import org.labcommons.core.booking.BookingService
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

/**
 * The module graph points one way, checked on the compiled main classes of every module:
 * booking -> catalogue -> kernel; usage -> booking, catalogue, kernel; billing -> usage, booking, catalogue, kernel; reports -> billing, usage, booking, catalogue, kernel; tenant-admin -> catalogue, iot-bridge, kernel; iot-bridge -> kernel;
 * search-index -> catalogue, kernel;
 * federation -> billing, booking, catalogue, kernel; server -> everything. The platform-core modules share the
 * package root {@code org.labcommons.core}, so a module is the set of its packages (MODULES below); a class in
 * a package no module claims fails the build too, so a new module declares itself here.
 */
@Tag('fast')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class ModuleBoundariesSpec extends Specification {

    static final Map<String, List<String>> MODULES = [
            'kernel'      : ['audit', 'db', 'directory', 'events', 'health', 'i18n', 'logging', 'mail', 'org', 'problem',
                             'roles', 'security', 'tenancy', 'web'].collect { "org.labcommons.core.${it}..".toString() },
            'catalogue'   : ['org.labcommons.core.catalog..', 'org.labcommons.core.verification..', 'org.labcommons.core.demo..'],
            'booking'     : ['org.labcommons.core.booking..', 'org.labcommons.core.samples..'],
            'usage'       : ['org.labcommons.core.usage..'],
            'billing'     : ['org.labcommons.core.billing..'],
            'reports'     : ['org.labcommons.core.reports..'],
            'tenant-admin': ['org.labcommons.tenantadmin..'],
            'search-index': ['org.labcommons.search..'],
            'federation'  : ['org.labcommons.federation..'],
            'iot-bridge'  : ['org.labcommons.iot..'],
            'dev-stack'   : ['org.labcommons.devstack..'],
            'server'      : ['org.labcommons.server..'],
    ]

    /** What each module may use besides itself. */
    static final Map<String, List<String>> MAY_USE = [
            'kernel'      : [],
            'catalogue'   : ['kernel'],
            'booking'     : ['catalogue', 'kernel'],
            'usage'       : ['booking', 'catalogue', 'kernel'],
            'billing'     : ['usage', 'booking', 'catalogue', 'kernel'],
            'reports'     : ['billing', 'usage', 'booking', 'catalogue', 'kernel'],
            'tenant-admin': ['catalogue', 'iot-bridge', 'kernel'],
            'search-index': ['catalogue', 'kernel'],
            'federation'  : ['billing', 'booking', 'catalogue', 'kernel'],
            'iot-bridge'  : ['kernel'],
            'dev-stack'   : [],
            'server'      : ['kernel', 'catalogue', 'booking', 'usage', 'billing', 'reports', 'tenant-admin', 'search-index', 'federation', 'iot-bridge', 'dev-stack'],
    ]

    @Shared JavaClasses mainClasses = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages('org.labcommons')

    static Architectures.LayeredArchitecture modules() {
        def layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInAnyPackage('org.labcommons..')
        MODULES.each { name, packages -> layers = layers.layer(name).definedBy(packages as String[]) }
        MAY_USE.each { name, uses ->
            layers = uses ? layers.whereLayer(name).mayOnlyAccessLayers(uses as String[]) : layers.whereLayer(name).mayNotAccessAnyLayer()
        }
        layers.because('modules depend one way (issue 12): booking -> catalogue -> kernel, and nothing below reaches up')
    }

    def "the main classes of every module keep to the one-way graph"() {
        when:
        EvaluationResult result = modules().evaluate(mainClasses)

        then:
        mainClasses.size() > 300   // every module's classes were found (about 400 today)
        !result.hasViolation()
    }

    def "every main class sits in a package that one module claims"() {
        given:
        def prefixes = MODULES.values().flatten().collect { (it as String).replace('..', '') }

        when:
        List<String> unclaimed = mainClasses.findAll { JavaClass c ->
            !prefixes.any { p -> c.packageName == p || c.packageName.startsWith(p + '.') }
        }.collect { it.name }

        then:
        unclaimed == []
    }

    def "a kernel class that names a booking class is reported"() {
        given: 'a planted kernel-package class that holds a BookingService'
        JavaClasses planted = new ClassFileImporter().importClasses(KernelReachingIntoBooking, BookingService)

        when:
        EvaluationResult result = modules().evaluate(planted)

        then:
        result.hasViolation()
        result.failureReport.details.any { it.contains('KernelReachingIntoBooking') && it.contains('BookingService') }
    }
}
