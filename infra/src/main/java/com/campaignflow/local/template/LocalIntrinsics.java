package com.campaignflow.local.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard local resolution of intrinsics: pseudo parameters ({@code AWS::Region} us-east-1,
 * {@code AWS::AccountId} 000000000000, {@code AWS::Partition}, {@code AWS::StackName}, {@code AWS::URLSuffix}),
 * {@code Ref}/{@code GetAtt .Arn} and {@code .Alias} of a function (its local name/ARN), and {@code Fn::Sub}/{@code Fn::Join} over
 * those. Every other resource reference is asked of {@code resourceLookup} (logical id, attribute or null for
 * {@code Ref}): an empty answer to a {@code Ref} drops the whole variable (a resource the local cloud provides itself,
 * such as a table), as does {@code !Ref AWS::NoValue}. Anything else it cannot resolve ({@code Fn::If},
 * {@code Fn::Select}, {@code Fn::FindInMap}, {@code Fn::ImportValue}, an attribute the lookup does not know, a name that
 * is neither a parameter with a Default nor a resource ...) is a {@link TemplateException} naming the function, the
 * variable and the intrinsic: a variable silently left unset would only fail later, far from its cause.
 */
public final class LocalIntrinsics implements IntrinsicResolver {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final String stackName;
    private final BiFunction<String, String, Optional<String>> resourceLookup;

    public LocalIntrinsics(String stackName, BiFunction<String, String, Optional<String>> resourceLookup) {
        this.stackName = stackName;
        this.resourceLookup = resourceLookup;
    }

    @Override
    public Optional<String> resolve(Request request) {
        return value(request.intrinsic(), request);
    }

    private Optional<String> value(Object node, Request template) {
        if (node instanceof String || node instanceof Number || node instanceof Boolean) {
            return Optional.of(node.toString());
        }
        if (!(node instanceof Map<?, ?> map) || map.size() != 1) {
            throw cannotResolve(template, String.valueOf(node));
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        Object argument = entry.getValue();
        return switch (String.valueOf(entry.getKey())) {
            case "Ref" -> {
                if (!(argument instanceof String id)) {
                    throw cannotResolve(template, "Ref " + argument);
                }
                yield id.endsWith(".Alias") ? reference(id.substring(0, id.length() - ".Alias".length()), "Alias", template)
                        : reference(id, null, template);
            }
            case "Fn::GetAtt" -> {
                if (!(argument instanceof List<?> parts) || parts.size() != 2) {
                    throw cannotResolve(template, "Fn::GetAtt " + argument);
                }
                yield reference(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)), template);
            }
            case "Fn::Sub" -> sub(argument, template);
            case "Fn::Join" -> join(argument, template);
            default -> throw cannotResolve(template, entry.getKey() + " " + argument);
        };
    }

    private Optional<String> reference(String id, String attribute, Request template) {
        Optional<String> pseudo = switch (id) {
            case "AWS::Region" -> Optional.of(LocalArns.REGION);
            case "AWS::AccountId" -> Optional.of(LocalArns.ACCOUNT_ID);
            case "AWS::Partition" -> Optional.of("aws");
            case "AWS::StackName" -> Optional.of(stackName);
            case "AWS::URLSuffix" -> Optional.of("amazonaws.com");
            default -> Optional.empty();
        };
        if (pseudo.isPresent() || "AWS::NoValue".equals(id)) {
            return pseudo; // AWS::NoValue removes the variable, as on AWS
        }
        if (template.parameters().containsKey(id) && attribute == null) {
            return Optional.of(template.parameters().get(id));
        }
        if ("AWS::Serverless::Function".equals(template.resourceTypes().get(id))) {
            if (attribute == null) {
                return Optional.of(id);
            }
            // SAM's Fn.Alias (AutoPublishAlias) is the function itself locally: there are no versions.
            if ("Arn".equals(attribute) || "Alias".equals(attribute)) {
                return Optional.of(LocalArns.functionArn(id));
            }
            throw cannotResolve(template, "Fn::GetAtt " + id + "." + attribute);
        }
        if (!template.resourceTypes().containsKey(id)) {
            throw cannotResolve(template, (attribute == null ? "Ref " + id : "Fn::GetAtt " + id + "." + attribute)
                    + " (" + id + " is neither a resource nor a parameter with a Default)");
        }
        Optional<String> value = resourceLookup.apply(id, attribute);
        if (value.isEmpty() && attribute != null) {
            throw cannotResolve(template, "Fn::GetAtt " + id + "." + attribute);
        }
        return value;
    }

    private static TemplateException cannotResolve(Request request, String intrinsic) {
        String where = request.functionLogicalId() == null ? request.variable()
                : "function " + request.functionLogicalId() + ", environment variable " + request.variable();
        return new TemplateException(where + ": the local cloud cannot resolve " + intrinsic);
    }

    private Optional<String> sub(Object argument, Request template) {
        String text;
        Map<?, ?> variables = Map.of();
        if (argument instanceof String s) {
            text = s;
        } else if (argument instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String s
                && list.get(1) instanceof Map<?, ?> vars) {
            text = s;
            variables = vars;
        } else {
            throw cannotResolve(template, "Fn::Sub " + argument);
        }
        StringBuilder out = new StringBuilder();
        Matcher matcher = SUB_VARIABLE.matcher(text);
        int last = 0;
        while (matcher.find()) {
            out.append(text, last, matcher.start());
            String name = matcher.group(1).trim();
            Optional<String> replacement;
            if (variables.containsKey(name)) {
                replacement = value(variables.get(name), template);
            } else {
                int dot = name.indexOf('.');
                replacement = dot > 0 && !name.startsWith("AWS::")
                        ? reference(name.substring(0, dot), name.substring(dot + 1), template)
                        : reference(name, null, template);
            }
            if (replacement.isEmpty()) {
                return Optional.empty();
            }
            out.append(replacement.get());
            last = matcher.end();
        }
        out.append(text.substring(last));
        // ${!Literal} is CloudFormation's escape for a literal ${Literal}.
        return Optional.of(out.toString().replace("${!", "${"));
    }

    private Optional<String> join(Object argument, Request template) {
        if (!(argument instanceof List<?> list) || list.size() != 2 || !(list.get(0) instanceof String delimiter)
                || !(list.get(1) instanceof List<?> parts)) {
            throw cannotResolve(template, "Fn::Join " + argument);
        }
        List<String> values = new ArrayList<>();
        for (Object part : parts) {
            Optional<String> value = value(part, template);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        return Optional.of(String.join(delimiter, values));
    }
}
