package com.campaignflow.local.sfn.expr;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import com.campaignflow.local.sfn.expr.PathParser.FilterExpr;
import com.campaignflow.local.sfn.expr.PathParser.Operand;
import com.campaignflow.local.sfn.expr.PathParser.Parsed;
import com.campaignflow.local.sfn.expr.PathParser.Root;
import com.campaignflow.local.sfn.expr.PathParser.Segment;

/**
 * A full JSONPath as Step Functions accepts it (Jayway dialect): {@code $} / {@code $$} roots,
 * names, indexes, slices, wildcards, recursive descent, unions, filters and {@code length()}.
 * Parsed once; {@link #evaluate} only walks the document. Results share nodes with the input:
 * treat them as read-only.
 */
public final class JsonPathExpression {
    private final String text;
    private final Parsed parsed;
    private final boolean definite;

    private JsonPathExpression(String text, Parsed parsed) {
        this.text = text;
        this.parsed = parsed;
        this.definite = parsed.definite();
    }

    /** @throws InvalidExpressionException if the text is not a valid JSONPath */
    public static JsonPathExpression parse(String text) {
        return new JsonPathExpression(text, PathParser.parse(text));
    }

    /** True if the path selects at most one node (names and indexes only). */
    public boolean isDefinite() {
        return definite;
    }

    /** True if the path starts at the context object ({@code $$}). */
    public boolean isContextPath() {
        return parsed.root() == Root.CONTEXT;
    }

    public String text() {
        return text;
    }

    /**
     * A definite path returns the selected node; an indefinite path returns an array of all matches
     * (possibly empty).
     *
     * @throws PathNotFoundException if a definite path selects nothing
     */
    public JsonNode evaluate(JsonNode input, JsonNode context) {
        JsonNode root = parsed.root() == Root.CONTEXT ? context : input;
        if (definite) {
            JsonNode found = evalDefinite(parsed.segments(), root);
            if (found == null) {
                throw new PathNotFoundException("The JSONPath '" + text + "' could not be found in the "
                        + (isContextPath() ? "context object" : "input") + " '" + JsonValues.abbreviate(root) + "'");
            }
            return found;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode n : select(parsed.segments(), root, input, context)) {
            out.add(n);
        }
        return out;
    }

    /** The single node a definite segment list selects, or null. */
    static JsonNode evalDefinite(List<Segment> segments, JsonNode node) {
        for (Segment s : segments) {
            if (node == null) {
                return null;
            }
            node = switch (s) {
                case Segment.Name n -> node.isObject() ? node.get(n.name()) : null;
                case Segment.Index i -> node.isArray() ? node.get(i.index() < 0 ? node.size() + i.index() : i.index()) : null;
                case Segment.Length l -> length(node);
                default -> throw new IllegalStateException("not a definite segment: " + s);
            };
        }
        return node;
    }

    private static JsonNode length(JsonNode node) {
        if (node.isArray() || node.isObject()) {
            return IntNode.valueOf(node.size());
        }
        if (node.isTextual()) {
            return IntNode.valueOf(node.textValue().length());
        }
        return null;
    }

    static List<JsonNode> select(List<Segment> segments, JsonNode start, JsonNode input, JsonNode context) {
        List<JsonNode> current = new ArrayList<>(1);
        if (start != null) {
            current.add(start);
        }
        for (Segment s : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                apply(s, n, next, input, context);
            }
            current = next;
            if (current.isEmpty()) {
                break;
            }
        }
        return current;
    }

    private static void apply(Segment s, JsonNode node, List<JsonNode> out, JsonNode input, JsonNode context) {
        switch (s) {
            case Segment.Name n -> {
                JsonNode v = node.isObject() ? node.get(n.name()) : null;
                if (v != null) {
                    out.add(v);
                }
            }
            case Segment.Index i -> addIndex(node, i.index(), out);
            case Segment.Wildcard w -> {
                if (node.isArray() || node.isObject()) {
                    node.elements().forEachRemaining(out::add);
                }
            }
            case Segment.Slice sl -> {
                if (node.isArray()) {
                    slice(node, sl, out);
                }
            }
            case Segment.Names ns -> {
                if (node.isObject()) {
                    for (String name : ns.names()) {
                        JsonNode v = node.get(name);
                        if (v != null) {
                            out.add(v);
                        }
                    }
                }
            }
            case Segment.Indexes is -> {
                for (int i : is.indexes()) {
                    addIndex(node, i, out);
                }
            }
            case Segment.Filter f -> {
                if (node.isArray()) {
                    for (JsonNode item : node) {
                        if (test(f.expr(), item, input, context)) {
                            out.add(item);
                        }
                    }
                } else if (node.isObject() && test(f.expr(), node, input, context)) {
                    out.add(node);
                }
            }
            case Segment.Descent d -> {
                List<JsonNode> all = new ArrayList<>();
                descendants(node, all);
                for (JsonNode n : all) {
                    // a descent filter looks at the items of every array, not at objects themselves
                    if (d.selector() instanceof Segment.Filter && !n.isArray()) {
                        continue;
                    }
                    apply(d.selector(), n, out, input, context);
                }
            }
            case Segment.Length l -> {
                JsonNode len = length(node);
                if (len != null) {
                    out.add(len);
                }
            }
        }
    }

    private static void addIndex(JsonNode node, int index, List<JsonNode> out) {
        if (node.isArray()) {
            JsonNode v = node.get(index < 0 ? node.size() + index : index);
            if (v != null) {
                out.add(v);
            }
        }
    }

    private static void slice(JsonNode array, Segment.Slice sl, List<JsonNode> out) {
        int size = array.size();
        int step = sl.step();
        if (step > 0) {
            int start = clamp(sl.start() == null ? 0 : sl.start(), size, 0, size);
            int end = clamp(sl.end() == null ? size : sl.end(), size, 0, size);
            for (int i = start; i < end; i += step) {
                out.add(array.get(i));
            }
        } else {
            int start = clamp(sl.start() == null ? size - 1 : sl.start(), size, -1, size - 1);
            int end = sl.end() == null ? -1 : clamp(sl.end(), size, -1, size - 1);
            for (int i = start; i > end; i += step) {
                out.add(array.get(i));
            }
        }
    }

    private static int clamp(int bound, int size, int lo, int hi) {
        int b = bound < 0 ? bound + size : bound;
        return Math.max(lo, Math.min(hi, b));
    }

    private static void descendants(JsonNode node, List<JsonNode> out) {
        out.add(node);
        if (node.isContainerNode()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                descendants(it.next(), out);
            }
        }
    }

    // ---- filters ----

    private static boolean test(FilterExpr e, JsonNode item, JsonNode input, JsonNode context) {
        return switch (e) {
            case FilterExpr.Or o -> test(o.left(), item, input, context) || test(o.right(), item, input, context);
            case FilterExpr.And a -> test(a.left(), item, input, context) && test(a.right(), item, input, context);
            case FilterExpr.Not n -> !test(n.inner(), item, input, context);
            case FilterExpr.Exists x -> !resolve(x.path(), item, input, context).isMissingNode();
            case FilterExpr.Compare c -> compare(c, item, input, context);
        };
    }

    private static JsonNode resolve(Parsed path, JsonNode item, JsonNode input, JsonNode context) {
        JsonNode start = switch (path.root()) {
            case CURRENT -> item;
            case INPUT -> input;
            case CONTEXT -> context;
        };
        if (path.definite()) {
            JsonNode v = evalDefinite(path.segments(), start);
            return v == null ? MissingNode.getInstance() : v;
        }
        List<JsonNode> matches = select(path.segments(), start, input, context);
        if (matches.isEmpty()) {
            return MissingNode.getInstance();
        }
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        matches.forEach(arr::add);
        return arr;
    }

    private static JsonNode value(Operand o, JsonNode item, JsonNode input, JsonNode context) {
        return switch (o) {
            case Operand.Literal l -> l.value();
            case Operand.PathOperand p -> resolve(p.path(), item, input, context);
            case Operand.Regex r -> throw new IllegalStateException("regex is only valid after =~");
        };
    }

    private static boolean compare(FilterExpr.Compare c, JsonNode item, JsonNode input, JsonNode context) {
        JsonNode left = value(c.left(), item, input, context);
        if (c.op().equals("=~")) {
            return left.isTextual() && ((Operand.Regex) c.right()).pattern().matcher(left.textValue()).matches();
        }
        JsonNode right = value(c.right(), item, input, context);
        if (left.isMissingNode() || right.isMissingNode()) {
            return false;
        }
        switch (c.op()) {
            case "==":
                return JsonValues.jsonEquals(left, right);
            case "!=":
                return !JsonValues.jsonEquals(left, right);
            case "in":
                return right.isArray() && contains(right, left);
            case "nin":
                return right.isArray() && !contains(right, left);
            case "subsetof":
                return left.isArray() && right.isArray() && countIn(left, right) == left.size();
            case "anyof":
                return left.isArray() && right.isArray() && countIn(left, right) > 0;
            case "noneof":
                return left.isArray() && right.isArray() && countIn(left, right) == 0;
            case "size": {
                JsonNode size = length(left);
                return size != null && right.isNumber() && JsonValues.jsonEquals(size, right);
            }
            case "empty": {
                JsonNode size = length(left);
                return size != null && right.isBoolean() && (size.intValue() == 0) == right.booleanValue();
            }
            default:
                break;
        }
        int cmp;
        if (left.isNumber() && right.isNumber()) {
            cmp = JsonValues.decimal(left).compareTo(JsonValues.decimal(right));
        } else if (left.isTextual() && right.isTextual()) {
            cmp = left.textValue().compareTo(right.textValue());
        } else {
            return false;
        }
        return switch (c.op()) {
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            default -> throw new IllegalStateException("unknown operator " + c.op());
        };
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode item : array) {
            if (JsonValues.jsonEquals(item, value)) {
                return true;
            }
        }
        return false;
    }

    private static int countIn(JsonNode values, JsonNode array) {
        int n = 0;
        for (JsonNode v : values) {
            if (contains(array, v)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }
}
