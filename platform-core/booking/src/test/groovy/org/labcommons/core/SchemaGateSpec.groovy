package org.labcommons.core

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.labcommons.core.db.SchemaMigrator
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.SchemaGate
import org.labcommons.testkit.SharedInfrastructure
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection
import java.sql.DriverManager

/**
 * The schema gate: fails the build when a migration breaks the tenancy rules (see SchemaGate).
 * The second feature plants one violation of each kind in a scratch schema and proves the gate
 * reports every one of them, so a gate that silently checks nothing cannot pass.
 */
@MicronautTest(transactional = false)
class SchemaGateSpec extends Specification implements SharedInfrastructure {

    @Inject SchemaMigrator migrator   // the schema is migrated before the gate looks at it
    @Shared Map<String, String> props = SharedDevStack.get().properties()

    private Connection owner() {
        DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password'])
    }

    def "the migrated schema passes every rule"() {
        when:
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
        List<String> tenantTables = owner().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tenantTables.containsAll(['org_unit', 'instrument', 'audit_event', 'trusted_issuer', 'role_assignment'])
        !tenantTables.contains('user_account')   // global by nature: keyed by (issuer, subject)
        println "schema gate: ${tenantTables.size()} tenant-owned tables checked: ${tenantTables}"
    }

    def "a violation of each rule is reported"() {
        given: 'a scratch schema with one offence of every kind'
        String schema = 'gate_probe_' + UUID.randomUUID().toString().replace('-', '').substring(0, 8)
        owner().withCloseable { c ->
            c.createStatement().execute("""
                create schema ${schema};
                create table ${schema}.no_rls (tenant_id uuid not null, id uuid not null, primary key (tenant_id, id));
                create table ${schema}.not_forced (tenant_id uuid not null, id uuid not null, primary key (tenant_id, id));
                alter table ${schema}.not_forced enable row level security;
                create policy p on ${schema}.not_forced using (true);
                create table ${schema}.no_policy (tenant_id uuid not null, id uuid not null, primary key (tenant_id, id));
                alter table ${schema}.no_policy enable row level security;
                alter table ${schema}.no_policy force row level security;
                create table ${schema}.bad_keys (tenant_id uuid not null, id uuid not null, code text, primary key (id));
                alter table ${schema}.bad_keys enable row level security;
                alter table ${schema}.bad_keys force row level security;
                create policy p on ${schema}.bad_keys using (true);
                create unique index bad_keys_code on ${schema}.bad_keys (code, tenant_id);
                create view ${schema}.leaky as select * from ${schema}.bad_keys;
                create view ${schema}.careful with (security_invoker = true) as select * from ${schema}.bad_keys;
                create function ${schema}.sneaky(uuid) returns bigint language sql security definer
                    as 'select count(*) from ${schema}.bad_keys where tenant_id = \$1';
                create table ${schema}.spelled (tenant_id uuid not null
                        default nullif(current_setting('app.tenant_id', true), '')::uuid, id uuid not null,
                    primary key (tenant_id, id));
                alter table ${schema}.spelled enable row level security;
                alter table ${schema}.spelled force row level security;
                create policy own on ${schema}.spelled using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
                create policy bound on ${schema}.spelled using (tenant_id = public.app_tenant());
                create function ${schema}.own_tenant() returns text language sql stable
                    as \$f\$ select current_setting('app.tenant_id', true) \$f\$;
            """.toString())
        }

        when:
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, schema, props['labcommons.db.user']) }

        then:
        violations.toSet() == [
                'table no_rls has tenant_id but row level security is not enabled',
                'table no_rls has tenant_id but row level security is not forced',
                'table no_rls has tenant_id but no policy',
                'table not_forced has tenant_id but row level security is not forced',
                'table no_policy has tenant_id but no policy',
                'index bad_keys_pkey on bad_keys does not start with tenant_id (starts with id)',
                'index bad_keys_code on bad_keys does not start with tenant_id (starts with code)',
                'view leaky is not security_invoker',
                'function sneaky(uuid) is SECURITY DEFINER but not on the reviewed list',
                'policy own on spelled reads app.tenant_id itself instead of calling app_tenant()',
                'default of spelled.tenant_id reads app.tenant_id itself instead of calling app_tenant()',
                'function own_tenant() reads app.tenant_id itself instead of calling app_tenant()'] as Set

        cleanup:
        owner().withCloseable { it.createStatement().execute("drop schema if exists ${schema} cascade".toString()) }
    }

    def "a runtime role with forbidden attributes is reported"() {
        given: 'a role shaped like the runtime role but with powers it must not have'
        String role = 'gate_role_' + UUID.randomUUID().toString().replace('-', '').substring(0, 8)
        SharedDevStack.get().postgres().superuserConnection().withCloseable { c ->
            c.createStatement().execute("create role ${role} login bypassrls createdb; grant labcommons_owner to ${role}".toString())
        }

        when:
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, 'public', role) }

        then:
        violations.toSet() == ["runtime role ${role} has BYPASSRLS".toString(),
                               "runtime role ${role} has CREATEDB".toString(),
                               "runtime role ${role} is a member of 1 role(s)".toString()] as Set

        cleanup:
        SharedDevStack.get().postgres().superuserConnection().withCloseable { it.createStatement().execute("drop role if exists ${role}".toString()) }
    }
}
