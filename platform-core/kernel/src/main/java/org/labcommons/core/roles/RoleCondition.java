package org.labcommons.core.roles;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.annotation.AnnotationMetadataProvider;
import io.micronaut.core.type.Argument;

import java.util.List;

/** Evaluates {@link RequiresRole} against the {@code labcommons.roles} property. */
public final class RoleCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context) {
        AnnotationMetadataProvider component = context.getComponent();
        if (component == null) {
            return true;
        }
        PlatformRole role = component.getAnnotationMetadata()
                .enumValue(RequiresRole.class, PlatformRole.class).orElse(null);
        if (role == null) {
            return true;
        }
        List<String> configured = context.getProperty(EnabledRoles.PROPERTY, Argument.listOf(String.class))
                .orElse(List.of("all"));
        boolean enabled = EnabledRoles.parse(configured).contains(role);
        if (!enabled) {
            context.fail("role " + role.id() + " is not enabled in " + EnabledRoles.PROPERTY);
        }
        return enabled;
    }
}
