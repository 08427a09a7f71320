package com.campaignflow.functions.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.api.RequestBodies;
import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The request models API Gateway validates with (RestApi Models in template.yaml) accept exactly what the ApiFunction's
 * parsers accept, probed at each boundary the model states: its fields, the required ones, unknown fields, string
 * lengths, enums and array sizes. A model stricter than the handler would refuse valid campaigns with a vaguer
 * message; a looser one is harmless but would drift, so both are failures.
 */
class RequestModelConsistencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CampaignRequestParser CAMPAIGN_PARSER = new CampaignRequestParser();
    private static final Map<String, Consumer<byte[]>> PARSERS = Map.of(
            "CampaignRequest", CAMPAIGN_PARSER::parse,
            "RerunRequest", RequestBodies::rerun,
            "ResumeRequest", RequestBodies::resume);

    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyModel_isUsedByAnApiEvent_andHasTheParserOfThatRoute() {
        Map<String, Object> models = models();
        List<String> used = new ArrayList<>();
        template.functions().forEach((id, properties) -> {
            Object events = properties.get("Events");
            if (events == null) {
                return;
            }
            SamTemplate.map(events, id).values().forEach(e -> {
                Map<String, Object> p = SamTemplate.map(SamTemplate.map(e, id).get("Properties"), id);
                if (p.get("RequestModel") != null) {
                    used.add((String) SamTemplate.map(p.get("RequestModel"), id).get("Model"));
                }
            });
        });
        assertThat(new TreeSet<>(used)).as("models used by Api events").containsExactlyElementsOf(
                new TreeSet<>(models.keySet()));
        assertThat(new TreeSet<>(PARSERS.keySet())).as("models with a parser in this test")
                .containsExactlyElementsOf(new TreeSet<>(models.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CampaignRequest", "RerunRequest", "ResumeRequest"})
    void model_acceptsAndRefusesWhatTheHandlersParserAcceptsAndRefuses(String modelName) {
        Map<String, Object> model = SamTemplate.map(models().get(modelName), modelName);
        Consumer<byte[]> parser = PARSERS.get(modelName);
        Map<String, Object> properties = SamTemplate.map(model.get("properties"), modelName + ".properties");
        List<String> required = strings(model.getOrDefault("required", List.of()));
        List<String> problems = new ArrayList<>();

        Map<String, Object> minimal = new LinkedHashMap<>();
        required.forEach(field -> minimal.put(field, sample(schema(properties, field))));
        expect(parser, minimal, true, modelName + " with only its required fields", problems);

        for (String field : required) {
            Map<String, Object> without = new LinkedHashMap<>(minimal);
            without.remove(field);
            expect(parser, without, false, modelName + " without required " + field, problems);
        }
        boolean closed = Boolean.FALSE.equals(model.get("additionalProperties"));
        expect(parser, with(minimal, "field_no_model_has", "x"), !closed,
                modelName + " with an unknown field (additionalProperties " + (closed ? "false" : "allowed") + ")",
                problems);

        properties.forEach((field, s) -> {
            Map<String, Object> schema = SamTemplate.map(s, field);
            String where = modelName + "." + field;
            expect(parser, with(minimal, field, sample(schema)), true, where + " = a valid sample", problems);
            // JSON Schema draft 4 as API Gateway applies it: null is no string, array or object
            expect(parser, with(minimal, field, null), false, where + " = null", problems);
            probeString(parser, minimal, field, schema, where, problems);
            if (schema.get("enum") != null) {
                for (String value : strings(schema.get("enum"))) {
                    expect(parser, with(minimal, field, value), true, where + " = '" + value + "'", problems);
                }
                expect(parser, with(minimal, field, "not_an_option"), false, where + " outside its enum", problems);
            }
            if ("array".equals(schema.get("type"))) {
                probeArray(parser, minimal, field, schema, where, problems);
            }
        });
        assertThat(problems).as(modelName + " vs the handler's parser").isEmpty();
    }

    private static void probeString(Consumer<byte[]> parser, Map<String, Object> minimal, String field,
                                    Map<String, Object> schema, String where, List<String> problems) {
        if (!"string".equals(schema.get("type")) || schema.get("enum") != null) {
            return;
        }
        if (schema.get("maxLength") instanceof Integer max) {
            expect(parser, with(minimal, field, "a".repeat(max)), true, where + " of maxLength " + max, problems);
            expect(parser, with(minimal, field, "a".repeat(max + 1)), false, where + " of maxLength + 1", problems);
        }
        if (schema.get("minLength") instanceof Integer min && min == 1) {
            expect(parser, with(minimal, field, ""), false, where + " empty (minLength 1)", problems);
        }
    }

    private static void probeArray(Consumer<byte[]> parser, Map<String, Object> minimal, String field,
                                   Map<String, Object> schema, String where, List<String> problems) {
        Map<String, Object> items = SamTemplate.map(schema.get("items"), where + ".items");
        if (schema.get("maxItems") instanceof Integer max) {
            expect(parser, with(minimal, field, distinctItems(max)), true, where + " with maxItems " + max, problems);
            expect(parser, with(minimal, field, distinctItems(max + 1)), false, where + " with maxItems + 1",
                    problems);
        }
        int min = schema.get("minItems") instanceof Integer n ? n : 0;
        expect(parser, with(minimal, field, List.of()), min == 0, where + " empty (minItems " + min + ")", problems);
        if (items.get("maxLength") instanceof Integer max) {
            expect(parser, with(minimal, field, List.of("a".repeat(max))), true, where + "[0] of maxLength " + max,
                    problems);
            expect(parser, with(minimal, field, List.of("a".repeat(max + 1))), false,
                    where + "[0] of maxLength + 1", problems);
        }
    }

    /** A value the schema accepts: the first enum value, a short string, a one-element array, an empty object. */
    private static Object sample(Map<String, Object> schema) {
        if (schema.get("enum") != null) {
            return strings(schema.get("enum")).getFirst();
        }
        return switch ((String) schema.get("type")) {
            case "string" -> "a".repeat(Math.max(1, schema.get("minLength") instanceof Integer n ? n : 1));
            case "array" -> List.of(sample(SamTemplate.map(schema.get("items"), "items")));
            case "object" -> Map.of();
            case "integer", "number" -> 1;
            case "boolean" -> true;
            default -> throw new IllegalArgumentException("no sample for schema " + schema);
        };
    }

    private static List<String> distinctItems(int count) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("item" + i);
        }
        return items;
    }

    private static void expect(Consumer<byte[]> parser, Map<String, Object> body, boolean accepted, String what,
                               List<String> problems) {
        String refusal = null;
        try {
            parser.accept(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRequestException e) {
            refusal = e.getMessage();
        } catch (Exception e) {
            problems.add(what + ": the parser failed with " + e + " instead of accepting or refusing");
            return;
        }
        if (accepted && refusal != null) {
            problems.add(what + ": the model accepts it but the handler refuses it (" + refusal + ")");
        } else if (!accepted && refusal == null) {
            problems.add(what + ": the model refuses it but the handler accepts it");
        }
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static Map<String, Object> schema(Map<String, Object> properties, String field) {
        return SamTemplate.map(properties.get(field), field);
    }

    private static List<String> strings(Object list) {
        return SamTemplate.list(list, "list").stream().map(Object::toString).toList();
    }

    private Map<String, Object> models() {
        Map<String, Object> api = template.properties("RestApi");
        return SamTemplate.map(api.get("Models"), "RestApi.Models");
    }
}
