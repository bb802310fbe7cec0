package dev.wsl.local;

import static dev.wsl.local.TemplateDocument.optionalMap;
import static dev.wsl.local.TemplateDocument.scalarText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's configuration as Lambda would get it (code, timeout, memory, environment with the intrinsics
 * resolved), and the resources the functions use that the local runtime provisions (SES identities, KMS keys).
 */
record TemplateFunctions(TemplateDocument doc, TemplateIntrinsics intrinsics) {

    /** The function's {@code CodeUri} (own, else Globals), e.g. {@code functions/members}. */
    String codeUri(String functionId) {
        return scalarText(doc.requireFunctionProperty(functionId, "CodeUri"));
    }

    /** The function's {@code Timeout} (own, else Globals, else Lambda's default of 3 s). */
    Duration timeout(String functionId) {
        Object value = doc.functionProperty(functionId, "Timeout");
        return Duration.ofSeconds(value == null ? 3 : Long.parseLong(scalarText(value)));
    }

    /** The function's {@code MemorySize} (own, else Globals, else Lambda's default of 128 MB). */
    int memorySize(String functionId) {
        Object value = doc.functionProperty(functionId, "MemorySize");
        return value == null ? 128 : Integer.parseInt(scalarText(value));
    }

    /**
     * The function's environment: {@code Globals.Function.Environment.Variables} overlaid with its
     * own. Intrinsics are resolved against {@code refValues} (parameter values, resource names,
     * {@code Logical.Attribute} for {@code GetAtt}, pseudo parameters), then parameter defaults.
     *
     * @throws IllegalArgumentException naming the variable whose value cannot be resolved
     */
    Map<String, String> environment(String functionId, Map<String, String> refValues) {
        doc.requireFunction(functionId);
        Map<String, Object> raw = new LinkedHashMap<>(variables(optionalMap(doc.section("Globals").get("Function"), "Globals.Function")));
        raw.putAll(variables(doc.resourceProperties(functionId)));
        Map<String, String> resolved = new LinkedHashMap<>();
        raw.forEach((name, value) -> resolved.put(name, intrinsics.resolve(value, refValues, functionId + " variable " + name)));
        return resolved;
    }

    /** Addresses of the template's {@code AWS::SES::EmailIdentity} resources that are email addresses. */
    List<String> emailIdentities(Map<String, String> refValues) {
        List<String> addresses = new ArrayList<>();
        for (String id : doc.resourceIdsOfType("AWS::SES::EmailIdentity")) {
            String identity = intrinsics.resolve(doc.resourceProperties(id).get("EmailIdentity"), refValues, id);
            if (identity.contains("@")) {
                addresses.add(identity);
            }
        }
        return List.copyOf(addresses);
    }

    /** Logical ids of the template's {@code AWS::KMS::Key} resources. */
    List<String> kmsKeys() {
        return List.copyOf(doc.resourceIdsOfType("AWS::KMS::Key"));
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        Map<String, Object> environment = optionalMap(properties.get("Environment"), "Environment");
        return optionalMap(environment.get("Variables"), "Environment.Variables");
    }
}
