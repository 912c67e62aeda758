package org.labcommons.core.security

import org.labcommons.core.tenancy.TenantId
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant

import static org.labcommons.core.security.Action.*
import static org.labcommons.core.security.Role.*

/** The access policy alone: no HTTP, no database. Every row can fail in either direction. */
@Tag('fast')
class AccessPolicySpec extends Specification {

    @Shared AccessPolicy policy = new AccessPolicy()
    @Shared TenantId T = new TenantId(UUID.fromString('00000000-0000-0000-0000-00000000000a'))
    @Shared TenantId OTHER = new TenantId(UUID.fromString('00000000-0000-0000-0000-00000000000b'))
    @Shared UUID DEPT = UUID.fromString('00000000-0000-0000-0000-0000000000d1')
    @Shared UUID LAB = UUID.fromString('00000000-0000-0000-0000-0000000000d2')      // a lab inside DEPT
    @Shared UUID OTHER_DEPT = UUID.fromString('00000000-0000-0000-0000-0000000000d3')
    @Shared UUID NMR = UUID.fromString('00000000-0000-0000-0000-0000000000e1')      // an instrument of LAB
    @Shared UUID TEM = UUID.fromString('00000000-0000-0000-0000-0000000000e2')      // an instrument of OTHER_DEPT

    private RoleAssignment held(Role role, String where, TenantId tenant = T) {
        def (ScopeType type, UUID id) = [tenant: [ScopeType.TENANT, null], dept: [ScopeType.ORG_UNIT, DEPT],
                                         lab: [ScopeType.ORG_UNIT, LAB], nmr: [ScopeType.INSTRUMENT, NMR]][where]
        new RoleAssignment(tenant, UUID.randomUUID(), UUID.randomUUID(), role, type, id, Instant.EPOCH, null)
    }

    private Scope scope(String what) {
        switch (what) {
            case 'tenant': return Scope.tenant(T)
            case 'dept': return Scope.orgUnit(T, DEPT)
            case 'lab': return Scope.orgUnit(T, LAB, DEPT)
            case 'nmr': return Scope.instrument(T, NMR, LAB, DEPT)
            case 'nmr-unrelated': return Scope.instrument(T, NMR)          // caller passed no unit relation
            case 'tem': return Scope.instrument(T, TEM, OTHER_DEPT)
            case 'other-tenant': return Scope.tenant(OTHER)
            case 'other-nmr': return Scope.instrument(OTHER, NMR, LAB, DEPT)
        }
        throw new IllegalArgumentException(what)
    }

    def "#role on #heldOn may #action on #target: #expected"() {
        expect:
        policy.allows([held(role, heldOn)], action, scope(target)) == expected

        where:
        role              | heldOn   | action                 | target          || expected
        // the smallest roles
        VISITOR           | 'tenant' | BROWSE_CATALOGUE       | 'nmr'           || true
        VISITOR           | 'tenant' | BOOK_INSTRUMENT        | 'nmr'           || false
        USER              | 'tenant' | BOOK_INSTRUMENT        | 'nmr'           || true
        USER              | 'tenant' | MANAGE_INSTRUMENT      | 'nmr'           || false
        USER              | 'tenant' | READ_RAW_RECORDS       | 'tenant'        || false
        // instrument scope reaches that instrument only
        INSTRUMENT_ADMIN  | 'nmr'    | MANAGE_INSTRUMENT      | 'nmr'           || true
        INSTRUMENT_ADMIN  | 'nmr'    | AUTHORISE_USERS        | 'nmr'           || true
        INSTRUMENT_ADMIN  | 'nmr'    | MANAGE_INSTRUMENT      | 'tem'           || false
        INSTRUMENT_ADMIN  | 'nmr'    | MANAGE_INSTRUMENT      | 'lab'           || false
        INSTRUMENT_ADMIN  | 'nmr'    | SET_RATES              | 'nmr'           || false
        // org unit scope covers its instruments and sub-units only when the relation is passed
        PLATFORM_ADMIN    | 'lab'    | SET_RATES              | 'nmr'           || true
        PLATFORM_ADMIN    | 'dept'   | MANAGE_INSTRUMENT      | 'nmr'           || true
        PLATFORM_ADMIN    | 'dept'   | MANAGE_INSTRUMENT      | 'lab'           || true
        PLATFORM_ADMIN    | 'dept'   | MANAGE_INSTRUMENT      | 'nmr-unrelated' || false
        PLATFORM_ADMIN    | 'lab'    | MANAGE_INSTRUMENT      | 'dept'          || false
        PLATFORM_ADMIN    | 'dept'   | MANAGE_INSTRUMENT      | 'tem'           || false
        PLATFORM_ADMIN    | 'dept'   | MANAGE_INSTRUMENT      | 'tenant'        || false
        PLATFORM_ADMIN    | 'tenant' | MANAGE_ROLES           | 'tenant'        || false
        // an institution admin may do what instrument/platform admins and finance may, tenant-wide
        INSTITUTION_ADMIN | 'tenant' | MANAGE_INSTRUMENT      | 'tem'           || true
        INSTITUTION_ADMIN | 'tenant' | SET_RATES              | 'nmr-unrelated' || true
        INSTITUTION_ADMIN | 'tenant' | SETTLE_ACCOUNTS        | 'tenant'        || true
        INSTITUTION_ADMIN | 'tenant' | MANAGE_ROLES           | 'tenant'        || true
        INSTITUTION_ADMIN | 'tenant' | READ_RAW_RECORDS       | 'tenant'        || true
        INSTITUTION_ADMIN | 'tenant' | ONBOARD_TENANTS        | 'tenant'        || false
        // the institution's fee committee (fee standards): its admins, not a department's head nor finance
        INSTITUTION_ADMIN | 'tenant' | APPROVE_FEE_STANDARDS  | 'tenant'        || true
        PLATFORM_ADMIN    | 'dept'   | APPROVE_FEE_STANDARDS  | 'tenant'        || false
        PLATFORM_ADMIN    | 'tenant' | APPROVE_FEE_STANDARDS  | 'tenant'        || false
        FINANCE           | 'tenant' | APPROVE_FEE_STANDARDS  | 'tenant'        || false
        // ... but only in its own tenant
        INSTITUTION_ADMIN | 'tenant' | MANAGE_INSTRUMENT      | 'other-nmr'     || false
        INSTITUTION_ADMIN | 'tenant' | READ_RAW_RECORDS       | 'other-tenant'  || false
        // finance settles and reads records, but does not run instruments or roles
        FINANCE           | 'tenant' | SETTLE_ACCOUNTS        | 'tenant'        || true
        FINANCE           | 'tenant' | READ_RAW_RECORDS       | 'tenant'        || true
        FINANCE           | 'tenant' | MANAGE_INSTRUMENT      | 'nmr'           || false
        FINANCE           | 'tenant' | MANAGE_ROLES           | 'tenant'        || false
        // network and consortium admins: aggregates and onboarding, never raw records
        NETWORK_ADMIN     | 'tenant' | ONBOARD_TENANTS        | 'tenant'        || true
        NETWORK_ADMIN     | 'tenant' | READ_AGGREGATE_REPORTS | 'tenant'        || true
        NETWORK_ADMIN     | 'tenant' | READ_RAW_RECORDS       | 'tenant'        || false
        CONSORTIUM_ADMIN  | 'tenant' | ONBOARD_TENANTS        | 'tenant'        || true
        CONSORTIUM_ADMIN  | 'tenant' | READ_AGGREGATE_REPORTS | 'tenant'        || true
        CONSORTIUM_ADMIN  | 'tenant' | BROWSE_CATALOGUE       | 'nmr'           || true
        CONSORTIUM_ADMIN  | 'tenant' | READ_RAW_RECORDS       | 'tenant'        || false
        CONSORTIUM_ADMIN  | 'tenant' | READ_RAW_RECORDS       | 'other-tenant'  || false
        CONSORTIUM_ADMIN  | 'tenant' | MANAGE_INSTRUMENT      | 'nmr'           || false
        CONSORTIUM_ADMIN  | 'tenant' | SETTLE_ACCOUNTS        | 'tenant'        || false
        // health details and metrics: the consortium admin only (OperationsAccess adds: in the consortium tenant)
        CONSORTIUM_ADMIN  | 'tenant' | OPERATE_PLATFORM       | 'tenant'        || true
        CONSORTIUM_ADMIN  | 'tenant' | OPERATE_PLATFORM       | 'other-tenant'  || false
        NETWORK_ADMIN     | 'tenant' | OPERATE_PLATFORM       | 'tenant'        || false
        INSTITUTION_ADMIN | 'tenant' | OPERATE_PLATFORM       | 'tenant'        || false
        // innovation vouchers: the bureau (the consortium admin) issues them (SubsidyAccess adds: in a consortium tenant)
        CONSORTIUM_ADMIN  | 'tenant' | ISSUE_VOUCHERS         | 'tenant'        || true
        CONSORTIUM_ADMIN  | 'tenant' | ISSUE_VOUCHERS         | 'other-tenant'  || false
        NETWORK_ADMIN     | 'tenant' | ISSUE_VOUCHERS         | 'tenant'        || false
        INSTITUTION_ADMIN | 'tenant' | ISSUE_VOUCHERS         | 'tenant'        || false
        FINANCE           | 'tenant' | ISSUE_VOUCHERS         | 'tenant'        || false
        // the yearly benefit evaluation: the institution's admins, in their own tenant; not a department, finance nor the bureau
        INSTITUTION_ADMIN | 'tenant' | RUN_EVALUATIONS        | 'tenant'        || true
        INSTITUTION_ADMIN | 'tenant' | RUN_EVALUATIONS        | 'other-tenant'  || false
        PLATFORM_ADMIN    | 'dept'   | RUN_EVALUATIONS        | 'tenant'        || false
        INSTRUMENT_ADMIN  | 'nmr'    | RUN_EVALUATIONS        | 'tenant'        || false
        FINANCE           | 'tenant' | RUN_EVALUATIONS        | 'tenant'        || false
        NETWORK_ADMIN     | 'tenant' | RUN_EVALUATIONS        | 'tenant'        || false
        CONSORTIUM_ADMIN  | 'tenant' | RUN_EVALUATIONS        | 'tenant'        || false
    }

    def "no assignments: everything is denied"() {
        expect:
        Action.values().every { a -> !policy.allows([], a, Scope.tenant(T)) }
    }

    def "any one covering assignment is enough"() {
        expect:
        !policy.allows([held(USER, 'tenant'), held(INSTRUMENT_ADMIN, 'nmr')], MANAGE_INSTRUMENT, scope('tem'))
        policy.allows([held(USER, 'tenant'), held(INSTRUMENT_ADMIN, 'nmr')], MANAGE_INSTRUMENT, scope('nmr'))
    }

    def "roles and scope types round-trip through their database names"() {
        expect:
        Role.values().every { Role.fromId(it.id()).get() == it }
        Role.values()*.id() == ['visitor', 'user', 'instrument_admin', 'platform_admin', 'finance',
                                'institution_admin', 'network_admin', 'consortium_admin']
        ScopeType.values()*.id() == ['tenant', 'org_unit', 'instrument']
        !Role.fromId('root').present
    }
}
