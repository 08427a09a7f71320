package com.campaignflow.functions.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template values the way CloudFormation would for a stack {@code campaignflow} in us-east-1 of account
 * 123456789012, with made-up physical ids of the documented shapes (table and bucket names, ARNs, alias ARNs), so a
 * handler can be constructed under the environment template.yaml gives its function. Dynamic references
 * ({@code {{resolve:...}}}) take the stand-in value the test supplies for that variable.
 */
final class FakeDeployment {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String STACK = "campaignflow";
    private static final Map<String, String> PSEUDO = Map.of(
            "AWS::Region", REGION, "AWS::AccountId", ACCOUNT, "AWS::Partition", "aws",
            "AWS::URLSuffix", "amazonaws.com", "AWS::StackName", STACK);

    private final SamTemplate template;

    FakeDeployment(SamTemplate template) {
        this.template = template;
    }

    /** The variables Lambda sets in every function (what a handler may read besides the template's). */
    Map<String, String> lambdaRuntimeVariables(String functionId) {
        return Map.of("AWS_REGION", REGION, "AWS_DEFAULT_REGION", REGION,
                "AWS_LAMBDA_FUNCTION_NAME", physicalName(functionId), "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
                "AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    }

    String resolve(Object value, String where) {
        return switch (value) {
            case null -> throw new IllegalArgumentException(where + " has no value");
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case Map<?, ?> m when m.size() == 1 -> intrinsic((String) m.keySet().iterator().next(),
                    m.values().iterator().next(), where);
            default -> throw new IllegalArgumentException(where + ": cannot resolve " + value);
        };
    }

    private String intrinsic(String function, Object argument, String where) {
        return switch (function) {
            case "Ref" -> ref((String) argument, where);
            case "Fn::GetAtt" -> {
                List<Object> parts = SamTemplate.list(argument, where);
                yield getAtt((String) parts.get(0), (String) parts.get(1), where);
            }
            case "Fn::Sub" -> {
                if (argument instanceof String text) {
                    yield sub(text, Map.of(), where);
                }
                List<Object> parts = SamTemplate.list(argument, where);
                yield sub((String) parts.get(0), SamTemplate.map(parts.get(1), where), where);
            }
            default -> throw new IllegalArgumentException(where + ": " + function + " is not resolved by this test");
        };
    }

    private String sub(String text, Map<String, Object> variables, String where) {
        Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = resolve(variables.get(name), where + " ${" + name + "}");
            } else if (name.endsWith(".Alias")) {
                replacement = ref(name, where);
            } else if (name.contains(".") && !PSEUDO.containsKey(name)) {
                int dot = name.indexOf('.');
                replacement = getAtt(name.substring(0, dot), name.substring(dot + 1), where);
            } else {
                replacement = ref(name, where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    String ref(String name, String where) {
        if (PSEUDO.containsKey(name)) {
            return PSEUDO.get(name);
        }
        if (name.endsWith(".Alias")) {
            String function = name.substring(0, name.length() - ".Alias".length());
            requireType(function, SamTemplate.FUNCTION, where);
            return functionArn(function) + ":live";
        }
        if (template.hasParameter(name)) {
            Object fallback = template.parameterDefault(name);
            return fallback == null ? "" : fallback.toString();
        }
        String type = template.type(name);
        if (type == null) {
            throw new IllegalArgumentException(where + ": !Ref " + name + " names nothing in template.yaml");
        }
        return switch (type) {
            case "AWS::Serverless::StateMachine" -> "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:"
                    + physicalName(name);
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + physicalName(name);
            case "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api" -> "a1b2c3" + name.length() + "x9";
            case "AWS::S3::Bucket" -> physicalName(name).toLowerCase(Locale.ROOT);
            default -> physicalName(name);
        };
    }

    private String getAtt(String resource, String attribute, String where) {
        String type = template.type(resource);
        if (type == null) {
            throw new IllegalArgumentException(where + ": !GetAtt " + resource + "." + attribute
                    + " names nothing in template.yaml");
        }
        return switch (type + "." + attribute) {
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + physicalName(resource);
            case "AWS::Serverless::Function.Arn" -> functionArn(resource);
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + ref(resource, where);
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/"
                    + physicalName(resource);
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:"
                    + physicalName(resource) + ":*";
            case "AWS::Serverless::StateMachine.Name" -> physicalName(resource);
            default -> throw new IllegalArgumentException(where + ": !GetAtt " + resource + "." + attribute
                    + " (" + type + ") is not resolved by this test");
        };
    }

    private void requireType(String logicalId, String type, String where) {
        if (!type.equals(template.type(logicalId))) {
            throw new IllegalArgumentException(where + ": " + logicalId + " is not an " + type);
        }
    }

    private static String functionArn(String function) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + physicalName(function);
    }

    /** CloudFormation's generated physical name: stack name, logical id, a random suffix. */
    static String physicalName(String logicalId) {
        return STACK + "-" + logicalId + "-1A2B3C4D5E6F";
    }
}
