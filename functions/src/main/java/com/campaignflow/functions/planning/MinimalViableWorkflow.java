package com.campaignflow.functions.planning;

import static com.campaignflow.functions.domain.AgentName.BASIC_QA;
import static com.campaignflow.functions.domain.AgentName.BASIC_RESEARCH;
import static com.campaignflow.functions.domain.AgentName.DISTRIBUTION;
import static com.campaignflow.functions.domain.AgentName.EDITOR;
import static com.campaignflow.functions.domain.AgentName.PLANNER;
import static com.campaignflow.functions.domain.AgentName.RESEARCHER;
import static com.campaignflow.functions.domain.AgentName.SEO;
import static com.campaignflow.functions.domain.AgentName.WRITER;

import com.campaignflow.functions.domain.AgentName;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a content type needs at the least: its agents in running order, which of them are required, which may run
 * as their basic fallback, the quality the minimal workflow still promises, and what the user gives up with it.
 *
 * <p>The table (R = required, O = optional; "→ x" = may be replaced by x, "skip" = dropped when unavailable):
 * <pre>
 * content type   planner researcher          writer editor             seo                distribution threshold
 * blog_post      R       R → basic_research  R      O → basic_qa       O → basic_qa       O skip       0.70
 * social_media   R       O → basic_research  R      O → basic_qa       O → basic_qa       O skip       0.60
 * email          R       O → basic_research  R      R → basic_qa       O → basic_qa       O skip       0.65
 * landing_page   R       R → basic_research  R      O → basic_qa       R → basic_qa       O skip       0.75
 * press_release  R       R → basic_research  R      R → basic_qa       O → basic_qa       O skip       0.75
 * </pre>
 * The planner and the writer have no fallback anywhere: without them no campaign can be produced. Every other agent
 * but distribution has a basic fallback; distribution planning is left out when its agent is unavailable. A social
 * post is short enough to go out unedited and search ranking barely matters for an email, so there the editor and
 * the SEO pass are optional: left out only when basic QA is unavailable too.
 *
 * @param contentType      wire name of the content type
 * @param roles            the agents in running order
 * @param qualityThreshold the minimum quality score a run of the minimal workflow still reaches, in (0, 1]
 * @param limitations      what the minimal workflow gives up, told to the user when the campaign runs degraded
 */
public record MinimalViableWorkflow(
        String contentType, List<Role> roles, double qualityThreshold, String limitations) {

    /**
     * One agent's place in a workflow.
     *
     * @param agent    the primary agent
     * @param required whether the content cannot be produced without it (or its fallback)
     * @param fallback the basic agent that may replace it, empty when it has none (skipped if optional)
     */
    public record Role(AgentName agent, boolean required, Optional<AgentName> fallback) {

        static Role required(AgentName agent) {
            return new Role(agent, true, Optional.empty());
        }

        static Role required(AgentName agent, AgentName fallback) {
            return new Role(agent, true, Optional.of(fallback));
        }

        static Role optional(AgentName agent, AgentName fallback) {
            return new Role(agent, false, Optional.of(fallback));
        }

        static Role skippable(AgentName agent) {
            return new Role(agent, false, Optional.empty());
        }
    }

    public MinimalViableWorkflow {
        roles = List.copyOf(roles);
    }

    private static final Map<String, MinimalViableWorkflow> BY_CONTENT_TYPE = Arrays.stream(new MinimalViableWorkflow[] {
            new MinimalViableWorkflow("blog_post", List.of(
                    Role.required(PLANNER), Role.required(RESEARCHER, BASIC_RESEARCH), Role.required(WRITER),
                    Role.optional(EDITOR, BASIC_QA), Role.optional(SEO, BASIC_QA), Role.skippable(DISTRIBUTION)),
                    0.70, "A minimal blog post is planned, researched (at least from the campaign brief) and written;"
                            + " editing and SEO may be reduced to basic rule-based checks and distribution planning"
                            + " may be left out."),
            new MinimalViableWorkflow("social_media", List.of(
                    Role.required(PLANNER), Role.optional(RESEARCHER, BASIC_RESEARCH), Role.required(WRITER),
                    Role.optional(EDITOR, BASIC_QA), Role.optional(SEO, BASIC_QA), Role.skippable(DISTRIBUTION)),
                    0.60, "A minimal social post is planned and written; research, editing and the hashtag and"
                            + " keyword checks may be basic or left out, and the posting plan may be left out."),
            new MinimalViableWorkflow("email", List.of(
                    Role.required(PLANNER), Role.optional(RESEARCHER, BASIC_RESEARCH), Role.required(WRITER),
                    Role.required(EDITOR, BASIC_QA), Role.optional(SEO, BASIC_QA), Role.skippable(DISTRIBUTION)),
                    0.65, "A minimal email is planned, written and at least checked by basic QA; research and SEO may"
                            + " be basic or left out, and the send plan may be left out."),
            new MinimalViableWorkflow("landing_page", List.of(
                    Role.required(PLANNER), Role.required(RESEARCHER, BASIC_RESEARCH), Role.required(WRITER),
                    Role.optional(EDITOR, BASIC_QA), Role.required(SEO, BASIC_QA), Role.skippable(DISTRIBUTION)),
                    0.75, "A minimal landing page is planned, researched, written and at least checked for SEO by"
                            + " basic QA; editing may be basic and the promotion plan may be left out."),
            new MinimalViableWorkflow("press_release", List.of(
                    Role.required(PLANNER), Role.required(RESEARCHER, BASIC_RESEARCH), Role.required(WRITER),
                    Role.required(EDITOR, BASIC_QA), Role.optional(SEO, BASIC_QA), Role.skippable(DISTRIBUTION)),
                    0.75, "A minimal press release is planned, researched, written and at least checked by basic"
                            + " QA; SEO may be basic and the distribution plan may be left out.")})
            .collect(Collectors.toUnmodifiableMap(MinimalViableWorkflow::contentType, Function.identity()));

    /** The content types campaignflow produces, in a stable order. */
    public static final List<String> CONTENT_TYPES =
            List.of("blog_post", "social_media", "email", "landing_page", "press_release");

    /** The workflow of a content type; throws IllegalArgumentException for an unknown one. */
    public static MinimalViableWorkflow forContentType(String contentType) {
        MinimalViableWorkflow workflow = BY_CONTENT_TYPE.get(contentType);
        if (workflow == null) {
            throw new IllegalArgumentException("content type must be one of " + CONTENT_TYPES + ", got " + contentType);
        }
        return workflow;
    }

    public List<AgentName> requiredAgents() {
        return roles.stream().filter(Role::required).map(Role::agent).toList();
    }

    public List<AgentName> optionalAgents() {
        return roles.stream().filter(r -> !r.required()).map(Role::agent).toList();
    }

    /** The agent's fallback in this workflow, empty when it has none or is not part of the workflow. */
    public Optional<AgentName> fallbackFor(AgentName agent) {
        return roles.stream().filter(r -> r.agent() == agent).findFirst().flatMap(Role::fallback);
    }

    /** Every agent's fallback in any workflow: the safety net the degradation assessment checks. */
    static Map<AgentName, AgentName> fallbacksInAnyWorkflow() {
        Map<AgentName, AgentName> fallbacks = new EnumMap<>(AgentName.class);
        BY_CONTENT_TYPE.values().forEach(w -> w.roles().forEach(r -> r.fallback().ifPresent(f -> fallbacks.put(r.agent(), f))));
        return fallbacks;
    }

    /** Agents required without a fallback in every workflow: no campaign can run without them. */
    static List<AgentName> indispensableAgents() {
        return Arrays.stream(AgentName.values())
                .filter(a -> BY_CONTENT_TYPE.values().stream().allMatch(w -> w.roles().stream()
                        .anyMatch(r -> r.agent() == a && r.required() && r.fallback().isEmpty())))
                .toList();
    }
}
