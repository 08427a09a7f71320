package com.campaignflow.local.template;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The account, region and ARN shapes of the local cloud (see docs/contracts.md). */
public final class LocalArns {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9_-]+)(:[A-Za-z0-9$_-]+)?");

    private static final Pattern PARTIAL_ARN = Pattern.compile("\\d{12}:function:([A-Za-z0-9_-]+)(:[A-Za-z0-9$_-]+)?");

    private LocalArns() {
    }

    public static String functionArn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + functionName;
    }

    /**
     * The function name in a name, a (possibly qualified) function ARN, or a partial ARN
     * {@code 000000000000:function:Name}; empty when the text is none of these.
     */
    public static Optional<String> functionName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return Optional.empty();
        }
        Matcher arn = FUNCTION_ARN.matcher(nameOrArn);
        if (arn.matches()) {
            return Optional.of(arn.group(1));
        }
        Matcher partial = PARTIAL_ARN.matcher(nameOrArn);
        if (partial.matches()) {
            return Optional.of(partial.group(1));
        }
        String unqualified = nameOrArn.contains(":") ? nameOrArn.substring(0, nameOrArn.indexOf(':')) : nameOrArn;
        return unqualified.matches("[A-Za-z0-9_-]{1,140}") ? Optional.of(unqualified) : Optional.empty();
    }

    /** The qualifier (version or alias) of a qualified name, ARN or partial ARN, e.g. {@code live} of {@code Fn:live}. */
    public static Optional<String> qualifier(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        for (Pattern arn : new Pattern[] {FUNCTION_ARN, PARTIAL_ARN}) {
            Matcher matcher = arn.matcher(nameOrArn);
            if (matcher.matches()) {
                return Optional.ofNullable(matcher.group(2)).map(q -> q.substring(1));
            }
        }
        int colon = nameOrArn.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(nameOrArn.substring(colon + 1));
    }
}
