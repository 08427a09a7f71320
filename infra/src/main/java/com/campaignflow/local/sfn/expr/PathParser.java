package com.campaignflow.local.sfn.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Hand-written parser for the Jayway-style JSONPath dialect Step Functions accepts. Produces an
 * immutable list of {@link Segment}s once, at definition time; evaluation never re-parses.
 */
final class PathParser {

    /** Root of a path: {@code $} (state input), {@code $$} (context object) or {@code @} (filter item). */
    enum Root { INPUT, CONTEXT, CURRENT }

    record Parsed(Root root, List<Segment> segments) {
        boolean definite() {
            for (Segment s : segments) {
                if (!(s instanceof Segment.Name || s instanceof Segment.Index || s instanceof Segment.Length)) {
                    return false;
                }
            }
            return true;
        }
    }

    sealed interface Segment {
        record Name(String name) implements Segment {}
        record Index(int index) implements Segment {}
        record Wildcard() implements Segment {}
        /** Python-style slice; null bounds mean "from the start"/"to the end". */
        record Slice(Integer start, Integer end, int step) implements Segment {}
        record Names(List<String> names) implements Segment {}
        record Indexes(List<Integer> indexes) implements Segment {}
        record Filter(FilterExpr expr) implements Segment {}
        /** {@code ..selector}: the selector applied to a node and all its descendants. */
        record Descent(Segment selector) implements Segment {}
        /** {@code .length()} on an array, object or string. */
        record Length() implements Segment {}
    }

    sealed interface FilterExpr {
        record Or(FilterExpr left, FilterExpr right) implements FilterExpr {}
        record And(FilterExpr left, FilterExpr right) implements FilterExpr {}
        record Not(FilterExpr inner) implements FilterExpr {}
        record Exists(Parsed path) implements FilterExpr {}
        record Compare(Operand left, String op, Operand right) implements FilterExpr {}
    }

    sealed interface Operand {
        record Literal(JsonNode value) implements Operand {}
        record PathOperand(Parsed path) implements Operand {}
        record Regex(Pattern pattern) implements Operand {}
    }

    /** Number of path and intrinsic parses so far; lets tests prove evaluation never re-parses. */
    static final AtomicLong PARSES = new AtomicLong();

    /** Jayway's named filter operators. */
    static final List<String> WORD_OPERATORS = List.of("nin", "in", "subsetof", "anyof", "noneof", "size", "empty");

    private final String text;
    private int pos;

    private PathParser(String text) {
        this.text = text;
    }

    static Parsed parse(String text) {
        if (text == null) {
            throw new InvalidExpressionException("invalid JSONPath: null");
        }
        PARSES.incrementAndGet();
        PathParser p = new PathParser(text);
        Parsed parsed = p.path(false);
        if (p.pos < text.length()) {
            throw p.error("unexpected character '" + text.charAt(p.pos) + "'");
        }
        return parsed;
    }

    private InvalidExpressionException error(String what) {
        return new InvalidExpressionException("invalid JSONPath '" + text + "': " + what + " at " + pos);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private boolean lookingAt(String s) {
        return text.startsWith(s, pos);
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private Parsed path(boolean inFilter) {
        Root root;
        if (lookingAt("$$")) {
            root = Root.CONTEXT;
            pos += 2;
        } else if (lookingAt("$")) {
            root = Root.INPUT;
            pos++;
        } else if (inFilter && lookingAt("@")) {
            root = Root.CURRENT;
            pos++;
        } else {
            throw error("a path must start with '$'" + (inFilter ? " or '@'" : ""));
        }
        List<Segment> segments = new ArrayList<>();
        while (!atEnd()) {
            char c = peek();
            if (c == '.') {
                if (!segments.isEmpty() && segments.get(segments.size() - 1) instanceof Segment.Length) {
                    throw error("length() must be the last segment");
                }
                if (lookingAt("..")) {
                    pos += 2;
                    Segment selector;
                    if (!atEnd() && peek() == '[') {
                        selector = bracket();
                    } else if (!atEnd() && peek() == '*') {
                        pos++;
                        selector = new Segment.Wildcard();
                    } else {
                        selector = new Segment.Name(name(inFilter));
                    }
                    segments.add(new Segment.Descent(selector));
                } else {
                    pos++;
                    if (!atEnd() && peek() == '*') {
                        pos++;
                        segments.add(new Segment.Wildcard());
                    } else if (!atEnd() && peek() == '[') {
                        // $.abc.['def ghi']: the form the ASL docs give for names with reserved characters
                        segments.add(bracket());
                    } else {
                        String name = name(inFilter);
                        if (name.equals("length") && lookingAt("()")) {
                            pos += 2;
                            segments.add(new Segment.Length());
                        } else {
                            segments.add(new Segment.Name(name));
                        }
                    }
                }
            } else if (c == '[') {
                segments.add(bracket());
            } else if (inFilter) {
                break;
            } else {
                throw error("unexpected character '" + c + "'");
            }
        }
        return new Parsed(root, List.copyOf(segments));
    }

    private String name(boolean inFilter) {
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if (c == '.' || c == '[' || c == ']' || c == '(' || c == ')') {
                break;
            }
            if (inFilter && (Character.isWhitespace(c) || "=!<>&|,".indexOf(c) >= 0)) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("empty property name");
        }
        return text.substring(start, pos);
    }

    private Segment bracket() {
        int open = pos;
        pos++; // '['
        skipSpaces();
        if (atEnd()) {
            throw error("unclosed bracket opened at " + open);
        }
        char c = peek();
        Segment result;
        if (c == '*') {
            pos++;
            result = new Segment.Wildcard();
        } else if (c == '?') {
            pos++;
            skipSpaces();
            if (atEnd() || peek() != '(') {
                throw error("expected '(' after '?'");
            }
            pos++;
            FilterExpr expr = orExpr();
            skipSpaces();
            if (atEnd() || peek() != ')') {
                throw error("expected ')' to close the filter");
            }
            pos++;
            result = new Segment.Filter(expr);
        } else if (c == '\'' || c == '"') {
            List<String> names = new ArrayList<>();
            names.add(quoted());
            skipSpaces();
            while (!atEnd() && peek() == ',') {
                pos++;
                skipSpaces();
                if (atEnd() || (peek() != '\'' && peek() != '"')) {
                    throw error("expected a quoted name");
                }
                names.add(quoted());
                skipSpaces();
            }
            result = names.size() == 1 ? new Segment.Name(names.get(0)) : new Segment.Names(List.copyOf(names));
        } else if (c == '-' || c == ':' || Character.isDigit(c)) {
            result = indexOrSlice();
        } else {
            throw error("unexpected character '" + c + "' in brackets");
        }
        skipSpaces();
        if (atEnd()) {
            throw error("unclosed bracket opened at " + open);
        }
        if (peek() != ']') {
            throw error("expected ']' but found '" + peek() + "'");
        }
        pos++;
        return result;
    }

    private Segment indexOrSlice() {
        Integer first = optionalInt();
        skipSpaces();
        if (!atEnd() && peek() == ':') {
            pos++;
            skipSpaces();
            Integer end = optionalInt();
            skipSpaces();
            int step = 1;
            if (!atEnd() && peek() == ':') {
                pos++;
                skipSpaces();
                Integer s = optionalInt();
                if (s != null) {
                    if (s == 0) {
                        throw error("slice step must not be 0");
                    }
                    step = s;
                }
            }
            return new Segment.Slice(first, end, step);
        }
        if (first == null) {
            throw error("expected an index");
        }
        List<Integer> indexes = new ArrayList<>();
        indexes.add(first);
        while (!atEnd() && peek() == ',') {
            pos++;
            skipSpaces();
            Integer next = optionalInt();
            if (next == null) {
                throw error("expected an index");
            }
            indexes.add(next);
            skipSpaces();
        }
        return indexes.size() == 1 ? new Segment.Index(first) : new Segment.Indexes(List.copyOf(indexes));
    }

    private Integer optionalInt() {
        int start = pos;
        if (!atEnd() && peek() == '-') {
            pos++;
        }
        while (!atEnd() && Character.isDigit(peek())) {
            pos++;
        }
        String digits = text.substring(start, pos);
        if (digits.isEmpty()) {
            return null;
        }
        if (digits.equals("-")) {
            throw error("expected digits after '-'");
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw error("index out of range '" + digits + "'");
        }
    }

    private String quoted() {
        char quote = peek();
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (!atEnd()) {
            char c = peek();
            if (c == '\\' && pos + 1 < text.length()) {
                sb.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                pos++;
                return sb.toString();
            } else {
                sb.append(c);
                pos++;
            }
        }
        pos = start;
        throw error("unterminated string");
    }

    // ---- filter expressions ----

    private FilterExpr orExpr() {
        FilterExpr left = andExpr();
        while (true) {
            skipSpaces();
            if (lookingAt("||")) {
                pos += 2;
                left = new FilterExpr.Or(left, andExpr());
            } else {
                return left;
            }
        }
    }

    private FilterExpr andExpr() {
        FilterExpr left = unaryExpr();
        while (true) {
            skipSpaces();
            if (lookingAt("&&")) {
                pos += 2;
                left = new FilterExpr.And(left, unaryExpr());
            } else {
                return left;
            }
        }
    }

    private FilterExpr unaryExpr() {
        skipSpaces();
        if (atEnd()) {
            throw error("unexpected end of filter");
        }
        if (peek() == '!' && !lookingAt("!=")) {
            pos++;
            return new FilterExpr.Not(unaryExpr());
        }
        if (peek() == '(') {
            pos++;
            FilterExpr inner = orExpr();
            skipSpaces();
            if (atEnd() || peek() != ')') {
                throw error("expected ')'");
            }
            pos++;
            return inner;
        }
        Operand left = operand();
        skipSpaces();
        String op = null;
        for (String candidate : new String[] {"==", "!=", "<=", ">=", "=~", "<", ">"}) {
            if (lookingAt(candidate)) {
                op = candidate;
                break;
            }
        }
        if (op == null) {
            for (String word : WORD_OPERATORS) {
                int end = pos + word.length();
                if (lookingAt(word) && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                    op = word;
                    break;
                }
            }
        }
        if (op == null) {
            if (left instanceof Operand.PathOperand p) {
                return new FilterExpr.Exists(p.path());
            }
            throw error("expected a comparison operator");
        }
        pos += op.length();
        skipSpaces();
        Operand right = op.equals("=~") ? regex() : operand();
        return new FilterExpr.Compare(left, op, right);
    }

    private Operand regex() {
        if (atEnd() || peek() != '/') {
            throw error("expected a /regex/ after =~");
        }
        int start = ++pos;
        while (!atEnd() && peek() != '/') {
            if (peek() == '\\') {
                pos++;
            }
            pos++;
        }
        if (atEnd()) {
            throw error("unterminated regex");
        }
        String body = text.substring(start, pos);
        pos++;
        int flags = 0;
        while (!atEnd() && Character.isLetter(peek())) {
            if (peek() == 'i') {
                flags |= Pattern.CASE_INSENSITIVE;
            } else {
                throw error("unsupported regex flag '" + peek() + "'");
            }
            pos++;
        }
        try {
            return new Operand.Regex(Pattern.compile(body, flags));
        } catch (PatternSyntaxException e) {
            throw error("invalid regex '" + body + "'");
        }
    }

    private Operand operand() {
        skipSpaces();
        if (atEnd()) {
            throw error("expected an operand");
        }
        char c = peek();
        if (c == '@' || c == '$') {
            return new Operand.PathOperand(path(true));
        }
        if (c == '[') {
            pos++;
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            skipSpaces();
            while (!atEnd() && peek() != ']') {
                Operand item = operand();
                if (!(item instanceof Operand.Literal lit)) {
                    throw error("a filter list may only hold literals");
                }
                list.add(lit.value());
                skipSpaces();
                if (!atEnd() && peek() == ',') {
                    pos++;
                    skipSpaces();
                } else if (atEnd() || peek() != ']') {
                    throw error("expected ',' or ']' in a filter list");
                }
            }
            if (atEnd()) {
                throw error("unclosed filter list");
            }
            pos++;
            return new Operand.Literal(list);
        }
        if (c == '\'' || c == '"') {
            return new Operand.Literal(TextNode.valueOf(quoted()));
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos;
            pos++;
            while (!atEnd() && (Character.isDigit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E'
                    || ((peek() == '-' || peek() == '+') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
                pos++;
            }
            try {
                return new Operand.Literal(DecimalNode.valueOf(new BigDecimal(text.substring(start, pos))));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("invalid number");
            }
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (lookingAt(word)) {
                pos += word.length();
                return new Operand.Literal(switch (word) {
                    case "true" -> BooleanNode.TRUE;
                    case "false" -> BooleanNode.FALSE;
                    default -> NullNode.instance;
                });
            }
        }
        throw error("unexpected character '" + c + "' in filter");
    }
}
