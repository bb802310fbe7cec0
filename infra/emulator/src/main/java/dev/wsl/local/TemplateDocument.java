package dev.wsl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The template as read: YAML with CloudFormation's short-form tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...)
 * turned into their long form ({@code {"Ref": x}}, {@code {"Fn::GetAtt": [r, a]}}, ...), and the navigation every
 * concern of {@link SamTemplate} shares: sections, resources, a function's properties (own, else Globals), its events,
 * and the checked conversions of YAML values.
 */
final class TemplateDocument {

    static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    private static final String CLASSPATH_COPY = "/wsl/template.yaml";
    private static final List<String> INTRINSICS = List.of(
            "Ref", "Condition", "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue",
            "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
            "Length", "ToJsonString", "Contains");

    private final Map<String, Object> root;

    private TemplateDocument(Map<String, Object> root) {
        this.root = root;
    }

    /** Parses a template file. */
    static TemplateDocument load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + path, e);
        }
    }

    /** See {@link SamTemplate#discover()}. */
    static TemplateDocument discover() {
        String configured = System.getProperty(SamTemplate.TEMPLATE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return load(Path.of(configured));
        }
        Optional<Path> nearest = findUpwards(Path.of("").toAbsolutePath());
        if (nearest.isPresent()) {
            return load(nearest.get());
        }
        try (InputStream in = TemplateDocument.class.getResourceAsStream(CLASSPATH_COPY)) {
            if (in == null) {
                throw new IllegalStateException("no template.yaml found: set -D" + SamTemplate.TEMPLATE_PROPERTY
                        + "=path/to/template.yaml or run from the repository");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** See {@link SamTemplate#findUpwards(Path)}. */
    static Optional<Path> findUpwards(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Parses template text (YAML, short-form tags allowed). */
    static TemplateDocument parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new CloudFormationConstructor(options)).load(yaml);
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a template is a YAML mapping at the top level");
        }
        return new TemplateDocument(asStringMap(map, "template"));
    }

    /** Parameters that declare a {@code Default}, by name, as the string CloudFormation would pass. */
    Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        section("Parameters").forEach((name, declaration) -> {
            Object value = asStringMap(declaration, "parameter " + name).get("Default");
            if (value != null) {
                defaults.put(name, scalarText(value));
            }
        });
        return defaults;
    }

    /** Logical ids of all {@code AWS::Serverless::Function} resources, in template order. */
    List<String> functionIds() {
        return resourceIdsOfType(SERVERLESS_FUNCTION);
    }

    /** The class part of the function's {@code Handler} ({@code pkg.Class::method} → {@code pkg.Class}). */
    String handlerClass(String functionId) {
        String handler = scalarText(requireFunctionProperty(functionId, "Handler"));
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    Map<String, Object> section(String name) {
        return optionalMap(root.get(name), name);
    }

    /**
     * A resource as declared (type, properties, metadata, ...), as an unmodifiable deep copy in the
     * long form of the intrinsics; for checks on resources this class has no accessor for.
     */
    Map<String, Object> resource(String logicalId) {
        Object resource = section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        @SuppressWarnings("unchecked") // jsonLike gives maps string keys
        Map<String, Object> copy = (Map<String, Object>) jsonLike(resource, logicalId);
        return copy;
    }

    /** A top-level section ({@code Parameters}, {@code Globals}, {@code Conditions}, ...) as an unmodifiable deep copy. */
    Map<String, Object> copyOfSection(String name) {
        @SuppressWarnings("unchecked") // jsonLike gives maps string keys
        Map<String, Object> copy = (Map<String, Object>) jsonLike(section(name), name);
        return copy;
    }

    /** Logical ids of the resources of a type (e.g. {@code AWS::CloudWatch::Alarm}), in template order. */
    List<String> resourceIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        section("Resources").forEach((id, resource) -> {
            if (type.equals(asStringMap(resource, id).get("Type"))) {
                ids.add(id);
            }
        });
        return List.copyOf(ids);
    }

    Map<String, Object> resourceProperties(String logicalId) {
        Object resource = section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return optionalMap(asStringMap(resource, logicalId).get("Properties"), logicalId + ".Properties");
    }

    void requireFunction(String functionId) {
        if (!functionIds().contains(functionId)) {
            throw new IllegalArgumentException("no " + SERVERLESS_FUNCTION + " " + functionId + " in the template");
        }
    }

    Object functionProperty(String functionId, String name) {
        requireFunction(functionId);
        Object own = resourceProperties(functionId).get(name);
        return own != null ? own : optionalMap(section("Globals").get("Function"), "Globals.Function").get(name);
    }

    Object requireFunctionProperty(String functionId, String name) {
        Object value = functionProperty(functionId, name);
        if (value == null) {
            throw new IllegalStateException(functionId + " has no " + name);
        }
        return value;
    }

    Map<String, Map<String, Object>> events(String functionId) {
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        optionalMap(resourceProperties(functionId).get("Events"), functionId + ".Events")
                .forEach((name, event) -> events.put(name, asStringMap(event, functionId + " event " + name)));
        return events;
    }

    static String scalarText(Object value) {
        return switch (value) {
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case null -> throw new IllegalArgumentException("missing value");
            default -> throw new IllegalArgumentException("expected a plain value, found " + value);
        };
    }

    static Map<String, Object> optionalMap(Object value, String where) {
        return value == null ? Map.of() : asStringMap(value, where);
    }

    static Map<String, Object> asStringMap(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected a mapping, found " + value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    static List<Object> list(Object value, String where) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + ": expected a list, found " + value);
        }
        return new ArrayList<>(items);
    }

    /** A deep, unmodifiable copy with string keys (nulls kept: a pattern may match {@code null}). */
    static Object jsonLike(Object value, String where) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Map<?, ?> m -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(String.valueOf(k), jsonLike(v, where)));
                yield Collections.unmodifiableMap(copy);
            }
            case List<?> items -> {
                List<Object> copy = new ArrayList<>();
                items.forEach(i -> copy.add(jsonLike(i, where)));
                yield Collections.unmodifiableList(copy);
            }
            default -> throw new IllegalArgumentException(where + ": not a JSON value: " + value);
        };
    }

    static List<Map<String, Object>> mapList(Object value, String where) {
        return list(value, where).stream().map(item -> asStringMap(item, where)).toList();
    }

    /** Turns {@code !Tag value} into {@code {"Fn::Tag": value}} (or {@code Ref}/{@code Condition}). */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            for (String name : INTRINSICS) {
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                yamlConstructors.put(new Tag("!" + name), new ShortForm(key));
            }
        }

        private final class ShortForm extends AbstractConstruct {
            private final String key;

            ShortForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unsupported node for " + key + ": " + node);
                };
                // "!GetAtt Res.Attr" is the short spelling of ["Res", "Attr"].
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    value = dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
