package org.labcommons.tenantadmin.onboarding;

import io.micronaut.http.HttpStatus;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;

import java.util.List;
import java.util.Map;

/**
 * The problems onboarding's stores ({@link ApplicationRows}, {@link TenantRegistryRows}) lead to:
 * a slug taken, an application or tenant in the wrong state.
 */
final class ApplicationStore {

    private ApplicationStore() {
    }

    static ProblemException slugTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new ProblemException.FieldProblem("slug", "taken", "validation.taken", Map.of())));
    }

    static ProblemException wrongState(String status) {
        return new ProblemException(HttpStatus.CONFLICT, "wrong_state", status);
    }

    /**
     * Runs {@code write}; a unique violation (a concurrent insert took the slug first, on the
     * partial unique index) becomes {@link #slugTaken()}.
     */
    static void slugChecked(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw slugTaken();
            }
            throw e;
        }
    }
}
