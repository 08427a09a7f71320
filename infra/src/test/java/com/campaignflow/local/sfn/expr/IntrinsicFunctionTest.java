package com.campaignflow.local.sfn.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntrinsicFunctionTest {

    private static final JsonNode CONTEXT = Json.of("{\"Execution\": {\"Name\": \"run-7\"}}");

    private static JsonNode eval(String function, String input) {
        return IntrinsicFunction.parse(function).evaluate(Json.of(input), CONTEXT);
    }

    private static ExpressionFailure failure(String function, String input) {
        try {
            eval(function, input);
        } catch (ExpressionFailure e) {
            return e;
        }
        throw new AssertionError(function + " did not fail");
    }

    // examples from the Step Functions intrinsic functions page

    @Test
    void format_fillsPlaceholdersInOrder() {
        assertThat(eval("States.Format('Hello, my name is {}.', $.name)", "{\"name\": \"Arnav\"}").textValue())
                .isEqualTo("Hello, my name is Arnav.");
        assertThat(eval("States.Format('{} {} {} {}', $.s, $.n, $.b, $.z)",
                "{\"s\": \"x\", \"n\": 1.5, \"b\": true, \"z\": null}").textValue())
                .isEqualTo("x 1.5 true null");
        assertThat(eval("States.Format('run {}', $$.Execution.Name)", "{}").textValue()).isEqualTo("run run-7");
    }

    @Test
    void format_honoursEscapes() {
        assertThat(eval("States.Format('\\{literal\\} {} it\\'s \\\\', 'x')", "{}").textValue())
                .isEqualTo("{literal} x it's \\");
    }

    @Test
    void format_withATemplateFromAPath() {
        assertThat(eval("States.Format($.t, 1, 2)", "{\"t\": \"{}+{}\"}").textValue()).isEqualTo("1+2");
        assertThat(failure("States.Format($.t, 1)", "{\"t\": \"{}+{}\"}").getMessage())
                .contains("the template has 2 placeholder(s) but 1 value(s) were given");
    }

    @Test
    void format_rejectsObjectArguments() {
        ExpressionFailure e = failure("States.Format('{}', $.o)", "{\"o\": {\"a\": 1}}");
        assertThat(e.errorName()).isEqualTo("States.IntrinsicFailure");
        assertThat(e.getMessage()).isEqualTo("The function 'States.Format('{}', $.o)' had the following error: "
                + "States.Format: argument 2 must be a string, number, boolean or null, got object");
    }

    @Test
    void nestedCalls_likeTheDocsNineDeepExample() {
        // the docs' example uses '{}.{}.{}' with two values, which this parser rejects at definition time
        String arn = "States.Format('{}.{}', "
                + "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), "
                + "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
        JsonNode input = Json.of("{\"ImageRecipe\": {\"Arn\": \"arn:aws:imagebuilder:us-east-1:123:image-recipe/my.recipe/2.5.0\"}}");

        assertThat(IntrinsicFunction.parse(arn).evaluate(input, CONTEXT).textValue()).isEqualTo("2.5");
        assertThatThrownBy(() -> IntrinsicFunction.parse(arn.replace("'{}.{}'", "'{}.{}.{}'")))
                .hasMessageContaining("the States.Format template has 3 placeholder(s) but 2 value(s) were given");
    }

    @Test
    void stringToJsonAndBack() {
        assertThat(eval("States.StringToJson($.escapedJsonString)", "{\"escapedJsonString\": \"{\\\"foo\\\": \\\"bar\\\"}\"}"))
                .isEqualTo(Json.of("{\"foo\": \"bar\"}"));
        assertThat(eval("States.JsonToString($.unescapedJson)", "{\"unescapedJson\": {\"foo\": \"bar\"}}").textValue())
                .isEqualTo("{\"foo\":\"bar\"}");
        assertThat(failure("States.StringToJson($.s)", "{\"s\": \"{nope\"}").errorName()).isEqualTo("States.IntrinsicFailure");
        assertThat(failure("States.StringToJson('')", "{}").getMessage()).contains("empty string, not JSON");
        assertThat(failure("States.StringToJson($.n)", "{\"n\": 1}").getMessage()).contains("must be a string, got integer 1");
    }

    @Test
    void array_collectsItsArguments() {
        assertThat(eval("States.Array($.Id)", "{\"Id\": 123456}")).isEqualTo(Json.of("[123456]"));
        assertThat(eval("States.Array('a', 1, 2.5, true, null, $.o)", "{\"o\": {\"k\": 1}}"))
                .isEqualTo(Json.of("[\"a\", 1, 2.5, true, null, {\"k\": 1}]"));
        assertThat(eval("States.Array()", "{}")).isEqualTo(Json.of("[]"));
    }

    @Test
    void arrayFunctionsFromTheDocs() {
        assertThat(eval("States.ArrayPartition($.inputArray, 4)", "{\"inputArray\": [1,2,3,4,5,6,7,8,9]}"))
                .isEqualTo(Json.of("[[1,2,3,4],[5,6,7,8],[9]]"));
        assertThat(eval("States.ArrayContains($.inputArray, $.lookingFor)", "{\"inputArray\": [1,2,3,4,5,6,7,8,9], \"lookingFor\": 5}")
                .booleanValue()).isTrue();
        assertThat(eval("States.ArrayContains($.a, 'x')", "{\"a\": [1, {\"x\": 1}]}").booleanValue()).isFalse();
        assertThat(eval("States.ArrayRange(1, 9, 2)", "{}")).isEqualTo(Json.of("[1,3,5,7,9]"));
        assertThat(eval("States.ArrayRange(10, 0, -5)", "{}")).isEqualTo(Json.of("[10,5,0]"));
        assertThat(eval("States.ArrayGetItem($.inputArray, $.index)", "{\"inputArray\": [1,2,3,4,5,6,7,8,9], \"index\": 5}").intValue())
                .isEqualTo(6);
        assertThat(eval("States.ArrayLength($.inputArray)", "{\"inputArray\": [1,2,3,4,5,6,7,8,9]}").intValue()).isEqualTo(9);
        assertThat(eval("States.ArrayUnique($.inputArray)", "{\"inputArray\": [1,2,3,3,3,3,3,3,4]}"))
                .isEqualTo(Json.of("[1,2,3,4]"));
        assertThat(eval("States.ArrayUnique($.a)", "{\"a\": [{\"x\": 1}, {\"x\": 1}, 1, 1.0]}"))
                .isEqualTo(Json.of("[{\"x\": 1}, 1]"));
    }

    @Test
    void arrayFunctions_rejectBadArguments() {
        assertThat(failure("States.ArrayRange(1, 1001, 1)", "{}").getMessage())
                .contains("the range would have 1001 elements; at most 1000 are allowed");
        assertThat(eval("States.ArrayRange(1, 1000, 1)", "{}").size()).isEqualTo(1000);
        assertThat(failure("States.ArrayRange(1, 5, 0)", "{}").getMessage()).contains("the step must not be 0");
        assertThat(failure("States.ArrayRange(-9000000000000000000, 9000000000000000000, 1)", "{}").getMessage())
                .contains("at most 1000 are allowed");
        assertThat(eval("States.ArrayRange(1, 5, -1)", "{}")).isEqualTo(Json.of("[]"));
        assertThat(failure("States.ArrayRange('1', 5, 1)", "{}").getMessage())
                .contains("argument 1 (start) must be an integer, got string \"1\"");
        assertThat(failure("States.ArrayGetItem($.a, 0.5)", "{\"a\": [1]}").getMessage())
                .contains("argument 2 (index) must be an integer, got number 0.5");
        assertThat(failure("States.ArrayGetItem($.a, 3)", "{\"a\": [1]}").getMessage())
                .contains("index 3 is out of bounds for an array of size 1");
        assertThat(failure("States.ArrayPartition($.a, 0)", "{\"a\": [1]}").getMessage())
                .contains("the chunk size must be a positive integer, got 0");
        assertThat(failure("States.ArrayLength($.a)", "{\"a\": \"abc\"}").getMessage())
                .contains("argument 1 must be an array, got string \"abc\"");
        assertThat(failure("States.ArrayLength($.a)", "{\"a\": \"abc\"}").errorName()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void base64_roundTripsAndEnforcesTheInputLimit() {
        assertThat(eval("States.Base64Encode($.input)", "{\"input\": \"Data to encode\"}").textValue())
                .isEqualTo("RGF0YSB0byBlbmNvZGU=");
        assertThat(eval("States.Base64Decode($.base64)", "{\"base64\": \"RGVjb2RlZCBkYXRh\"}").textValue())
                .isEqualTo("Decoded data");
        String big = "a".repeat(10_001);
        assertThat(failure("States.Base64Encode($.s)", "{\"s\": \"" + big + "\"}").getMessage())
                .contains("the input has 10001 characters; at most 10000 are allowed");
        assertThat(failure("States.Base64Decode('not base64!')", "{}").getMessage()).contains("not valid base64");
    }

    @ParameterizedTest
    @CsvSource({
            "MD5, 812f45842bc6d66ee14572ce20db8e86",
            "SHA-1, aaff4a450a104cd177d28d18d74485e8cae074b7",
            "SHA-256, b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
    })
    void hash_returnsLowercaseHex(String algorithm, String expected) {
        assertThat(eval("States.Hash($.Data, $.Algorithm)", "{\"Data\": \"input data\", \"Algorithm\": \"" + algorithm + "\"}")
                .textValue()).isEqualTo(expected);
    }

    @Test
    void hash_supportsSha384And512AndRejectsOthers() {
        assertThat(eval("States.Hash('x', 'SHA-384')", "{}").textValue()).hasSize(96);
        assertThat(eval("States.Hash('x', 'SHA-512')", "{}").textValue()).hasSize(128);
        assertThat(failure("States.Hash('x', 'SHA-3')", "{}").getMessage()).contains("unsupported algorithm 'SHA-3'");
        assertThat(failure("States.Hash($.n, 'MD5')", "{\"n\": 42}").getMessage()).contains("data");
        assertThat(failure("States.Hash($.o, 'MD5')", "{\"o\": {\"k\": \"v\"}}").getMessage()).contains("data");
        assertThat(failure("States.Hash($.s, 'MD5')", "{\"s\": \"" + "a".repeat(10_001) + "\"}").getMessage())
                .contains("at most 10000");
    }

    @Test
    void jsonMerge_isShallow() {
        JsonNode input = Json.of("""
                {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}""");

        assertThat(IntrinsicFunction.parse("States.JsonMerge($.json1, $.json2, false)").evaluate(input, CONTEXT))
                .isEqualTo(Json.of("{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}"));
        assertThat(input.get("json1").has("c")).as("inputs are not modified").isFalse();
        assertThat(failure("States.JsonMerge($.json1, $.json2, true)", input.toString()).getMessage())
                .contains("only shallow merging is supported");
        assertThat(failure("States.JsonMerge($.json1, 'x', false)", input.toString()).getMessage())
                .contains("both arguments to merge must be JSON objects, got object and string");
    }

    @Test
    void mathRandom_staysInRangeAndIsRepeatableWithASeed() {
        for (int i = 0; i < 200; i++) {
            int n = eval("States.MathRandom($.start, $.end)", "{\"start\": 1, \"end\": 999}").intValue();
            assertThat(n).isBetween(1, 998);
        }
        JsonNode first = eval("States.MathRandom(0, 1000000, 42)", "{}");
        assertThat(eval("States.MathRandom(0, 1000000, 42)", "{}")).isEqualTo(first);
        assertThat(failure("States.MathRandom(5, 5)", "{}").getMessage()).contains("must be less than the end");
    }

    @Test
    void nonIntegerNumbers_areRoundedToTheNearestInteger_whereTheDocsSaySo() {
        assertThat(eval("States.MathAdd($.x, 2)", "{\"x\": 1.5}").intValue()).isEqualTo(4);
        assertThat(eval("States.MathAdd(-1.5, 0.4)", "{}").intValue()).isEqualTo(-2);
        assertThat(eval("States.ArrayRange(0.6, 5.4, 1.5)", "{}")).isEqualTo(Json.of("[1,3,5]"));
        assertThat(eval("States.ArrayPartition($.a, 1.6)", "{\"a\": [1,2,3]}")).isEqualTo(Json.of("[[1,2],[3]]"));
        assertThat(eval("States.MathRandom(1.5, 2.6)", "{}").intValue()).isEqualTo(2);
        assertThat(failure("States.ArrayPartition($.a, 0.4)", "{\"a\": [1]}").getMessage())
                .contains("the chunk size must be a positive integer, got 0");
    }

    @Test
    void openEscapeBackslash_parses_butFailsWithStatesRuntimeWhenEvaluated() {
        IntrinsicFunction f = IntrinsicFunction.parse("States.Array('bad \\n escape')");
        assertThatThrownBy(() -> f.evaluate(Json.of("{}"), Json.of("{}")))
                .isInstanceOf(ExpressionFailure.class)
                .hasMessageContaining("has an open escape backslash '\\n'")
                .extracting(e -> ((ExpressionFailure) e).errorName()).isEqualTo("States.Runtime");
    }

    @Test
    void mathAdd_addsIntegersInThe32BitRange() {
        assertThat(eval("States.MathAdd($.value1, $.step)", "{\"value1\": 111, \"step\": -1}").intValue()).isEqualTo(110);
        assertThat(eval("States.MathAdd(2147483647, 1)", "{}").longValue()).isEqualTo(2147483648L);
        assertThat(failure("States.MathAdd(2147483648, 1)", "{}").getMessage())
                .contains("outside the range -2147483648..2147483647");
        assertThat(failure("States.MathAdd('1', 1)", "{}").getMessage()).contains("must be an integer, got string");
    }

    @Test
    void stringSplit_splitsOnEveryDelimiterCharacter() {
        assertThat(eval("States.StringSplit($.inputString, $.splitter)", "{\"inputString\": \"1,2,3,4,5\", \"splitter\": \",\"}"))
                .isEqualTo(Json.of("[\"1\",\"2\",\"3\",\"4\",\"5\"]"));
        assertThat(eval("States.StringSplit($.inputString, $.splitter)",
                "{\"inputString\": \"This.is+a,test=string\", \"splitter\": \".+,=\"}"))
                .isEqualTo(Json.of("[\"This\",\"is\",\"a\",\"test\",\"string\"]"));
        assertThat(eval("States.StringSplit('a,,b,', ',')", "{}")).isEqualTo(Json.of("[\"a\",\"b\"]"));
    }

    @Test
    void uuid_isAVersion4Uuid() {
        String uuid = eval("States.UUID()", "{}").textValue();
        assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(eval("States.UUID()", "{}").textValue()).isNotEqualTo(uuid);
    }

    @Test
    void missingPathArgument_isAStatesRuntimeFailureNamingTheWholeFunction() {
        ExpressionFailure e = failure("States.Format('{}', $.nope)", "{\"other\":1}");

        assertThat(e.errorName()).isEqualTo("States.Runtime");
        assertThat(e.getMessage()).isEqualTo("The function 'States.Format('{}', $.nope)' had the following error: "
                + "The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'");
    }

    @Test
    void indefinitePathArguments_passArraysOfMatches() {
        assertThat(eval("States.ArrayLength($.items[?(@.ok)])", "{\"items\": [{\"ok\": 1}, {}, {\"ok\": 2}]}").intValue())
                .isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "States.Nope(1)", "Format('x')", "States.Format('x'", "States.Format('{}')", "States.Format('{', 1)",
            "States.Format('x') extra", "States.UUID(1)", "States.ArrayRange(1, 2)", "States.Hash('x')",
            "States.MathRandom(1)", "States.Array('unterminated)",
            "States.Array($.a[)", "States.Array(1 2)", "States.Array(,)", "States.Format(1)"})
    void parse_rejectsInvalidCalls(String text) {
        assertThatThrownBy(() -> IntrinsicFunction.parse(text))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("invalid intrinsic function '" + text + "'");
    }

    @Test
    void parse_reportsArgumentCounts() {
        assertThatThrownBy(() -> IntrinsicFunction.parse("States.ArrayRange(1, 2)"))
                .hasMessage("invalid intrinsic function 'States.ArrayRange(1, 2)': States.ArrayRange takes 3 argument(s)"
                        + " but 2 were given");
    }

    @Test
    void parse_limitsNestingToTen() {
        String ten = "States.Array(".repeat(10) + ")".repeat(10);
        String eleven = "States.Array(".repeat(11) + ")".repeat(11);

        assertThat(IntrinsicFunction.parse(ten).evaluate(Json.of("{}"), CONTEXT).toString())
                .isEqualTo("[".repeat(10) + "]".repeat(10));
        assertThatThrownBy(() -> IntrinsicFunction.parse(eleven)).hasMessageContaining("nested at most 10 deep");
    }

    @Test
    void evaluate_neverReparses() {
        IntrinsicFunction f = IntrinsicFunction.parse("States.Format('{}-{}', $.a, States.ArrayLength($.b[*]))");
        JsonNode input = Json.of("{\"a\": \"x\", \"b\": [1, 2]}");
        long before = PathParser.PARSES.get();

        for (int i = 0; i < 100; i++) {
            assertThat(f.evaluate(input, CONTEXT).textValue()).isEqualTo("x-2");
        }

        assertThat(PathParser.PARSES.get()).isEqualTo(before);
    }
}
