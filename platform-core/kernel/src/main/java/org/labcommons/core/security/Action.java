package org.labcommons.core.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a caller may want to do, with the least roles that may do it (inheritance adds the rest,
 * see {@link Role}). Raw records are the tenant's own operational data: bookings, usage, bills
 * of other people.
 */
public enum Action {
    BROWSE_CATALOGUE(Role.VISITOR),
    BOOK_INSTRUMENT(Role.USER),
    MANAGE_INSTRUMENT(Role.INSTRUMENT_ADMIN),
    AUTHORISE_USERS(Role.INSTRUMENT_ADMIN),
    READ_RAW_RECORDS(Role.INSTRUMENT_ADMIN, Role.FINANCE),
    SET_RATES(Role.PLATFORM_ADMIN),
    SETTLE_ACCOUNTS(Role.FINANCE),
    /** Approve fee standards for the institution and file them (the institution's fee committee: its admins). */
    APPROVE_FEE_STANDARDS(Role.INSTITUTION_ADMIN),
    MANAGE_ROLES(Role.INSTITUTION_ADMIN),
    MANAGE_ORGANISATION(Role.INSTITUTION_ADMIN),
    READ_AGGREGATE_REPORTS(Role.INSTITUTION_ADMIN, Role.FINANCE, Role.NETWORK_ADMIN),
    ONBOARD_TENANTS(Role.NETWORK_ADMIN),
    /** Read the platform's health details and metrics (only in the consortium tenant: see {@code OperationsAccess}). */
    OPERATE_PLATFORM(Role.CONSORTIUM_ADMIN),
    /** Register enterprises and issue innovation vouchers (the bureau: the consortium admin, in the consortium tenant; billing's subsidies). */
    ISSUE_VOUCHERS(Role.CONSORTIUM_ADMIN),
    /** Run, read and publish the yearly benefit evaluation of the institution's instruments, and manage its schemes (its admins; reports' evaluation). */
    RUN_EVALUATIONS(Role.INSTITUTION_ADMIN);

    private final Set<Role> roles;

    Action(Role first, Role... more) {
        this.roles = EnumSet.of(first, more);
    }

    /** The roles that may do this directly (without inheritance). */
    public Set<Role> roles() {
        return EnumSet.copyOf(roles);
    }
}
