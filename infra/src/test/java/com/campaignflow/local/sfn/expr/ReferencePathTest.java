package com.campaignflow.local.sfn.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferencePathTest {

    private static final JsonNode DOC = Json.of("""
            {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}, "odd key": {"x": 1}}""");

    @Test
    void read_selectsNamesIndexesAndQuotedNames() {
        assertThat(ReferencePath.parse("$.foo").read(DOC)).isEqualTo(Json.of("123"));
        assertThat(ReferencePath.parse("$.bar").read(DOC)).isEqualTo(Json.of("[\"a\",\"b\",\"c\"]"));
        assertThat(ReferencePath.parse("$.bar[1]").read(DOC).textValue()).isEqualTo("b");
        assertThat(ReferencePath.parse("$.car.cdr").read(DOC).booleanValue()).isTrue();
        assertThat(ReferencePath.parse("$['odd key'].x").read(DOC).intValue()).isEqualTo(1);
        assertThat(ReferencePath.parse("$").read(DOC)).isSameAs(DOC);
    }

    @Test
    void read_contextPathReadsTheContextObject() {
        ReferencePath path = ReferencePath.parse("$$.Execution.Id");
        JsonNode context = Json.of("{\"Execution\": {\"Id\": \"arn:exec\"}}");

        assertThat(path.isContextPath()).isTrue();
        assertThat(path.read(DOC, context).textValue()).isEqualTo("arn:exec");
    }

    @Test
    void read_missingPathThrowsPathNotFound() {
        assertThatThrownBy(() -> ReferencePath.parse("$.car.nope").read(DOC))
                .isInstanceOf(PathNotFoundException.class)
                .hasMessageContaining("$.car.nope");
        assertThatThrownBy(() -> ReferencePath.parse("$.bar[7]").read(DOC)).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> ReferencePath.parse("$.foo.x").read(DOC)).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void find_returnsNullInsteadOfThrowing() {
        assertThat(ReferencePath.parse("$.nope").find(DOC, null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.a[*]", "$.a.*", "$..a", "$.a[0:2]", "$.a[0,1]", "$.a[?(@.b)]", "$['a','b']", "$.a[-1]",
            "$.a.length()"})
    void parse_rejectsEverythingButNamesAndIndexes(String text) {
        assertThatThrownBy(() -> ReferencePath.parse(text))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("invalid Reference Path '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo", "$.", "$.a[", "$.a[x]", "$.a]", "$['a", "$..", "$.a..b["})
    void parse_rejectsMalformedPaths(String text) {
        assertThatThrownBy(() -> ReferencePath.parse(text)).isInstanceOf(InvalidExpressionException.class);
    }

    @Test
    void parse_namesTheProblemAndPosition() {
        assertThatThrownBy(() -> ReferencePath.parse("$.a["))
                .hasMessage("invalid JSONPath '$.a[': unclosed bracket opened at 3 at 4");
    }

    // ResultPath examples from the Step Functions developer guide

    @Test
    void write_dollarReplacesTheWholeInput() {
        JsonNode result = ReferencePath.parse("$").write(DOC, Json.of("\"Hello, AWS Step Functions!\""));
        assertThat(result.textValue()).isEqualTo("Hello, AWS Step Functions!");
    }

    @Test
    void write_addsTheResultNextToTheInput() {
        JsonNode input = Json.of("""
                {"comment": "This is a test", "details": "Default example", "who": "AWS Step Functions"}""");

        JsonNode result = ReferencePath.parse("$.taskresult").write(input, Json.of("\"Hello, AWS Step Functions!\""));

        assertThat(result).isEqualTo(Json.of("""
                {"comment": "This is a test", "details": "Default example", "who": "AWS Step Functions",
                 "taskresult": "Hello, AWS Step Functions!"}"""));
        assertThat(input.has("taskresult")).as("the caller's input is not modified").isFalse();
    }

    @Test
    void write_replacesAnExistingFieldAndCreatesMissingIntermediateObjects() {
        JsonNode input = Json.of("{\"master\": {\"detail\": [1, 2, 3]}, \"other\": {\"big\": [1]}}");

        JsonNode replaced = ReferencePath.parse("$.master.detail").write(input, Json.of("6"));
        JsonNode created = ReferencePath.parse("$.a.b.c").write(input, Json.of("{\"x\": 1}"));

        assertThat(replaced).isEqualTo(Json.of("{\"master\": {\"detail\": 6}, \"other\": {\"big\": [1]}}"));
        assertThat(created.get("a")).isEqualTo(Json.of("{\"b\": {\"c\": {\"x\": 1}}}"));
        assertThat(input).isEqualTo(Json.of("{\"master\": {\"detail\": [1, 2, 3]}, \"other\": {\"big\": [1]}}"));
        assertThat(replaced.get("other")).as("untouched branches are shared, not copied").isSameAs(input.get("other"));
    }

    @Test
    void write_replacesAnArrayElement() {
        JsonNode input = Json.of("{\"list\": [1, {\"a\": 1}, 3]}");

        JsonNode result = ReferencePath.parse("$.list[1].b").write(input, Json.of("2"));

        assertThat(result).isEqualTo(Json.of("{\"list\": [1, {\"a\": 1, \"b\": 2}, 3]}"));
        assertThat(input.get("list").get(1).has("b")).isFalse();
    }

    @Test
    void write_intoANonObjectFails() {
        assertThatThrownBy(() -> ReferencePath.parse("$.foo.x").write(DOC, Json.of("1")))
                .isInstanceOf(PathWriteException.class)
                .hasMessage("cannot write '$.foo.x': the value at '$['foo']' is integer 123, not an object");
        assertThatThrownBy(() -> ReferencePath.parse("$.x").write(Json.of("\"text\""), Json.of("1")))
                .isInstanceOf(PathWriteException.class);
        assertThatThrownBy(() -> ReferencePath.parse("$.bar[5]").write(DOC, Json.of("1")))
                .isInstanceOf(PathWriteException.class)
                .hasMessageContaining("index 5 is outside the array of size 3");
        assertThatThrownBy(() -> ReferencePath.parse("$.nope[0]").write(DOC, Json.of("1")))
                .isInstanceOf(PathWriteException.class);
    }

    @Test
    void readAndWrite_neverReparse() {
        ReferencePath path = ReferencePath.parse("$.car.cdr");
        long before = PathParser.PARSES.get();

        for (int i = 0; i < 100; i++) {
            path.read(DOC);
            path.write(DOC, Json.of("1"));
        }

        assertThat(PathParser.PARSES.get()).isEqualTo(before);
    }
}
