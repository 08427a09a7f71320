package com.campaignflow.local.sfn.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * An intrinsic function call such as {@code States.Format('Hello {}', $.name)}, parsed once at
 * definition time into a tree of calls, literals and JSONPath arguments.
 *
 * <p>Definition-time problems (syntax, unknown function, wrong argument count, nesting deeper than
 * 10, a literal {@code States.Format} template whose placeholders do not match its arguments) are
 * {@link InvalidExpressionException}s. At run time a JSONPath argument that selects nothing is a
 * {@code States.Runtime} failure (as on AWS); wrong argument types and exceeded limits are
 * {@code States.IntrinsicFailure}.
 */
public final class IntrinsicFunction {
    /** "You can nest up to 10 intrinsic functions within a field." */
    static final int MAX_NESTING = 10;
    /** Input limit of Base64Encode, Base64Decode and Hash. */
    static final int MAX_STRING_INPUT = 10_000;
    /** ArrayRange may produce at most this many elements. */
    static final int MAX_RANGE_ELEMENTS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Every intrinsic with its name and argument-count bounds. */
    enum Fn {
        FORMAT("States.Format", 1, Integer.MAX_VALUE),
        STRING_TO_JSON("States.StringToJson", 1, 1),
        JSON_TO_STRING("States.JsonToString", 1, 1),
        ARRAY("States.Array", 0, Integer.MAX_VALUE),
        ARRAY_PARTITION("States.ArrayPartition", 2, 2),
        ARRAY_CONTAINS("States.ArrayContains", 2, 2),
        ARRAY_RANGE("States.ArrayRange", 3, 3),
        ARRAY_GET_ITEM("States.ArrayGetItem", 2, 2),
        ARRAY_LENGTH("States.ArrayLength", 1, 1),
        ARRAY_UNIQUE("States.ArrayUnique", 1, 1),
        JSON_MERGE("States.JsonMerge", 3, 3),
        MATH_RANDOM("States.MathRandom", 2, 3),
        MATH_ADD("States.MathAdd", 2, 2),
        STRING_SPLIT("States.StringSplit", 2, 2),
        BASE64_ENCODE("States.Base64Encode", 1, 1),
        BASE64_DECODE("States.Base64Decode", 1, 1),
        HASH("States.Hash", 2, 2),
        UUID("States.UUID", 0, 0);

        final String fullName;
        final int minArgs;
        final int maxArgs;

        Fn(String fullName, int minArgs, int maxArgs) {
            this.fullName = fullName;
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
        }

        static Fn byName(String name) {
            for (Fn f : values()) {
                if (f.fullName.equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    sealed interface Arg {
        /** A literal; for strings {@code raw} keeps the escapes (States.Format needs them). */
        record Literal(JsonNode value, String raw) implements Arg {}
        record PathArg(JsonPathExpression path) implements Arg {}
        /** A string literal with an open escape backslash: the spec makes that a runtime error, not a definition error. */
        record OpenEscape(String problem) implements Arg {}
        /** {@code template} is the precompiled States.Format template when its first arg is a literal. */
        record Call(Fn fn, List<Arg> args, List<String> template) implements Arg {}
    }

    private final String text;
    private final Arg.Call call;

    private IntrinsicFunction(String text, Arg.Call call) {
        this.text = text;
        this.call = call;
    }

    /** True if the text looks like an intrinsic call (starts with {@code States.}). */
    public static boolean looksLikeIntrinsic(String text) {
        return text != null && text.stripLeading().startsWith("States.");
    }

    /** @throws InvalidExpressionException if the text is not a valid intrinsic function call */
    public static IntrinsicFunction parse(String text) {
        if (text == null) {
            throw new InvalidExpressionException("invalid intrinsic function: null");
        }
        PathParser.PARSES.incrementAndGet();
        Parser p = new Parser(text);
        p.skipSpaces();
        Arg.Call call = p.call(1);
        p.skipSpaces();
        if (!p.atEnd()) {
            throw p.error("unexpected text after the closing ')'");
        }
        return new IntrinsicFunction(text, call);
    }

    public String text() {
        return text;
    }

    /**
     * Evaluates the call; JSONPath arguments read {@code input} ({@code $}) or {@code context}
     * ({@code $$}).
     *
     * @throws ExpressionFailure {@code States.Runtime} when a path argument selects nothing,
     *     {@code States.IntrinsicFailure} for bad argument values
     */
    public JsonNode evaluate(JsonNode input, JsonNode context) {
        return eval(call, input, context);
    }

    private JsonNode eval(Arg arg, JsonNode input, JsonNode context) {
        return switch (arg) {
            case Arg.Literal l -> l.value();
            case Arg.PathArg p -> {
                try {
                    yield p.path().evaluate(input, context);
                } catch (PathNotFoundException e) {
                    JsonNode root = p.path().isContextPath() ? context : input;
                    throw new ExpressionFailure(ExpressionFailure.RUNTIME, "The function '" + text
                            + "' had the following error: The JsonPath argument for the field '" + p.path().text()
                            + "' could not be found in the " + (p.path().isContextPath() ? "context object" : "input")
                            + " '" + JsonValues.abbreviate(root) + "'");
                }
            }
            case Arg.OpenEscape o -> throw new ExpressionFailure(ExpressionFailure.RUNTIME,
                    "The function '" + text + "' had the following error: " + o.problem());
            case Arg.Call c -> {
                List<JsonNode> values = new ArrayList<>(c.args().size());
                for (Arg a : c.args()) {
                    values.add(eval(a, input, context));
                }
                yield apply(c, values);
            }
        };
    }

    private ExpressionFailure failure(Fn fn, String detail) {
        return new ExpressionFailure(ExpressionFailure.INTRINSIC_FAILURE,
                "The function '" + text + "' had the following error: " + fn.fullName + ": " + detail);
    }

    private JsonNode apply(Arg.Call c, List<JsonNode> v) {
        Fn fn = c.fn();
        return switch (fn) {
            case FORMAT -> format(c, v);
            case STRING_TO_JSON -> {
                String s = string(fn, v, 0, "string");
                try {
                    if (s.isBlank()) {
                        throw failure(fn, "the argument is an empty string, not JSON");
                    }
                    yield JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    throw failure(fn, "the argument is not valid JSON: " + e.getOriginalMessage());
                }
            }
            case JSON_TO_STRING -> TextNode.valueOf(v.get(0).toString());
            case ARRAY -> {
                ArrayNode out = NODES.arrayNode(v.size());
                v.forEach(out::add);
                yield out;
            }
            case ARRAY_PARTITION -> {
                JsonNode array = array(fn, v, 0);
                long size = rounded(fn, v, 1, "chunk size");
                if (size <= 0) {
                    throw failure(fn, "the chunk size must be a positive integer, got " + size);
                }
                ArrayNode out = NODES.arrayNode();
                ArrayNode chunk = null;
                for (JsonNode item : array) {
                    if (chunk == null || chunk.size() == size) {
                        chunk = out.addArray();
                    }
                    chunk.add(item);
                }
                yield out;
            }
            case ARRAY_CONTAINS -> {
                JsonNode array = array(fn, v, 0);
                for (JsonNode item : array) {
                    if (JsonValues.jsonEquals(item, v.get(1))) {
                        yield BooleanNode.TRUE;
                    }
                }
                yield BooleanNode.FALSE;
            }
            case ARRAY_RANGE -> {
                long start = rounded(fn, v, 0, "start");
                long end = rounded(fn, v, 1, "end");
                long step = rounded(fn, v, 2, "step");
                if (step == 0) {
                    throw failure(fn, "the step must not be 0");
                }
                long count;
                try {
                    count = Math.subtractExact(end, start) / step + 1;
                } catch (ArithmeticException e) {
                    count = Long.MAX_VALUE;
                }
                if (count > MAX_RANGE_ELEMENTS) {
                    throw failure(fn, "the range would have " + count + " elements; at most "
                            + MAX_RANGE_ELEMENTS + " are allowed");
                }
                ArrayNode out = NODES.arrayNode();
                for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
                    out.add(number(i));
                }
                yield out;
            }
            case ARRAY_GET_ITEM -> {
                JsonNode array = array(fn, v, 0);
                long index = integer(fn, v, 1, "index");
                if (index < 0 || index >= array.size()) {
                    throw failure(fn, "index " + index + " is out of bounds for an array of size " + array.size());
                }
                yield array.get((int) index);
            }
            case ARRAY_LENGTH -> IntNode.valueOf(array(fn, v, 0).size());
            case ARRAY_UNIQUE -> {
                ArrayNode out = NODES.arrayNode();
                outer:
                for (JsonNode item : array(fn, v, 0)) {
                    for (JsonNode seen : out) {
                        if (JsonValues.jsonEquals(seen, item)) {
                            continue outer;
                        }
                    }
                    out.add(item);
                }
                yield out;
            }
            case JSON_MERGE -> {
                JsonNode a = v.get(0);
                JsonNode b = v.get(1);
                if (!a.isObject() || !b.isObject()) {
                    throw failure(fn, "both arguments to merge must be JSON objects, got "
                            + JsonValues.typeName(a) + " and " + JsonValues.typeName(b));
                }
                if (!v.get(2).isBoolean()) {
                    throw failure(fn, "the third argument must be a boolean, got " + JsonValues.typeName(v.get(2)));
                }
                if (v.get(2).booleanValue()) {
                    throw failure(fn, "only shallow merging is supported; the deep merge flag must be false");
                }
                ObjectNode out = NODES.objectNode();
                out.setAll((ObjectNode) a);
                out.setAll((ObjectNode) b);
                yield out;
            }
            case MATH_RANDOM -> {
                long start = rounded(fn, v, 0, "start");
                long end = rounded(fn, v, 1, "end");
                if (start >= end) {
                    throw failure(fn, "the start (" + start + ") must be less than the end (" + end + ")");
                }
                // start inclusive, end exclusive; a seed makes the draw repeatable
                long drawn = v.size() == 3
                        ? start + (long) (new Random(integer(fn, v, 2, "seed")).nextDouble() * (end - start))
                        : ThreadLocalRandom.current().nextLong(start, end);
                yield number(drawn);
            }
            case MATH_ADD -> {
                long a = rounded(fn, v, 0, "first value");
                long b = rounded(fn, v, 1, "second value");
                for (long x : new long[] {a, b}) {
                    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                        throw failure(fn, "the value " + x + " is outside the range -2147483648..2147483647");
                    }
                }
                yield number(a + b);
            }
            case STRING_SPLIT -> {
                String s = string(fn, v, 0, "string to split");
                String delimiters = string(fn, v, 1, "delimiter");
                ArrayNode out = NODES.arrayNode();
                int tokenStart = 0;
                // every character of the delimiter separates; empty tokens are dropped
                for (int i = 0; i <= s.length(); i++) {
                    if (i == s.length() || delimiters.indexOf(s.charAt(i)) >= 0) {
                        if (i > tokenStart) {
                            out.add(s.substring(tokenStart, i));
                        }
                        tokenStart = i + 1;
                    }
                }
                yield out;
            }
            case BASE64_ENCODE -> {
                String s = limited(fn, string(fn, v, 0, "string"));
                yield TextNode.valueOf(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            }
            case BASE64_DECODE -> {
                String s = limited(fn, string(fn, v, 0, "base64 string"));
                try {
                    yield TextNode.valueOf(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw failure(fn, "the argument is not valid base64: " + e.getMessage());
                }
            }
            case HASH -> {
                String data = limited(fn, string(fn, v, 0, "data")); // a string, as on AWS (an object is refused)
                String algorithm = string(fn, v, 1, "algorithm");
                if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
                    throw failure(fn, "unsupported algorithm '" + algorithm
                            + "'; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
                }
                try {
                    byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
                    yield TextNode.valueOf(HexFormat.of().formatHex(digest));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("JDK lacks " + algorithm, e);
                }
            }
            case UUID -> TextNode.valueOf(java.util.UUID.randomUUID().toString());
        };
    }

    private JsonNode format(Arg.Call c, List<JsonNode> v) {
        List<String> template = c.template();
        if (template == null) {
            String raw = string(Fn.FORMAT, v, 0, "template");
            try {
                template = Parser.formatTemplate(raw, true);
            } catch (IllegalArgumentException e) {
                throw failure(Fn.FORMAT, e.getMessage());
            }
        }
        int placeholders = template.size() - 1;
        if (placeholders != v.size() - 1) {
            throw failure(Fn.FORMAT, "the template has " + placeholders + " placeholder(s) but "
                    + (v.size() - 1) + " value(s) were given");
        }
        StringBuilder sb = new StringBuilder(template.get(0));
        for (int i = 1; i < v.size(); i++) {
            JsonNode value = v.get(i);
            if (value.isContainerNode()) {
                throw failure(Fn.FORMAT, "argument " + (i + 1) + " must be a string, number, boolean or null, got "
                        + JsonValues.typeName(value));
            }
            sb.append(value.isTextual() ? value.textValue() : value.toString()).append(template.get(i));
        }
        return TextNode.valueOf(sb.toString());
    }

    private String limited(Fn fn, String s) {
        if (s.length() > MAX_STRING_INPUT) {
            throw failure(fn, "the input has " + s.length() + " characters; at most " + MAX_STRING_INPUT + " are allowed");
        }
        return s;
    }

    private String string(Fn fn, List<JsonNode> v, int i, String what) {
        JsonNode n = v.get(i);
        if (!n.isTextual()) {
            throw failure(fn, "argument " + (i + 1) + " (" + what + ") must be a string, got "
                    + JsonValues.typeName(n) + " " + JsonValues.abbreviate(n));
        }
        return n.textValue();
    }

    private JsonNode array(Fn fn, List<JsonNode> v, int i) {
        JsonNode n = v.get(i);
        if (!n.isArray()) {
            throw failure(fn, "argument " + (i + 1) + " must be an array, got " + JsonValues.typeName(n)
                    + " " + JsonValues.abbreviate(n));
        }
        return n;
    }

    private long integer(Fn fn, List<JsonNode> v, int i, String what) {
        JsonNode n = v.get(i);
        if (n.isNumber()) {
            BigDecimal d = JsonValues.decimal(n);
            try {
                return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : fail(fn, i, what, n);
            } catch (ArithmeticException e) {
                return fail(fn, i, what, n);
            }
        }
        return fail(fn, i, what, n);
    }

    /**
     * A number argument of the functions AWS documents as rounding a non-integer to the nearest integer (the
     * chunk size of ArrayPartition, the bounds and step of ArrayRange, MathRandom's start and end, MathAdd's values);
     * halves round away from zero.
     */
    private long rounded(Fn fn, List<JsonNode> v, int i, String what) {
        JsonNode n = v.get(i);
        if (n.isNumber()) {
            try {
                return JsonValues.decimal(n).setScale(0, RoundingMode.HALF_UP).longValueExact();
            } catch (ArithmeticException e) {
                return fail(fn, i, what, n);
            }
        }
        return fail(fn, i, what, n);
    }

    private long fail(Fn fn, int i, String what, JsonNode n) {
        throw failure(fn, "argument " + (i + 1) + " (" + what + ") must be an integer, got "
                + JsonValues.typeName(n) + " " + JsonValues.abbreviate(n));
    }

    private static JsonNode number(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Recursive-descent parser for the intrinsic call syntax. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        InvalidExpressionException error(String what) {
            return new InvalidExpressionException("invalid intrinsic function '" + text + "': " + what + " at " + pos);
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipSpaces() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Arg.Call call(int depth) {
            if (depth > MAX_NESTING) {
                throw error("intrinsic functions may be nested at most " + MAX_NESTING + " deep");
            }
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            Fn fn = Fn.byName(name);
            if (fn == null) {
                pos = start;
                throw error(name.isEmpty() ? "expected a function name" : "unknown function '" + name + "'");
            }
            skipSpaces();
            if (atEnd() || text.charAt(pos) != '(') {
                throw error("expected '(' after " + name);
            }
            pos++;
            List<Arg> args = new ArrayList<>();
            skipSpaces();
            if (!atEnd() && text.charAt(pos) == ')') {
                pos++;
            } else {
                while (true) {
                    skipSpaces();
                    args.add(argument(depth));
                    skipSpaces();
                    if (atEnd()) {
                        throw error("missing ')' to close " + name);
                    }
                    char c = text.charAt(pos++);
                    if (c == ')') {
                        break;
                    }
                    if (c != ',') {
                        pos--;
                        throw error("expected ',' or ')' but found '" + c + "'");
                    }
                }
            }
            if (args.size() < fn.minArgs || args.size() > fn.maxArgs) {
                String expected = fn.minArgs == fn.maxArgs ? String.valueOf(fn.minArgs)
                        : fn.maxArgs == Integer.MAX_VALUE ? "at least " + fn.minArgs : fn.minArgs + " to " + fn.maxArgs;
                throw new InvalidExpressionException("invalid intrinsic function '" + text + "': " + name + " takes "
                        + expected + " argument(s) but " + args.size() + " were given");
            }
            List<String> template = null;
            if (fn == Fn.FORMAT && args.get(0) instanceof Arg.Literal lit) {
                if (!lit.value().isTextual()) {
                    throw new InvalidExpressionException("invalid intrinsic function '" + text
                            + "': the States.Format template must be a string");
                }
                try {
                    template = formatTemplate(lit.raw(), false);
                } catch (IllegalArgumentException e) {
                    throw new InvalidExpressionException("invalid intrinsic function '" + text + "': " + e.getMessage());
                }
                if (template.size() != args.size()) {
                    throw new InvalidExpressionException("invalid intrinsic function '" + text
                            + "': the States.Format template has " + (template.size() - 1)
                            + " placeholder(s) but " + (args.size() - 1) + " value(s) were given");
                }
            }
            return new Arg.Call(fn, List.copyOf(args), template == null ? null : List.copyOf(template));
        }

        Arg argument(int depth) {
            if (atEnd()) {
                throw error("expected an argument");
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                String raw = rawString();
                try {
                    return new Arg.Literal(TextNode.valueOf(unescape(raw)), raw);
                } catch (IllegalArgumentException e) {
                    return new Arg.OpenEscape("the string literal '" + raw + "' has an " + e.getMessage());
                }
            }
            if (c == '$') {
                return new Arg.PathArg(pathArgument());
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (!atEnd() && (Character.isDigit(text.charAt(pos)) || ".eE+-".indexOf(text.charAt(pos)) >= 0)) {
                    pos++;
                }
                String num = text.substring(start, pos);
                try {
                    BigDecimal d = new BigDecimal(num);
                    JsonNode value = d.scale() <= 0 && num.matches("-?\\d+")
                            ? (d.toBigInteger().bitLength() < 32 ? IntNode.valueOf(d.intValueExact()) : LongNode.valueOf(d.longValueExact()))
                            : DoubleNode.valueOf(d.doubleValue());
                    return new Arg.Literal(value, num);
                } catch (NumberFormatException | ArithmeticException e) {
                    pos = start;
                    throw error("invalid number '" + num + "'");
                }
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, pos) && !followedByWordChar(pos + word.length())) {
                    pos += word.length();
                    JsonNode value = switch (word) {
                        case "true" -> BooleanNode.TRUE;
                        case "false" -> BooleanNode.FALSE;
                        default -> NullNode.instance;
                    };
                    return new Arg.Literal(value, word);
                }
            }
            if (text.startsWith("States.", pos)) {
                return call(depth + 1);
            }
            throw error("unexpected character '" + c + "'");
        }

        private boolean followedByWordChar(int i) {
            return i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.');
        }

        /** A JSONPath argument runs to the next ',' or ')' outside brackets, parentheses and quotes. */
        private JsonPathExpression pathArgument() {
            int start = pos;
            int depth = 0;
            char quote = 0;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (quote != 0) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || (c == ')' && depth > 0)) {
                    depth--;
                } else if (depth == 0 && (c == ',' || c == ')')) {
                    break;
                }
                pos++;
            }
            String path = text.substring(start, pos).strip();
            try {
                return JsonPathExpression.parse(path);
            } catch (InvalidExpressionException e) {
                throw new InvalidExpressionException("invalid intrinsic function '" + text + "': " + e.getMessage());
            }
        }

        /** The text between single quotes, escapes kept. */
        private String rawString() {
            int open = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (c == '\\') {
                    if (pos + 1 >= text.length()) {
                        break;
                    }
                    sb.append(c).append(text.charAt(pos + 1));
                    pos += 2;
                } else if (c == '\'') {
                    pos++;
                    return sb.toString();
                } else {
                    sb.append(c);
                    pos++;
                }
            }
            pos = open;
            throw error("unterminated string literal");
        }

        /** Resolves the escapes \' \{ \} \\ of a string literal. */
        static String unescape(String raw) {
            StringBuilder sb = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\') {
                    char next = raw.charAt(++i);
                    if ("'{}\\".indexOf(next) < 0) {
                        throw new IllegalArgumentException("open escape backslash '\\" + next
                                + "' (only \\' \\{ \\} \\\\ may be escaped)");
                    }
                    sb.append(next);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /**
         * Splits a States.Format template into the literal pieces around its {@code {}} placeholders
         * (n placeholders give n+1 pieces). {@code resolved} templates come from a path: only
         * {@code \{ \}} escapes apply there.
         */
        static List<String> formatTemplate(String raw, boolean resolved) {
            List<String> parts = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    if (!resolved && "'{}\\".indexOf(next) < 0) {
                        throw new IllegalArgumentException("unsupported escape '\\" + next + "' in the template");
                    }
                    if (resolved && "{}\\".indexOf(next) < 0) {
                        sb.append('\\');
                    }
                    sb.append(next);
                } else if (c == '{') {
                    if (i + 1 < raw.length() && raw.charAt(i + 1) == '}') {
                        parts.add(sb.toString());
                        sb.setLength(0);
                        i++;
                    } else {
                        throw new IllegalArgumentException("unmatched '{' in the template at " + i
                                + " (use {} for a placeholder or \\{ for a brace)");
                    }
                } else if (c == '}') {
                    throw new IllegalArgumentException("unmatched '}' in the template at " + i
                            + " (use \\} for a brace)");
                } else {
                    sb.append(c);
                }
            }
            parts.add(sb.toString());
            return parts;
        }
    }
}
