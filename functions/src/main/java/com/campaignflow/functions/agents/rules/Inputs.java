package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.text.Article;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading agent parameters and earlier steps' outputs, with clear errors for wrong types. */
final class Inputs {

    private Inputs() {
    }

    static Optional<String> stringParam(AgentInput in, String name) {
        return stringParam(in.parameters(), name);
    }

    static Optional<String> stringParam(Map<String, Object> parameters, String name) {
        Object v = parameters.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new AgentFailedException("parameter " + name + " must be a string, got " + v);
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    static Optional<Integer> intParam(AgentInput in, String name, int min, int max) {
        return intParam(in.parameters(), name, min, max);
    }

    static Optional<Integer> intParam(Map<String, Object> parameters, String name, int min, int max) {
        Object v = parameters.get(name);
        if (v == null) {
            return Optional.empty();
        }
        double n; // a double holds every whole number up to 2^53 exactly, so a long or a big one cannot wrap into range
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            n = num.doubleValue();
        } else if (v instanceof String s) {
            // as a string parameter given a number is refused: a JSON number, not "900"
            throw new AgentFailedException("parameter " + name + " must be a whole number, got the string \"" + s
                    + "\"; write it without quotes");
        } else {
            throw new AgentFailedException("parameter " + name + " must be a whole number, got " + v);
        }
        if (n < min || n > max) {
            throw new AgentFailedException("parameter " + name + " must be between " + min + " and " + max + ", got " + v);
        }
        return Optional.of((int) n);
    }

    static Optional<List<String>> listParam(Map<String, Object> parameters, String name) {
        Object v = parameters.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof String))) {
            throw new AgentFailedException("parameter " + name + " must be a list of strings, got " + v);
        }
        return Optional.of(list.stream().map(e -> ((String) e).trim()).filter(s -> !s.isEmpty()).toList());
    }

    /** The planner's brief, when the plan ran one. */
    static Optional<JsonNode> brief(AgentInput in) {
        return Optional.ofNullable(in.previousOutputs().get("planner")).filter(JsonNode::isObject);
    }

    /**
     * Every research output available, in step-id order: "researcher", "researcher_a/_b/_c" of a parallel plan, or a
     * "basic_research" step. A fallback's output is stored under the primary's step id, so all are found by prefix.
     * Next to a parallel plan's branches, "researcher" is the runtime's merge of them, not a step: left out, or every
     * branch would count twice.
     */
    static List<JsonNode> research(AgentInput in) {
        boolean branches = in.previousOutputs().keySet().stream().anyMatch(k -> k.startsWith("researcher_"));
        List<JsonNode> out = new ArrayList<>();
        in.previousOutputs().entrySet().stream()
                .filter(e -> e.getKey().startsWith("researcher") || e.getKey().startsWith("basic_research"))
                .filter(e -> !(branches && e.getKey().equals("researcher")))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    if (e.getValue() != null && e.getValue().isObject()) {
                        out.add(e.getValue());
                    }
                });
        return out;
    }

    /** The newest article among the given steps (first one present wins), e.g. "editor" then "writer". */
    static Optional<Article> article(AgentInput in, String... stepIds) {
        for (String step : stepIds) {
            JsonNode out = in.previousOutputs().get(step);
            if (out != null && out.has("article")) {
                try {
                    return Optional.of(Article.fromJson(out.get("article")));
                } catch (IllegalArgumentException e) {
                    throw new AgentFailedException("output of step " + step + " holds no usable article: " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    static Article requireArticle(AgentInput in, String agent, String... stepIds) {
        return article(in, stepIds).orElseThrow(() -> new AgentFailedException(
                agent + " needs a draft article from one of the steps " + List.of(stepIds) + ", found only "
                        + in.previousOutputs().keySet()));
    }
}
