package com.campaignflow.local.sfn.expr;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled Choice rule condition: a comparison (every ASL operator and its {@code *Path} form),
 * a type test ({@code IsPresent}, {@code IsNull}, ...) or {@code And} / {@code Or} / {@code Not}
 * over nested rules. The top-level {@code Next} (and {@code Comment}, {@code Assign},
 * {@code Output}) are accepted and left to the caller.
 *
 * <p>Run-time semantics follow AWS: a comparison whose value is of the wrong type is false; a
 * {@code Variable} (or second {@code *Path}) that selects nothing fails with {@code States.Runtime}
 * — only {@code IsPresent} may look at a missing path.
 */
public final class ChoiceRule {

    private enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP }

    private enum Rel { EQ, LT, GT, LTE, GTE, MATCHES }

    private enum TypeTest { PRESENT, NULL, NUMERIC, STRING, BOOLEAN, TIMESTAMP }

    private record Operator(Kind kind, Rel rel, boolean path) {}

    private static final Map<String, Operator> OPERATORS = operators();
    private static final Map<String, TypeTest> TYPE_TESTS = Map.of(
            "IsPresent", TypeTest.PRESENT, "IsNull", TypeTest.NULL, "IsNumeric", TypeTest.NUMERIC,
            "IsString", TypeTest.STRING, "IsBoolean", TypeTest.BOOLEAN, "IsTimestamp", TypeTest.TIMESTAMP);
    private static final Set<String> TOP_LEVEL_ONLY = Set.of("Next", "Assign", "Output");
    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private static Map<String, Operator> operators() {
        Map<String, Operator> ops = new java.util.HashMap<>();
        Map<String, Rel> rels = Map.of("Equals", Rel.EQ, "LessThan", Rel.LT, "GreaterThan", Rel.GT,
                "LessThanEquals", Rel.LTE, "GreaterThanEquals", Rel.GTE);
        Map<String, Kind> kinds = Map.of("String", Kind.STRING, "Numeric", Kind.NUMERIC, "Timestamp", Kind.TIMESTAMP);
        kinds.forEach((kn, k) -> rels.forEach((rn, r) -> {
            ops.put(kn + rn, new Operator(k, r, false));
            ops.put(kn + rn + "Path", new Operator(k, r, true));
        }));
        ops.put("BooleanEquals", new Operator(Kind.BOOLEAN, Rel.EQ, false));
        ops.put("BooleanEqualsPath", new Operator(Kind.BOOLEAN, Rel.EQ, true));
        ops.put("StringMatches", new Operator(Kind.STRING, Rel.MATCHES, false));
        return Map.copyOf(ops);
    }

    private sealed interface Cond {
        record And(List<Cond> all) implements Cond {}
        record Or(List<Cond> any) implements Cond {}
        record Not(Cond inner) implements Cond {}
        record Type(ReferencePath variable, TypeTest test, boolean expected) implements Cond {}
        /**
         * {@code literal} is a String, BigDecimal, Boolean, Instant, Pattern or OpenEscape; or {@code other} is set.
         */
        record Compare(ReferencePath variable, String operator, Operator op, Object literal, ReferencePath other)
                implements Cond {}
    }

    /** A StringMatches pattern with an open escape backslash: the spec makes that a runtime error. */
    private record OpenEscape(String problem) {}

    private final Cond root;

    private ChoiceRule(Cond root) {
        this.root = root;
    }

    /** @throws InvalidExpressionException naming what is wrong with the rule */
    public static ChoiceRule compile(JsonNode rule) {
        return new ChoiceRule(compile(rule, "Choice rule", true));
    }

    /**
     * True if the rule matches.
     *
     * @throws ExpressionFailure {@code States.Runtime} if a Variable or second path selects nothing, or a
     *     StringMatches pattern met has an open escape backslash
     */
    public boolean matches(JsonNode input, JsonNode context) {
        return test(root, input, context);
    }

    // ---- compile ----

    private static Cond compile(JsonNode rule, String where, boolean topLevel) {
        if (rule == null || !rule.isObject()) {
            throw new InvalidExpressionException(where + " must be a JSON object");
        }
        List<String> operators = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : rule.properties()) {
            String field = entry.getKey();
            if (OPERATORS.containsKey(field) || TYPE_TESTS.containsKey(field)
                    || field.equals("And") || field.equals("Or") || field.equals("Not")) {
                operators.add(field);
            } else if (TOP_LEVEL_ONLY.contains(field)) {
                if (!topLevel) {
                    throw new InvalidExpressionException(where + ": a rule nested inside And/Or/Not must not have '"
                            + field + "'");
                }
            } else if (!field.equals("Variable") && !field.equals("Comment")) {
                throw new InvalidExpressionException(where + " has unknown field '" + field + "'");
            }
        }
        if (operators.isEmpty()) {
            throw new InvalidExpressionException(where + " has no comparison operator");
        }
        if (operators.size() > 1) {
            throw new InvalidExpressionException(where + " has more than one comparison operator: "
                    + String.join(", ", operators));
        }
        String operator = operators.get(0);
        JsonNode operand = rule.get(operator);
        if (operator.equals("And") || operator.equals("Or")) {
            if (rule.has("Variable")) {
                throw new InvalidExpressionException(where + ": " + operator + " must not have a Variable");
            }
            if (!operand.isArray() || operand.isEmpty()) {
                throw new InvalidExpressionException(where + ": " + operator + " must be a non-empty array of rules");
            }
            List<Cond> parts = new ArrayList<>();
            for (int i = 0; i < operand.size(); i++) {
                parts.add(compile(operand.get(i), where + "." + operator + "[" + i + "]", false));
            }
            return operator.equals("And") ? new Cond.And(List.copyOf(parts)) : new Cond.Or(List.copyOf(parts));
        }
        if (operator.equals("Not")) {
            if (rule.has("Variable")) {
                throw new InvalidExpressionException(where + ": Not must not have a Variable");
            }
            return new Cond.Not(compile(operand, where + ".Not", false));
        }
        ReferencePath variable = variable(rule, operator, where);
        TypeTest test = TYPE_TESTS.get(operator);
        if (test != null) {
            if (!operand.isBoolean()) {
                throw new InvalidExpressionException(where + ": " + operator + " must be true or false, got "
                        + JsonValues.abbreviate(operand));
            }
            return new Cond.Type(variable, test, operand.booleanValue());
        }
        Operator op = OPERATORS.get(operator);
        if (op.path()) {
            if (!operand.isTextual()) {
                throw new InvalidExpressionException(where + ": " + operator + " must be a Reference Path string, got "
                        + JsonValues.abbreviate(operand));
            }
            try {
                return new Cond.Compare(variable, operator, op, null, ReferencePath.parse(operand.textValue()));
            } catch (InvalidExpressionException e) {
                throw new InvalidExpressionException(where + ": " + operator + ": " + e.getMessage());
            }
        }
        return new Cond.Compare(variable, operator, op, literal(operator, op, operand, where), null);
    }

    private static ReferencePath variable(JsonNode rule, String operator, String where) {
        JsonNode v = rule.get("Variable");
        if (v == null) {
            throw new InvalidExpressionException(where + " with " + operator + " has no Variable");
        }
        if (!v.isTextual()) {
            throw new InvalidExpressionException(where + ": Variable must be a Reference Path string, got "
                    + JsonValues.abbreviate(v));
        }
        try {
            return ReferencePath.parse(v.textValue());
        } catch (InvalidExpressionException e) {
            throw new InvalidExpressionException(where + ": Variable: " + e.getMessage());
        }
    }

    private static Object literal(String operator, Operator op, JsonNode operand, String where) {
        return switch (op.kind()) {
            case STRING -> {
                if (!operand.isTextual()) {
                    throw new InvalidExpressionException(where + ": " + operator + " must be a string, got "
                            + JsonValues.typeName(operand) + " " + JsonValues.abbreviate(operand));
                }
                yield op.rel() == Rel.MATCHES ? wildcardPattern(operand.textValue(), where) : operand.textValue();
            }
            case NUMERIC -> {
                if (!operand.isNumber()) {
                    throw new InvalidExpressionException(where + ": " + operator + " must be a number, got "
                            + JsonValues.typeName(operand) + " " + JsonValues.abbreviate(operand));
                }
                yield JsonValues.decimal(operand);
            }
            case BOOLEAN -> {
                if (!operand.isBoolean()) {
                    throw new InvalidExpressionException(where + ": " + operator + " must be true or false, got "
                            + JsonValues.abbreviate(operand));
                }
                yield operand.booleanValue();
            }
            case TIMESTAMP -> {
                Instant t = operand.isTextual() ? timestamp(operand.textValue()) : null;
                if (t == null) {
                    throw new InvalidExpressionException(where + ": " + operator + " must be an RFC3339 timestamp"
                            + " such as 2016-08-18T17:33:00Z, got " + JsonValues.abbreviate(operand));
                }
                yield t;
            }
        };
    }

    /**
     * StringMatches: {@code *} matches any run of characters; {@code \*} is a literal star and
     * {@code \\} a literal backslash (written {@code \\*} and {@code \\\\} inside JSON).
     */
    private static Object wildcardPattern(String pattern, String where) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 >= pattern.length() || (pattern.charAt(i + 1) != '*' && pattern.charAt(i + 1) != '\\')) {
                    return new OpenEscape(where + ": StringMatches pattern '" + pattern
                            + "' has an open escape backslash at " + i + " (only \\* and \\\\ may be escaped)");
                }
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                regex.append(Pattern.quote(literal.toString())).append(".*");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * An RFC3339 timestamp as the States Language reads it in Choice rules and Wait states (uppercase T, seconds,
     * optional fraction, uppercase Z or a numeric offset); null if the text is not one.
     */
    public static Instant timestamp(String text) {
        if (!RFC3339.matcher(text).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- evaluate ----

    private static boolean test(Cond c, JsonNode input, JsonNode context) {
        return switch (c) {
            case Cond.And a -> {
                for (Cond part : a.all()) {
                    if (!test(part, input, context)) {
                        yield false;
                    }
                }
                yield true;
            }
            case Cond.Or o -> {
                for (Cond part : o.any()) {
                    if (test(part, input, context)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Cond.Not n -> !test(n.inner(), input, context);
            case Cond.Type t -> typeTest(t, input, context);
            case Cond.Compare cmp -> compare(cmp, input, context);
        };
    }

    private static JsonNode required(ReferencePath path, JsonNode input, JsonNode context) {
        JsonNode v = path.find(input, context);
        if (v == null) {
            throw new ExpressionFailure(ExpressionFailure.RUNTIME, "Invalid path '" + path.text()
                    + "': The choice state's condition path references an invalid value.");
        }
        return v;
    }

    private static boolean typeTest(Cond.Type t, JsonNode input, JsonNode context) {
        if (t.test() == TypeTest.PRESENT) {
            return (t.variable().find(input, context) != null) == t.expected();
        }
        JsonNode v = required(t.variable(), input, context);
        boolean is = switch (t.test()) {
            case NULL -> v.isNull();
            case NUMERIC -> v.isNumber();
            case STRING -> v.isTextual();
            case BOOLEAN -> v.isBoolean();
            case TIMESTAMP -> v.isTextual() && timestamp(v.textValue()) != null;
            case PRESENT -> throw new IllegalStateException();
        };
        return is == t.expected();
    }

    private static boolean compare(Cond.Compare c, JsonNode input, JsonNode context) {
        JsonNode value = required(c.variable(), input, context);
        Object expected = c.literal();
        if (c.other() != null) {
            expected = typed(c.op().kind(), required(c.other(), input, context));
            if (expected == null) {
                return false;
            }
        }
        Object actual = typed(c.op().kind(), value);
        if (actual == null) {
            return false;
        }
        if (c.op().rel() == Rel.MATCHES) {
            if (expected instanceof OpenEscape open) {
                throw new ExpressionFailure(ExpressionFailure.RUNTIME, open.problem());
            }
            return ((Pattern) expected).matcher((String) actual).matches();
        }
        int cmp = switch (c.op().kind()) {
            case STRING -> ((String) actual).compareTo((String) expected);
            case NUMERIC -> ((BigDecimal) actual).compareTo((BigDecimal) expected);
            case BOOLEAN -> actual.equals(expected) ? 0 : 1;
            case TIMESTAMP -> ((Instant) actual).compareTo((Instant) expected);
        };
        return switch (c.op().rel()) {
            case EQ -> cmp == 0;
            case LT -> cmp < 0;
            case GT -> cmp > 0;
            case LTE -> cmp <= 0;
            case GTE -> cmp >= 0;
            case MATCHES -> throw new IllegalStateException();
        };
    }

    /** The value as the Java type the comparison needs, or null if it is of another JSON type. */
    private static Object typed(Kind kind, JsonNode v) {
        return switch (kind) {
            case STRING -> v.isTextual() ? v.textValue() : null;
            case NUMERIC -> v.isNumber() ? JsonValues.decimal(v) : null;
            case BOOLEAN -> v.isBoolean() ? v.booleanValue() : null;
            case TIMESTAMP -> v.isTextual() ? timestamp(v.textValue()) : null;
        };
    }
}
