package com.campaignflow.functions.handlers;

import com.campaignflow.functions.config.EnvironmentVariables;
import com.campaignflow.functions.config.EnvironmentVariables.Group;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment each Lambda handler reads, as declared in {@link EnvironmentVariables}: the agent handlers and the
 * health check build {@link Services}, the REST and WebSocket handlers {@link ApiServices}, the authorizer only its
 * keys. template.yaml is checked against this map (TemplateConsistencyTest), and the same test constructs every
 * handler under its template environment to confirm it reads exactly these variables.
 */
public final class HandlerEnvironments {

    private static final Map<Class<?>, Group> BY_HANDLER = byHandler();

    private HandlerEnvironments() {
    }

    private static Map<Class<?>, Group> byHandler() {
        Map<Class<?>, Group> map = new LinkedHashMap<>();
        for (Class<?> agent : new Class<?>[] {PlannerHandler.class, ResearcherHandler.class, WriterHandler.class,
                EditorHandler.class, SeoHandler.class, DistributionHandler.class, BasicResearchHandler.class,
                BasicQaHandler.class}) {
            map.put(agent, EnvironmentVariables.AGENT_SERVICES);
        }
        map.put(HealthCheckHandler.class, EnvironmentVariables.HEALTH_CHECK);
        map.put(ApiHandler.class, EnvironmentVariables.API_SERVICES);
        map.put(WebSocketHandler.class, EnvironmentVariables.API_SERVICES);
        map.put(AuthorizerHandler.class, EnvironmentVariables.AUTHORIZER);
        return Map.copyOf(map);
    }

    /** The variables {@code handler} reads; an IllegalArgumentException names a handler nobody declared. */
    public static Group of(Class<?> handler) {
        Group group = BY_HANDLER.get(handler);
        if (group == null) {
            throw new IllegalArgumentException(handler.getName() + " has no declared environment in "
                    + HandlerEnvironments.class.getSimpleName());
        }
        return group;
    }

    /** Every handler class with a declared environment. */
    public static Set<Class<?>> handlers() {
        return BY_HANDLER.keySet();
    }
}
