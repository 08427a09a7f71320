package com.campaignflow.local.sfn.expr;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.campaignflow.local.sfn.expr.PathParser.Parsed;
import com.campaignflow.local.sfn.expr.PathParser.Root;
import com.campaignflow.local.sfn.expr.PathParser.Segment;

/**
 * A Reference Path (ASL): {@code $} or {@code $$} followed by {@code .name}, {@code ['name']} and
 * {@code [index]} only — "a path whose syntax is limited in such a way that it can identify only a
 * single node". Used for InputPath/OutputPath/ResultPath, Choice Variables and the like.
 */
public final class ReferencePath {
    private final String text;
    private final boolean context;
    private final List<Segment> segments;

    private ReferencePath(String text, boolean context, List<Segment> segments) {
        this.text = text;
        this.context = context;
        this.segments = segments;
    }

    /** @throws InvalidExpressionException if the text is not a valid Reference Path */
    public static ReferencePath parse(String text) {
        Parsed parsed = PathParser.parse(text);
        for (Segment s : parsed.segments()) {
            String problem = switch (s) {
                case Segment.Name n -> null;
                case Segment.Index i -> i.index() < 0 ? "negative index " + i.index() : null;
                case Segment.Wildcard w -> "wildcards";
                case Segment.Slice sl -> "slices";
                case Segment.Names ns -> "unions";
                case Segment.Indexes is -> "unions";
                case Segment.Filter f -> "filters";
                case Segment.Descent d -> "recursive descent '..'";
                case Segment.Length l -> "length()";
            };
            if (problem != null) {
                throw new InvalidExpressionException("invalid Reference Path '" + text + "': " + problem
                        + " not allowed; a Reference Path may only use names and indexes");
            }
        }
        return new ReferencePath(text, parsed.root() == Root.CONTEXT, parsed.segments());
    }

    /** True if the path starts at the context object ({@code $$}). */
    public boolean isContextPath() {
        return context;
    }

    /** True for the bare {@code $} (or {@code $$}). */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    public String text() {
        return text;
    }

    /**
     * The node this path selects in {@code doc} (the caller passes the context object for a
     * {@code $$} path).
     *
     * @throws PathNotFoundException if nothing is there
     */
    public JsonNode read(JsonNode doc) {
        JsonNode found = JsonPathExpression.evalDefinite(segments, doc);
        if (found == null) {
            throw new PathNotFoundException("The path '" + text + "' could not be found in '"
                    + JsonValues.abbreviate(doc) + "'");
        }
        return found;
    }

    /** Reads from {@code context} for a {@code $$} path, else from {@code input}. */
    public JsonNode read(JsonNode input, JsonNode context) {
        return read(this.context ? context : input);
    }

    /** The selected node, or null when absent (no exception; for IsPresent-style checks). */
    public JsonNode find(JsonNode input, JsonNode context) {
        return JsonPathExpression.evalDefinite(segments, this.context ? context : input);
    }

    /**
     * ResultPath semantics: returns {@code doc} with {@code value} placed at this path. {@code $}
     * replaces the whole document; missing intermediate objects are created. {@code doc} is not
     * modified: only the objects along the path are copied (shallowly), the rest is shared.
     *
     * @throws PathWriteException if the path runs into a value that is not an object (or an array,
     *     for an index segment) or an index outside the array
     */
    public JsonNode write(JsonNode doc, JsonNode value) {
        return write(doc, 0, value);
    }

    private JsonNode write(JsonNode node, int depth, JsonNode value) {
        if (depth == segments.size()) {
            return value;
        }
        Segment s = segments.get(depth);
        if (s instanceof Segment.Name n) {
            ObjectNode copy;
            if (node == null) {
                copy = JsonNodeFactory.instance.objectNode();
            } else if (node.isObject()) {
                copy = JsonNodeFactory.instance.objectNode();
                copy.setAll((ObjectNode) node);
            } else {
                throw notWritable(depth, node);
            }
            copy.set(n.name(), write(copy.get(n.name()), depth + 1, value));
            return copy;
        }
        int index = ((Segment.Index) s).index();
        if (node == null || !node.isArray()) {
            throw notWritable(depth, node);
        }
        if (index >= node.size()) {
            throw new PathWriteException("cannot write '" + text + "': index " + index
                    + " is outside the array of size " + node.size() + " at '" + prefix(depth) + "'");
        }
        ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
        copy.addAll((ArrayNode) node);
        copy.set(index, write(node.get(index), depth + 1, value));
        return copy;
    }

    private PathWriteException notWritable(int depth, JsonNode node) {
        String at = prefix(depth);
        String want = segments.get(depth) instanceof Segment.Name ? "an object" : "an array";
        return new PathWriteException("cannot write '" + text + "': the value at '" + at
                + "' is " + (node == null ? "missing" : JsonValues.typeName(node) + " " + JsonValues.abbreviate(node))
                + ", not " + want);
    }

    private String prefix(int depth) {
        StringBuilder sb = new StringBuilder(context ? "$$" : "$");
        for (int i = 0; i < depth; i++) {
            switch (segments.get(i)) {
                case Segment.Name n -> sb.append("['").append(n.name()).append("']");
                case Segment.Index ix -> sb.append('[').append(ix.index()).append(']');
                default -> throw new IllegalStateException();
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
