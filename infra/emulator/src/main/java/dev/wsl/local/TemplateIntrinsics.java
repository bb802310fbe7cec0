package dev.wsl.local;

import static dev.wsl.local.TemplateDocument.asStringMap;
import static dev.wsl.local.TemplateDocument.list;
import static dev.wsl.local.TemplateDocument.scalarText;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves values to the strings CloudFormation would produce with the local values ({@code refValues}: parameter
 * values, resource names, {@code Logical.Attribute} for {@code GetAtt}, pseudo parameters; then parameter defaults),
 * and evaluates the template's {@code Conditions} and {@code Rules}.
 */
record TemplateIntrinsics(TemplateDocument doc) {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /**
     * Resolves a value to the string CloudFormation would produce, for the intrinsics a function's
     * configuration can reasonably use locally: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
     * {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}, and {@code Fn::If} on a condition of the
     * template's {@code Conditions} (only the chosen branch is resolved). Anything else (imports, lookups) is
     * rejected rather than guessed.
     */
    String resolve(Object value, Map<String, String> refValues, String where) {
        return switch (value) {
            case null -> throw new IllegalArgumentException(where + ": no value");
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> items -> String.join(",", items.stream().map(i -> resolve(i, refValues, where)).toList());
            case Map<?, ?> m when m.size() == 1 -> resolveIntrinsic(asStringMap(m, where), refValues, where);
            default -> throw new IllegalArgumentException(where + ": cannot resolve " + value);
        };
    }

    private String resolveIntrinsic(Map<String, Object> intrinsic, Map<String, String> refValues, String where) {
        Map.Entry<String, Object> e = intrinsic.entrySet().iterator().next();
        Object argument = e.getValue();
        return switch (e.getKey()) {
            case "Ref" -> lookup(scalarText(argument), refValues, where);
            case "Fn::GetAtt" -> {
                List<Object> parts = list(argument, where);
                yield lookup(scalarText(parts.get(0)) + "." + scalarText(parts.get(1)), refValues, where);
            }
            case "Fn::Sub" -> {
                String text;
                Map<String, Object> locals = Map.of();
                if (argument instanceof List<?> form) {
                    text = scalarText(form.get(0));
                    locals = asStringMap(form.get(1), where);
                } else {
                    text = scalarText(argument);
                }
                yield substitute(text, locals, refValues, where);
            }
            case "Fn::Join" -> {
                List<Object> form = list(argument, where);
                List<String> parts = list(form.get(1), where).stream().map(p -> resolve(p, refValues, where)).toList();
                yield String.join(scalarText(form.get(0)), parts);
            }
            case "Fn::Select" -> {
                List<Object> form = list(argument, where);
                List<String> items = splitList(resolve(form.get(1), refValues, where));
                yield items.get(Integer.parseInt(resolve(form.get(0), refValues, where)));
            }
            case "Fn::Split" -> {
                // Lists travel as comma-joined strings here, as CloudFormation passes them to env vars.
                List<Object> form = list(argument, where);
                String source = resolve(form.get(1), refValues, where);
                yield String.join(",", source.split(Pattern.quote(scalarText(form.get(0))), -1));
            }
            case "Fn::If" -> {
                List<Object> form = list(argument, where);
                if (form.size() != 3) {
                    throw new IllegalArgumentException(where + ": Fn::If takes a condition and two values");
                }
                yield resolve(condition(scalarText(form.get(0)), refValues, where) ? form.get(1) : form.get(2),
                        refValues, where);
            }
            default -> throw new IllegalArgumentException(where + ": " + e.getKey() + " is not evaluated locally");
        };
    }

    /**
     * Checks the template's {@code Rules} with these values, as CloudFormation does before it creates or
     * updates a stack: every assertion of a rule whose {@code RuleCondition} holds (or that has none).
     *
     * @throws IllegalArgumentException naming the rule and its {@code AssertDescription} when one fails
     */
    void checkRules(Map<String, String> refValues) {
        for (Map.Entry<String, Object> rule : doc.section("Rules").entrySet()) {
            String where = "rule " + rule.getKey();
            Map<String, Object> definition = asStringMap(rule.getValue(), where);
            if (definition.containsKey("RuleCondition") && !evaluate(definition.get("RuleCondition"), refValues, where)) {
                continue;
            }
            for (Object assertion : list(definition.get("Assertions"), where)) {
                Map<String, Object> a = asStringMap(assertion, where);
                if (!evaluate(a.get("Assert"), refValues, where)) {
                    throw new IllegalArgumentException(where + ": " + String.valueOf(a.get("AssertDescription")).strip());
                }
            }
        }
    }

    /**
     * Evaluates a condition of the template's {@code Conditions} section ({@code Fn::Equals}, {@code Fn::Not},
     * {@code Fn::And}, {@code Fn::Or}, {@code Condition}) with the local values.
     */
    boolean condition(String name, Map<String, String> refValues, String where) {
        Object definition = doc.section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException(where + ": no condition " + name + " in the template");
        }
        return evaluate(definition, refValues, where + " (condition " + name + ")");
    }

    private boolean evaluate(Object value, Map<String, String> refValues, String where) {
        Map<String, Object> function = asStringMap(value, where);
        if (function.size() != 1) {
            throw new IllegalArgumentException(where + ": a condition is one function, found " + function.keySet());
        }
        Map.Entry<String, Object> e = function.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "Fn::Equals" -> {
                List<Object> pair = list(e.getValue(), where);
                yield resolve(pair.get(0), refValues, where).equals(resolve(pair.get(1), refValues, where));
            }
            case "Fn::Not" -> !evaluate(list(e.getValue(), where).getFirst(), refValues, where);
            case "Fn::And" -> list(e.getValue(), where).stream().allMatch(c -> evaluate(c, refValues, where));
            case "Fn::Or" -> list(e.getValue(), where).stream().anyMatch(c -> evaluate(c, refValues, where));
            case "Fn::Contains" -> { // a rule function: the list holds the value
                List<Object> pair = list(e.getValue(), where);
                yield splitList(resolve(pair.get(0), refValues, where)).contains(resolve(pair.get(1), refValues, where));
            }
            case "Condition" -> condition(scalarText(e.getValue()), refValues, where);
            default -> throw new IllegalArgumentException(where + ": " + e.getKey() + " is not a condition function");
        };
    }

    private String substitute(String text, Map<String, Object> locals, Map<String, String> refValues, String where) {
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (locals.containsKey(name)) {
                replacement = resolve(locals.get(name), refValues, where);
            } else {
                replacement = lookup(name, refValues, where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String lookup(String name, Map<String, String> refValues, String where) {
        String value = refValues.get(name);
        if (value == null) {
            value = doc.parameterDefaults().get(name);
        }
        if (value == null) {
            throw new IllegalArgumentException(where + ": no local value for " + name);
        }
        return value;
    }

    static List<String> splitList(String commaDelimited) {
        return List.of(commaDelimited.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
