package com.campaignflow.local.sfn.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PayloadTemplateTest {

    private static final JsonNode CONTEXT = Json.of("""
            {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName"},
             "State": {"Name": "Writer"}, "Task": {"Token": "tok-1"}}""");

    private static JsonNode render(String template, String input) {
        return PayloadTemplate.compile(Json.of(template)).render(Json.of(input), CONTEXT);
    }

    @Test
    void parametersExampleFromTheDocs() {
        String template = """
                {"comment": "Selecting what I care about.",
                 "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability",
                               "StaticValue": "foo"}}""";
        String input = """
                {"comment": "Example for Parameters.",
                 "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                             "availability": "in stock", "sku": "2317", "cost": "$23"}}""";

        assertThat(render(template, input)).isEqualTo(Json.of("""
                {"comment": "Selecting what I care about.",
                 "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}}"""));
    }

    @Test
    void contextObjectPathsReadTheContext() {
        assertThat(render("{\"execId.$\": \"$$.Execution.Id\", \"token.$\": \"$$.Task.Token\"}", "{}"))
                .isEqualTo(Json.of("""
                        {"execId": "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName",
                         "token": "tok-1"}"""));
    }

    @Test
    void intrinsicsAndIndefinitePaths() {
        String template = """
                {"greeting.$": "States.Format('Hello {}', $.name)", "ids.$": "$.items[*].id",
                 "cheap.$": "$.items[?(@.price < 5)].id", "whole.$": "$"}""";
        String input = "{\"name\": \"Ada\", \"items\": [{\"id\": 1, \"price\": 3}, {\"id\": 2, \"price\": 9}]}";

        JsonNode out = render(template, input);

        assertThat(out.get("greeting").textValue()).isEqualTo("Hello Ada");
        assertThat(out.get("ids")).isEqualTo(Json.of("[1, 2]"));
        assertThat(out.get("cheap")).isEqualTo(Json.of("[1]"));
        assertThat(out.get("whole")).isEqualTo(Json.of(input));
    }

    @Test
    void nestedObjectsAndArraysAreWalked() {
        String template = """
                {"list": [1, {"v.$": "$.a"}, [{"w.$": "$.b"}], "s"], "deep": {"deeper": {"x.$": "$.a"}}, "n": null}""";

        assertThat(render(template, "{\"a\": \"A\", \"b\": 2}")).isEqualTo(Json.of("""
                {"list": [1, {"v": "A"}, [{"w": 2}], "s"], "deep": {"deeper": {"x": "A"}}, "n": null}"""));
    }

    @Test
    void staticPartsAreFreshCopiesEachRender() {
        PayloadTemplate template = PayloadTemplate.compile(Json.of("{\"fixed\": {\"k\": 1}, \"v.$\": \"$.a\"}"));

        ObjectNode first = (ObjectNode) template.render(Json.of("{\"a\": 1}"), CONTEXT);
        ((ObjectNode) first.get("fixed")).put("k", 99);

        assertThat(template.render(Json.of("{\"a\": 1}"), CONTEXT).get("fixed").get("k").intValue()).isEqualTo(1);
    }

    @Test
    void missingPath_isAParameterPathFailureWithTheAwsMessage() {
        assertThatThrownBy(() -> render("{\"x.$\": \"$.missing\"}", "{\"a\":1}"))
                .isInstanceOfSatisfying(ExpressionFailure.class,
                        e -> assertThat(e.errorName()).isEqualTo("States.ParameterPathFailure"))
                .hasMessage("The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'");
        assertThatThrownBy(() -> render("{\"x.$\": \"$$.Map.Item.Value\"}", "{}"))
                .hasMessageStartingWith("The JSONPath '$$.Map.Item.Value' specified for the field 'x.$' could not be found"
                        + " in the context object");
    }

    @Test
    void intrinsicFailures_keepTheirErrorName() {
        assertThatThrownBy(() -> render("{\"x.$\": \"States.ArrayLength($.a)\"}", "{\"a\": 1}"))
                .isInstanceOfSatisfying(ExpressionFailure.class,
                        e -> assertThat(e.errorName()).isEqualTo("States.IntrinsicFailure"));
        assertThatThrownBy(() -> render("{\"x.$\": \"States.ArrayLength($.b)\"}", "{\"a\": 1}"))
                .isInstanceOfSatisfying(ExpressionFailure.class,
                        e -> assertThat(e.errorName()).isEqualTo("States.Runtime"));
    }

    @Test
    void compile_rejectsNonStringDynamicValues() {
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"a\": {\"x.$\": 5}}")))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessage("payload template field '$.a.x.$': the value of a key ending in '.$' must be a string"
                        + " holding a JSONPath or an intrinsic function, got integer 5");
    }

    @Test
    void compile_rejectsInvalidPathsAndIntrinsics() {
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"x.$\": \"$.a[\"}")))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("payload template field '$.x.$': invalid JSONPath '$.a['");
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"x.$\": \"States.Nope()\"}")))
                .hasMessageContaining("unknown function 'States.Nope'");
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"x.$\": \"hello\"}")))
                .hasMessageContaining("'hello' is neither a JSONPath (starting with $) nor an intrinsic function");
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"list\": [{\"x.$\": \"$..[\"}]}")))
                .hasMessageStartingWith("payload template field '$.list[0].x.$'");
    }

    @Test
    void compile_rejectsAKeyProducedTwice() {
        assertThatThrownBy(() -> PayloadTemplate.compile(Json.of("{\"x\": 1, \"x.$\": \"$.a\"}")))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageContaining("produces the key 'x' more than once");
    }

    @Test
    void render_neverReparses() {
        PayloadTemplate template = PayloadTemplate.compile(Json.of("""
                {"a.$": "$.a", "b": {"c.$": "States.Format('{}!', $.a)", "d.$": "$.list[*]"}, "e.$": "$$.State.Name"}"""));
        JsonNode input = Json.of("{\"a\": \"x\", \"list\": [1]}");
        long before = PathParser.PARSES.get();

        for (int i = 0; i < 100; i++) {
            assertThat(template.render(input, CONTEXT).get("b").get("c").textValue()).isEqualTo("x!");
        }

        assertThat(PathParser.PARSES.get()).isEqualTo(before);
    }
}
