package com.campaignflow.functions.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation YAML template into plain maps and lists, turning the short-form intrinsic tags into their
 * JSON form, as CloudFormation does: {@code !Ref X} → {@code {"Ref": "X"}}, {@code !GetAtt A.B} →
 * {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Sub s} → {@code {"Fn::Sub": s}} and so on for every {@code !Tag}.
 */
final class CloudFormationYaml {

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file)) {
            Object root = new Yaml(new IntrinsicFunctions(options)).load(reader);
            if (!(root instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return (Map<String, Object>) root;
        }
    }

    private static final class IntrinsicFunctions extends SafeConstructor {

        IntrinsicFunctions(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new ShortForm());
        }

        private final class ShortForm extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue().substring(1);
                String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                Object argument = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> new ArrayList<>(constructSequence(sequence));
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unsupported node for !" + tag + ": " + node);
                };
                if (function.equals("Fn::GetAtt") && argument instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    argument = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                return Map.of(function, argument);
            }
        }
    }
}
