package dev.chorus.web;

import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** Reads which roles an endpoint allows, to tell a refused caller what it would need. */
final class AllowedRoles {

    private AllowedRoles() {
    }

    static Optional<List<String>> required(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return Optional.empty();
        }
        try {
            Method m = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
            if (roles == null) {
                roles = resource.getResourceClass().getAnnotation(RolesAllowed.class);
            }
            return Optional.ofNullable(roles).map(r -> Arrays.asList(r.value()));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }
}
