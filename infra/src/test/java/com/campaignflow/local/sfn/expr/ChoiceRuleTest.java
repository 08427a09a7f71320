package com.campaignflow.local.sfn.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChoiceRuleTest {

    private static final JsonNode INPUT = Json.of("""
            {"type": "Private", "value": 42, "fraction": 0.5, "flag": true, "nothing": null,
             "when": "2016-03-14T01:59:00Z", "later": "2016-03-14T03:59:00+01:00", "bad": "2016-03-14 01:59:00",
             "file": "log-2026.txt", "star": "a*b", "back": "a\\\\b", "other": 42, "otherType": "Public",
             "list": [1, 2]}""");

    private static final JsonNode CONTEXT = Json.of("{\"Execution\": {\"Name\": \"nightly\"}}");

    private static boolean matches(String rule) {
        return ChoiceRule.compile(Json.of(rule)).matches(INPUT, CONTEXT);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{\"Variable\": \"$.type\", \"StringEquals\": \"Private\"} => true",
            "{\"Variable\": \"$.type\", \"StringEquals\": \"private\"} => false",
            "{\"Variable\": \"$.type\", \"StringLessThan\": \"Q\"} => true",
            "{\"Variable\": \"$.type\", \"StringGreaterThan\": \"Q\"} => false",
            "{\"Variable\": \"$.type\", \"StringLessThanEquals\": \"Private\"} => true",
            "{\"Variable\": \"$.type\", \"StringGreaterThanEquals\": \"Privatf\"} => false",
            "{\"Variable\": \"$.value\", \"NumericEquals\": 42} => true",
            "{\"Variable\": \"$.value\", \"NumericEquals\": 42.0} => true",
            "{\"Variable\": \"$.value\", \"NumericLessThan\": 42} => false",
            "{\"Variable\": \"$.value\", \"NumericLessThanEquals\": 42} => true",
            "{\"Variable\": \"$.value\", \"NumericGreaterThan\": 41.9} => true",
            "{\"Variable\": \"$.fraction\", \"NumericGreaterThanEquals\": 0.5} => true",
            "{\"Variable\": \"$.flag\", \"BooleanEquals\": true} => true",
            "{\"Variable\": \"$.flag\", \"BooleanEquals\": false} => false",
            "{\"Variable\": \"$.when\", \"TimestampEquals\": \"2016-03-14T01:59:00Z\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampEquals\": \"2016-03-14T02:59:00+01:00\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampLessThan\": \"2016-03-14T02:00:00Z\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampGreaterThan\": \"2016-03-14T02:00:00Z\"} => false",
            "{\"Variable\": \"$.when\", \"TimestampLessThanEquals\": \"2016-03-14T01:59:00Z\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampGreaterThanEquals\": \"2016-03-14T01:59:00.001Z\"} => false",
            "{\"Variable\": \"$$.Execution.Name\", \"StringEquals\": \"nightly\"} => true",
            "{\"Variable\": \"$.list[1]\", \"NumericEquals\": 2} => true",
    })
    void comparisons(String rule, boolean expected) {
        assertThat(matches(rule)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{\"Variable\": \"$.value\", \"NumericEqualsPath\": \"$.other\"} => true",
            "{\"Variable\": \"$.value\", \"NumericLessThanPath\": \"$.other\"} => false",
            "{\"Variable\": \"$.fraction\", \"NumericLessThanPath\": \"$.value\"} => true",
            "{\"Variable\": \"$.value\", \"NumericGreaterThanPath\": \"$.fraction\"} => true",
            "{\"Variable\": \"$.value\", \"NumericLessThanEqualsPath\": \"$.other\"} => true",
            "{\"Variable\": \"$.value\", \"NumericGreaterThanEqualsPath\": \"$.other\"} => true",
            "{\"Variable\": \"$.type\", \"StringEqualsPath\": \"$.otherType\"} => false",
            "{\"Variable\": \"$.type\", \"StringLessThanPath\": \"$.otherType\"} => true",
            "{\"Variable\": \"$.type\", \"StringGreaterThanPath\": \"$.otherType\"} => false",
            "{\"Variable\": \"$.type\", \"StringLessThanEqualsPath\": \"$.type\"} => true",
            "{\"Variable\": \"$.type\", \"StringGreaterThanEqualsPath\": \"$.type\"} => true",
            "{\"Variable\": \"$.flag\", \"BooleanEqualsPath\": \"$.flag\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampEqualsPath\": \"$.later\"} => false",
            "{\"Variable\": \"$.when\", \"TimestampLessThanPath\": \"$.later\"} => true",
            "{\"Variable\": \"$.when\", \"TimestampGreaterThanPath\": \"$.later\"} => false",
            "{\"Variable\": \"$.when\", \"TimestampLessThanEqualsPath\": \"$.when\"} => true",
            "{\"Variable\": \"$.later\", \"TimestampGreaterThanEqualsPath\": \"$.when\"} => true",
            "{\"Variable\": \"$.value\", \"NumericEqualsPath\": \"$.type\"} => false",
            "{\"Variable\": \"$.type\", \"StringEqualsPath\": \"$$.Execution.Name\"} => false",
    })
    void pathComparisons(String rule, boolean expected) {
        assertThat(matches(rule)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{\"Variable\": \"$.file\", \"StringMatches\": \"log-*.txt\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"*.txt\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"log-*\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"*\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"log-2026.txt\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"log.*\"} => false",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"*.csv\"} => false",
            "{\"Variable\": \"$.star\", \"StringMatches\": \"a\\\\*b\"} => true",
            "{\"Variable\": \"$.file\", \"StringMatches\": \"log-2026\\\\*\"} => false",
            "{\"Variable\": \"$.back\", \"StringMatches\": \"a\\\\\\\\b\"} => true",
            "{\"Variable\": \"$.type\", \"StringMatches\": \"P[r]*\"} => false",
    })
    void stringMatches_wildcardsAndEscapes(String rule, boolean expected) {
        assertThat(matches(rule)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{\"Variable\": \"$.nothing\", \"IsNull\": true} => true",
            "{\"Variable\": \"$.value\", \"IsNull\": false} => true",
            "{\"Variable\": \"$.value\", \"IsPresent\": true} => true",
            "{\"Variable\": \"$.missing\", \"IsPresent\": false} => true",
            "{\"Variable\": \"$.missing\", \"IsPresent\": true} => false",
            "{\"Variable\": \"$.nothing\", \"IsPresent\": true} => true",
            "{\"Variable\": \"$.fraction\", \"IsNumeric\": true} => true",
            "{\"Variable\": \"$.type\", \"IsNumeric\": false} => true",
            "{\"Variable\": \"$.type\", \"IsString\": true} => true",
            "{\"Variable\": \"$.nothing\", \"IsString\": true} => false",
            "{\"Variable\": \"$.flag\", \"IsBoolean\": true} => true",
            "{\"Variable\": \"$.value\", \"IsBoolean\": true} => false",
            "{\"Variable\": \"$.when\", \"IsTimestamp\": true} => true",
            "{\"Variable\": \"$.bad\", \"IsTimestamp\": true} => false",
            "{\"Variable\": \"$.type\", \"IsTimestamp\": false} => true",
    })
    void typeTests(String rule, boolean expected) {
        assertThat(matches(rule)).isEqualTo(expected);
    }

    @Test
    void wrongType_isFalseNotAnError() {
        assertThat(matches("{\"Variable\": \"$.type\", \"NumericEquals\": 1}")).isFalse();
        assertThat(matches("{\"Variable\": \"$.value\", \"StringEquals\": \"42\"}")).isFalse();
        assertThat(matches("{\"Variable\": \"$.bad\", \"TimestampEquals\": \"2016-03-14T01:59:00Z\"}")).isFalse();
        assertThat(matches("{\"Variable\": \"$.nothing\", \"BooleanEquals\": false}")).isFalse();
        assertThat(matches("{\"Not\": {\"Variable\": \"$.type\", \"NumericEquals\": 1}}")).isTrue();
    }

    @Test
    void missingVariable_isAStatesRuntimeError() {
        assertThatThrownBy(() -> matches("{\"Variable\": \"$.missing\", \"StringEquals\": \"x\", \"Next\": \"A\"}"))
                .isInstanceOfSatisfying(ExpressionFailure.class, e -> assertThat(e.errorName()).isEqualTo("States.Runtime"))
                .hasMessage("Invalid path '$.missing': The choice state's condition path references an invalid value.");
        assertThatThrownBy(() -> matches("{\"Variable\": \"$.missing\", \"IsNull\": true}"))
                .isInstanceOf(ExpressionFailure.class);
    }

    @Test
    void missingSecondPath_isAStatesRuntimeError() {
        assertThatThrownBy(() -> matches("{\"Variable\": \"$.value\", \"NumericEqualsPath\": \"$.nope\"}"))
                .isInstanceOfSatisfying(ExpressionFailure.class, e -> assertThat(e.errorName()).isEqualTo("States.Runtime"))
                .hasMessage("Invalid path '$.nope': The choice state's condition path references an invalid value.");
    }

    @Test
    void booleanOperatorsFromTheDocsExample() {
        String rule = """
                {"And": [
                   {"Variable": "$.value", "IsPresent": true},
                   {"Variable": "$.value", "IsNumeric": true},
                   {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                   {"Variable": "$.value", "NumericLessThan": 30}],
                 "Next": "ValueInTwenties"}""";
        String notRule = """
                {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"}""";
        String orRule = """
                {"Or": [{"Variable": "$.value", "NumericLessThan": 0}, {"Variable": "$.value", "NumericGreaterThan": 40}]}""";

        assertThat(matches(rule)).isFalse();
        assertThat(ChoiceRule.compile(Json.of(rule)).matches(Json.of("{\"value\": 25}"), CONTEXT)).isTrue();
        assertThat(matches(notRule)).isFalse();
        assertThat(matches(orRule)).isTrue();
    }

    @Test
    void andShortCircuits_soIsPresentGuardsLaterComparisons() {
        String rule = """
                {"And": [{"Variable": "$.opt", "IsPresent": true}, {"Variable": "$.opt", "StringEquals": "x"}]}""";

        assertThat(ChoiceRule.compile(Json.of(rule)).matches(Json.of("{}"), CONTEXT)).isFalse();
    }

    @Test
    void nestedBooleans() {
        String rule = """
                {"Or": [
                   {"And": [{"Variable": "$.flag", "BooleanEquals": false}, {"Variable": "$.value", "NumericEquals": 42}]},
                   {"Not": {"Or": [{"Variable": "$.type", "StringEquals": "Public"},
                                   {"Variable": "$.type", "StringMatches": "Pub*"}]}}]}""";

        assertThat(matches(rule)).isTrue();
    }

    @Test
    void compile_namesTheProblem() {
        assertInvalid("{\"Variable\": \"$.a\", \"Next\": \"X\"}", "Choice rule has no comparison operator");
        assertInvalid("{\"Variable\": \"$.a\", \"StringEquals\": \"x\", \"NumericEquals\": 1}",
                "Choice rule has more than one comparison operator: StringEquals, NumericEquals");
        assertInvalid("{\"StringEquals\": \"x\"}", "Choice rule with StringEquals has no Variable");
        assertInvalid("{\"Variable\": \"$.a\", \"StringEquals\": 5}", "Choice rule: StringEquals must be a string, got integer 5");
        assertInvalid("{\"Variable\": \"$.a\", \"NumericEquals\": \"5\"}", "Choice rule: NumericEquals must be a number, got string \"5\"");
        assertInvalid("{\"Variable\": \"$.a\", \"BooleanEquals\": \"true\"}", "Choice rule: BooleanEquals must be true or false, got \"true\"");
        assertInvalid("{\"Variable\": \"$.a\", \"TimestampEquals\": \"2016-03-14\"}",
                "Choice rule: TimestampEquals must be an RFC3339 timestamp such as 2016-08-18T17:33:00Z, got \"2016-03-14\"");
        assertInvalid("{\"Variable\": \"$.a\", \"IsNull\": \"yes\"}", "Choice rule: IsNull must be true or false, got \"yes\"");
        assertInvalid("{\"Variable\": \"$.a[*]\", \"IsNull\": true}", "Choice rule: Variable: invalid Reference Path '$.a[*]'");
        assertInvalid("{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$..b\"}", "Choice rule: StringEqualsPath: invalid Reference Path");
        assertInvalid("{\"Variable\": \"$.a\", \"Foo\": 1, \"IsNull\": true}", "Choice rule has unknown field 'Foo'");
        assertInvalid("{\"And\": []}", "Choice rule: And must be a non-empty array of rules");
        assertInvalid("{\"Or\": [{\"Variable\": \"$.a\", \"IsNull\": true, \"Next\": \"X\"}]}",
                "Choice rule.Or[0]: a rule nested inside And/Or/Not must not have 'Next'");
        assertInvalid("{\"Not\": {\"Variable\": \"$.a\"}}", "Choice rule.Not has no comparison operator");
        assertInvalid("{\"Variable\": \"$.a\", \"And\": [{\"Variable\": \"$.a\", \"IsNull\": true}]}",
                "Choice rule: And must not have a Variable");
        assertInvalid("[]", "Choice rule must be a JSON object");
    }

    private static void assertInvalid(String rule, String messageStart) {
        assertThatThrownBy(() -> ChoiceRule.compile(Json.of(rule)))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void matches_neverReparses() {
        ChoiceRule rule = ChoiceRule.compile(Json.of("""
                {"And": [{"Variable": "$.value", "NumericEqualsPath": "$.other"}, {"Variable": "$.file", "StringMatches": "*.txt"}]}"""));
        long before = PathParser.PARSES.get();

        for (int i = 0; i < 100; i++) {
            assertThat(rule.matches(INPUT, CONTEXT)).isTrue();
        }

        assertThat(PathParser.PARSES.get()).isEqualTo(before);
    }
}
