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
 * {@code Ref}); when it answers empty the whole variable is dropped.
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
            return Optional.empty();
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        Object argument = entry.getValue();
        return switch (String.valueOf(entry.getKey())) {
            case "Ref" -> argument instanceof String id
                    ? id.endsWith(".Alias") ? reference(id.substring(0, id.length() - ".Alias".length()), "Alias", template)
                            : reference(id, null, template)
                    : Optional.empty();
            case "Fn::GetAtt" -> argument instanceof List<?> parts && parts.size() == 2
                    ? reference(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)), template)
                    : Optional.empty();
            case "Fn::Sub" -> sub(argument, template);
            case "Fn::Join" -> join(argument, template);
            default -> Optional.empty();
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
        if (pseudo.isPresent()) {
            return pseudo;
        }
        if (template.parameters().containsKey(id) && attribute == null) {
            return Optional.of(template.parameters().get(id));
        }
        if ("AWS::Serverless::Function".equals(template.resourceTypes().get(id))) {
            if (attribute == null) {
                return Optional.of(id);
            }
            // SAM's Fn.Alias (AutoPublishAlias) is the function itself locally: there are no versions.
            return "Arn".equals(attribute) || "Alias".equals(attribute)
                    ? Optional.of(LocalArns.functionArn(id)) : Optional.empty();
        }
        return resourceLookup.apply(id, attribute);
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
            return Optional.empty();
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
            return Optional.empty();
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
