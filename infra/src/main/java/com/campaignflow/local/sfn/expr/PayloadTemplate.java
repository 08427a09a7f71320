package com.campaignflow.local.sfn.expr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A compiled Parameters / ItemSelector / ResultSelector / Arguments payload template. "For
 * key-value pairs where the value is selected using a path, the key name must end in {@code .$}";
 * the value is a JSONPath ({@code $...} on the input, {@code $$...} on the context object) or an
 * intrinsic function. Everything is parsed in {@link #compile}; {@link #render} only walks the
 * precompiled tree. The output may share nodes with the input: treat it as read-only.
 */
public final class PayloadTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SUFFIX = ".$";

    private sealed interface Node {
        record Static(JsonNode value) implements Node {}
        record Path(String field, JsonPathExpression path) implements Node {}
        record Intrinsic(String field, IntrinsicFunction function) implements Node {}
        record Obj(List<String> keys, List<Node> values) implements Node {}
        record Arr(List<Node> items) implements Node {}
    }

    private final Node root;

    private PayloadTemplate(Node root) {
        this.root = root;
    }

    /** @throws InvalidExpressionException naming the field whose path or intrinsic is invalid */
    public static PayloadTemplate compile(JsonNode template) {
        if (template == null) {
            throw new InvalidExpressionException("payload template must not be null");
        }
        return new PayloadTemplate(compile(template, "$"));
    }

    private static Node compile(JsonNode t, String where) {
        if (t.isObject()) {
            List<String> keys = new ArrayList<>();
            List<Node> values = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            boolean dynamic = false;
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                String key = e.getKey();
                String fieldWhere = where + "." + key;
                Node value;
                String outKey;
                if (key.endsWith(SUFFIX) && key.length() > SUFFIX.length()) {
                    outKey = key.substring(0, key.length() - SUFFIX.length());
                    value = dynamicValue(key, e.getValue(), fieldWhere);
                    dynamic = true;
                } else {
                    outKey = key;
                    value = compile(e.getValue(), fieldWhere);
                    dynamic |= !(value instanceof Node.Static);
                }
                if (!seen.add(outKey)) {
                    throw new InvalidExpressionException("payload template field '" + fieldWhere
                            + "' produces the key '" + outKey + "' more than once");
                }
                keys.add(outKey);
                values.add(value);
            }
            return dynamic ? new Node.Obj(List.copyOf(keys), List.copyOf(values)) : new Node.Static(t);
        }
        if (t.isArray()) {
            List<Node> items = new ArrayList<>();
            boolean dynamic = false;
            int i = 0;
            for (JsonNode item : t) {
                Node n = compile(item, where + "[" + i++ + "]");
                dynamic |= !(n instanceof Node.Static);
                items.add(n);
            }
            return dynamic ? new Node.Arr(List.copyOf(items)) : new Node.Static(t);
        }
        return new Node.Static(t);
    }

    private static Node dynamicValue(String key, JsonNode value, String where) {
        if (!value.isTextual()) {
            throw new InvalidExpressionException("payload template field '" + where + "': the value of a key ending in"
                    + " '.$' must be a string holding a JSONPath or an intrinsic function, got "
                    + JsonValues.typeName(value) + " " + JsonValues.abbreviate(value));
        }
        String text = value.textValue();
        try {
            if (text.startsWith("$")) {
                return new Node.Path(key, JsonPathExpression.parse(text));
            }
            if (IntrinsicFunction.looksLikeIntrinsic(text)) {
                return new Node.Intrinsic(key, IntrinsicFunction.parse(text.strip()));
            }
        } catch (InvalidExpressionException e) {
            throw new InvalidExpressionException("payload template field '" + where + "': " + e.getMessage());
        }
        throw new InvalidExpressionException("payload template field '" + where + "': '" + text
                + "' is neither a JSONPath (starting with $) nor an intrinsic function (States.*)");
    }

    /**
     * Builds the payload for one state input.
     *
     * @throws ExpressionFailure {@code States.ParameterPathFailure} when a path selects nothing,
     *     {@code States.IntrinsicFailure} / {@code States.Runtime} from intrinsic functions
     */
    public JsonNode render(JsonNode input, JsonNode context) {
        return render(root, input, context);
    }

    private static JsonNode render(Node node, JsonNode input, JsonNode context) {
        return switch (node) {
            // a static container is copied so callers may modify the payload without touching the template
            case Node.Static s -> s.value().isContainerNode() ? s.value().deepCopy() : s.value();
            case Node.Path p -> {
                try {
                    yield p.path().evaluate(input, context);
                } catch (PathNotFoundException e) {
                    boolean ctx = p.path().isContextPath();
                    throw new ExpressionFailure(ExpressionFailure.PARAMETER_PATH_FAILURE, "The JSONPath '"
                            + p.path().text() + "' specified for the field '" + p.field() + "' could not be found in the "
                            + (ctx ? "context object" : "input") + " '" + JsonValues.abbreviate(ctx ? context : input) + "'");
                }
            }
            case Node.Intrinsic f -> f.function().evaluate(input, context);
            case Node.Obj o -> {
                ObjectNode out = NODES.objectNode();
                for (int i = 0; i < o.keys().size(); i++) {
                    out.set(o.keys().get(i), render(o.values().get(i), input, context));
                }
                yield out;
            }
            case Node.Arr a -> {
                ArrayNode out = NODES.arrayNode(a.items().size());
                for (Node item : a.items()) {
                    out.add(render(item, input, context));
                }
                yield out;
            }
        };
    }
}
