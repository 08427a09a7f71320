package com.campaignflow.local.sfn.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathExpressionTest {

    private static final JsonNode STORE = Json.of("""
            {"store": {
               "book": [
                 {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                 {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                 {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3",
                  "price": 8.99},
                 {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
                  "isbn": "0-395-19395-8", "price": 22.99}
               ],
               "bicycle": {"color": "red", "price": 19.95}
             },
             "expensive": 10}""");

    private static final JsonNode CONTEXT = Json.of("""
            {"Execution": {"Id": "arn:aws:states:us-east-1:123:execution:sm:run-1", "Input": {"a": 1}},
             "State": {"Name": "Writer", "EnteredTime": "2026-01-01T00:00:00Z"}, "Map": {"Item": {"Index": 2}}}""");

    private static JsonNode eval(String path) {
        return JsonPathExpression.parse(path).evaluate(STORE, CONTEXT);
    }

    @Test
    void definitePaths_returnTheNodeItself() {
        assertThat(eval("$.store.bicycle.color").textValue()).isEqualTo("red");
        assertThat(eval("$['store']['book'][0]['author']").textValue()).isEqualTo("Nigel Rees");
        assertThat(eval("$[\"store\"].book[-1].title").textValue()).isEqualTo("The Lord of the Rings");
        assertThat(eval("$")).isSameAs(STORE);
        assertThat(JsonPathExpression.parse("$.store.book[2]").isDefinite()).isTrue();
    }

    @Test
    void contextPaths_readTheContextObject() {
        assertThat(eval("$$.Execution.Id").textValue()).isEqualTo("arn:aws:states:us-east-1:123:execution:sm:run-1");
        assertThat(eval("$$.Map.Item.Index").intValue()).isEqualTo(2);
        assertThat(eval("$$")).isSameAs(CONTEXT);
    }

    @Test
    void definitePath_missingThrowsPathNotFound() {
        assertThatThrownBy(() -> eval("$.store.car"))
                .isInstanceOf(PathNotFoundException.class)
                .hasMessageStartingWith("The JSONPath '$.store.car' could not be found in the input '{\"store\"");
        assertThatThrownBy(() -> eval("$$.Task.Token"))
                .isInstanceOf(PathNotFoundException.class)
                .hasMessageContaining("context object");
        assertThatThrownBy(() -> eval("$.store.book[9]")).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void wildcards_selectAllChildren() {
        assertThat(eval("$.store.book[*].author")).isEqualTo(Json.of("""
                ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]"""));
        assertThat(eval("$.store.bicycle.*")).isEqualTo(Json.of("[\"red\", 19.95]"));
        assertThat(eval("$.store.*").size()).isEqualTo(2);
        assertThat(JsonPathExpression.parse("$.store.*").isDefinite()).isFalse();
    }

    @Test
    void recursiveDescent_findsAtEveryDepth() {
        assertThat(eval("$..author").size()).isEqualTo(4);
        assertThat(eval("$.store..price")).isEqualTo(Json.of("[8.95, 12.99, 8.99, 22.99, 19.95]"));
        assertThat(eval("$..book[2].title")).isEqualTo(Json.of("[\"Moby Dick\"]"));
        assertThat(eval("$..book[?(@.isbn)].title")).isEqualTo(Json.of("[\"Moby Dick\", \"The Lord of the Rings\"]"));
        assertThat(eval("$..nothing")).isEqualTo(Json.of("[]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "$.store.book[0:2].price    | [8.95, 12.99]",
            "$.store.book[:2].price     | [8.95, 12.99]",
            "$.store.book[-2:].price    | [8.99, 22.99]",
            "$.store.book[1:].price     | [12.99, 8.99, 22.99]",
            "$.store.book[::2].price    | [8.95, 8.99]",
            "$.store.book[::-1].price   | [22.99, 8.99, 12.99, 8.95]",
            "$.store.book[2:10].price   | [8.99, 22.99]",
            "$.store.book[0,3].price    | [8.95, 22.99]",
            "$.store.book[0]['title','price'] | [\"Sayings of the Century\", 8.95]",
    })
    void slicesAndUnions_returnArraysOfMatches(String path, String expected) {
        assertThat(eval(path)).isEqualTo(Json.of(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "$.store.book[?(@.price < 10)].title => [\"Sayings of the Century\", \"Moby Dick\"]",
            "$.store.book[?(@.price <= 8.99)].title => [\"Sayings of the Century\", \"Moby Dick\"]",
            "$.store.book[?(@.price > $.expensive)].title => [\"Sword of Honour\", \"The Lord of the Rings\"]",
            "$.store.book[?(@.category == 'reference')].author => [\"Nigel Rees\"]",
            "$.store.book[?(@.category != \"fiction\")].author => [\"Nigel Rees\"]",
            "$.store.book[?(@.isbn && @.price > 10)].title => [\"The Lord of the Rings\"]",
            "$.store.book[?(@.price < 9 || @.price > 20)].price => [8.95, 8.99, 22.99]",
            "$.store.book[?(!@.isbn)].title => [\"Sayings of the Century\", \"Sword of Honour\"]",
            "$.store.book[?(!(@.price > 9))].price => [8.95, 8.99]",
            "$.store.book[?(@.author =~ /.*Rees/)].price => [8.95]",
            "$.store.book[?(@.author =~ /.*rees/i)].price => [8.95]",
            "$.store.book[?(@.missing == 1)].price => []",
    })
    void filters_selectMatchingItems(String path, String expected) {
        assertThat(eval(path)).isEqualTo(Json.of(expected));
    }

    @Test
    void filters_compareBooleansNullsAndNumbersByValue() {
        JsonNode items = Json.of("""
                {"items": [{"id": 1, "ok": true, "v": null}, {"id": 2, "ok": false, "v": 1.0}, {"id": 3, "v": "x"}]}""");

        assertThat(JsonPathExpression.parse("$.items[?(@.ok == true)].id").evaluate(items, null))
                .isEqualTo(Json.of("[1]"));
        assertThat(JsonPathExpression.parse("$.items[?(@.v == null)].id").evaluate(items, null))
                .isEqualTo(Json.of("[1]"));
        assertThat(JsonPathExpression.parse("$.items[?(@.v == 1)].id").evaluate(items, null))
                .isEqualTo(Json.of("[2]"));
        assertThat(JsonPathExpression.parse("$.items[?(@.v > 'a')].id").evaluate(items, null))
                .isEqualTo(Json.of("[3]"));
        assertThat(JsonPathExpression.parse("$.items[?(@.id >= -1e1)].id").evaluate(items, null))
                .isEqualTo(Json.of("[1, 2, 3]"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "$.items[?(@.tag in ['a', 'c'])].id => [1, 3]",
            "$.items[?(@.tag nin ['a', 'c'])].id => [2]",
            "$.items[?(@.tags subsetof ['x', 'y', 'z'])].id => [1, 2, 3]",
            "$.items[?(@.tags anyof ['z'])].id => [2]",
            "$.items[?(@.tags noneof ['x'])].id => [2, 3]",
            "$.items[?(@.tags size 2)].id => [1]",
            "$.items[?(@.tags empty true)].id => [3]",
            "$.nums[?(@ > 2)] => [3, 4]",
            "$.nums[?(@ in [1, 4])] => [1, 4]",
            "$..* => [[1, 2, 3, 4], 1, 2, 3, 4]",
    })
    void jaywayNamedOperatorsAndCurrentNodeFilters(String path, String expected) {
        JsonNode doc = path.startsWith("$.items") ? Json.of("""
                {"items": [{"id": 1, "tag": "a", "tags": ["x", "y"]}, {"id": 2, "tag": "b", "tags": ["z"]},
                           {"id": 3, "tag": "c", "tags": []}]}""") : Json.of("{\"nums\": [1, 2, 3, 4]}");

        assertThat(JsonPathExpression.parse(path).evaluate(doc, null)).isEqualTo(Json.of(expected));
    }

    @Test
    void length_countsArrayObjectAndStringSizes() {
        assertThat(eval("$.store.book.length()").intValue()).isEqualTo(4);
        assertThat(eval("$.store.bicycle.color.length()").intValue()).isEqualTo(3);
        assertThat(JsonPathExpression.parse("$.store.book.length()").isDefinite()).isTrue();
    }

    @Test
    void indefinitePath_withNoMatchReturnsAnEmptyArray() {
        assertThat(eval("$.store.book[?(@.price > 100)]")).isEqualTo(Json.of("[]"));
        assertThat(eval("$.nothing[*]")).isEqualTo(Json.of("[]"));
    }

    @Test
    void namesMayContainDashesAndDigits() {
        JsonNode doc = Json.of("{\"my-key\": {\"2nd\": 5}}");
        assertThat(JsonPathExpression.parse("$.my-key.2nd").evaluate(doc, null).intValue()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "store", "$.", "$.a[", "$[?(@.a <)]", "$[?(@.a == 1]", "$[1:2:0]", "$.a[x]",
            "$['a", "$.a]", "$[?(@.a =~ 'x')]", "$.length().x", "$[?(@.a =~ /[/)]"})
    void parse_rejectsInvalidPaths(String text) {
        assertThatThrownBy(() -> JsonPathExpression.parse(text))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("invalid JSONPath '" + text + "'");
    }

    @Test
    void evaluate_neverReparses() {
        JsonPathExpression path = JsonPathExpression.parse("$.store.book[?(@.price < $.expensive)].title");
        long before = PathParser.PARSES.get();

        for (int i = 0; i < 100; i++) {
            path.evaluate(STORE, CONTEXT);
        }

        assertThat(PathParser.PARSES.get()).isEqualTo(before);
    }
}
