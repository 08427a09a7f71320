package com.campaignflow.local.template;

import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads CloudFormation YAML. The short-form intrinsic tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub} ...) are
 * kept as data in their long form, exactly as CloudFormation reads them: {@code !Ref X} becomes
 * {@code {"Ref": "X"}}, {@code !GetAtt A.Arn} becomes {@code {"Fn::GetAtt": ["A", "Arn"]}}, {@code !Sub s}
 * becomes {@code {"Fn::Sub": s}}.
 */
public final class CloudFormationYaml {

    private static final List<String> FN_TAGS = List.of("Sub", "Join", "If", "Select", "Split", "FindInMap",
            "Equals", "Not", "And", "Or", "ImportValue", "Base64", "GetAZs", "Cidr", "Length", "ToJsonString");

    private CloudFormationYaml() {
    }

    /** The document's top-level mapping; a TemplateException if the YAML is malformed or not a mapping. */
    public static Map<String, Object> load(Reader yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Object document;
        try {
            document = new Yaml(new IntrinsicConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new TemplateException("template is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new TemplateException("template must be a YAML mapping at the top level, got "
                    + (document == null ? "an empty document" : document.getClass().getSimpleName()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) map;
        return top;
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String fn : FN_TAGS) {
                yamlConstructors.put(new Tag("!" + fn), new Intrinsic("Fn::" + fn));
            }
        }

        private Object constructAny(Node node) {
            return switch (node) {
                case ScalarNode scalar -> constructScalar(scalar);
                case SequenceNode sequence -> constructSequence(sequence);
                case MappingNode mapping -> {
                    Map<Object, Object> result = new LinkedHashMap<>();
                    constructMapping2ndStep(mapping, result);
                    yield result;
                }
                default -> throw new YAMLException("unsupported node " + node.getNodeId() + " at " + node.getStartMark());
            };
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(key, constructAny(node));
                return intrinsic;
            }
        }

        /** {@code !GetAtt Resource.Attribute} splits at the first dot; the sequence form is kept as is. */
        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object value = constructAny(node);
                if (value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot <= 0 || dot == dotted.length() - 1) {
                        throw new YAMLException("!GetAtt needs Resource.Attribute, got '" + dotted + "' at "
                                + node.getStartMark());
                    }
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put("Fn::GetAtt", value);
                return intrinsic;
            }
        }
    }
}
