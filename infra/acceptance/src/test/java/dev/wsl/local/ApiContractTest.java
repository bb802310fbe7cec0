package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.wsl.core.api.HttpApiHandler;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps {@code infra/openapi.yaml} (the API contract) in step with {@code template.yaml} (what is
 * deployed): the same routes, operation ids named after the functions, security exactly where the
 * JWT authorizer and the Lambda authorizers are, problem responses wherever the function answers with problems (every
 * {@link HttpApiHandler}; the activation routes speak the LocalStack licensing protocol instead),
 * and a document whose references resolve and whose examples satisfy their own schemas.
 */
class ApiContractTest {
    private static final List<String> HTTP_METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
    /** Marks a security scheme as one of the header forms a Lambda authorizer of the template takes. */
    private static final String AUTHORIZER_MARK = "x-wsl-authorizer";

    private static Path root;
    private static List<SamTemplate.Route> routes;
    private static Map<String, SamTemplate.LambdaAuthorizer> lambdaAuthorizers;
    private static Map<String, Object> document;

    /** One operation of the document. */
    private record Operation(String method, String path, Map<String, Object> node, List<Object> pathParameters) {
        String key() {
            return method + " " + path;
        }
    }

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        routes = template.routes();
        lambdaAuthorizers = template.lambdaAuthorizers();
        Path openapi = root.resolve("infra/openapi.yaml");
        assertThat(openapi).as("the API contract").isRegularFile();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object parsed = new Yaml(new SafeConstructor(options)).load(Files.readString(openapi, StandardCharsets.UTF_8));
        assertThat(parsed).as("infra/openapi.yaml is a YAML mapping").isInstanceOf(Map.class);
        document = map(parsed, "document");
        assertThat(routes).as("HttpApi routes in template.yaml").isNotEmpty();
    }

    @Test
    void documentIsOpenApi31() {
        assertThat(String.valueOf(document.get("openapi"))).as("openapi version").matches("3\\.1\\.\\d+");
        assertThat(map(document.get("info"), "info")).containsKeys("title", "version", "description");
    }

    @Test
    void documentsExactlyTheRoutesOfTheTemplate() {
        Set<String> inTemplate = new TreeSet<>();
        routes.forEach(r -> inTemplate.add(r.method().toUpperCase(Locale.ROOT) + " " + r.pathTemplate()));
        Set<String> inDocument = new TreeSet<>();
        operations().forEach(op -> inDocument.add(op.key()));

        Set<String> onlyInTemplate = new TreeSet<>(inTemplate);
        onlyInTemplate.removeAll(inDocument);
        Set<String> onlyInDocument = new TreeSet<>(inDocument);
        onlyInDocument.removeAll(inTemplate);
        if (!onlyInTemplate.isEmpty() || !onlyInDocument.isEmpty()) {
            fail("routes differ between template.yaml and infra/openapi.yaml"
                    + "\n  in template.yaml only: " + onlyInTemplate
                    + "\n  in infra/openapi.yaml only: " + onlyInDocument);
        }
    }

    /**
     * A function behind one route names its operation; a function behind several routes (one
     * handler, several HttpApi events) cannot give each the same id, so each of its operations has
     * an id that starts with the function's name and goes on (e.g. {@code ActivationRequest}).
     */
    @Test
    void operationIdsAreTheFunctionsWithoutTheirSuffix() {
        Map<String, Operation> byKey = operationsByKey();
        Map<String, Long> routesPerFunction = new LinkedHashMap<>();
        routes.forEach(r -> routesPerFunction.merge(r.functionLogicalId(), 1L, Long::sum));
        List<String> wrong = new ArrayList<>();
        for (SamTemplate.Route route : routes) {
            Operation op = byKey.get(route.routeKey());
            if (op == null) {
                continue; // reported by documentsExactlyTheRoutesOfTheTemplate
            }
            String expected = route.functionLogicalId().replaceFirst("Function$", "");
            Object actual = op.node().get("operationId");
            if (routesPerFunction.get(route.functionLogicalId()) > 1) {
                if (!(actual instanceof String id) || !id.startsWith(expected) || id.length() == expected.length()) {
                    wrong.add(route.routeKey() + ": operationId " + actual + ", expected " + expected
                            + "… (its function serves several routes)");
                }
            } else if (!expected.equals(actual)) {
                wrong.add(route.routeKey() + ": operationId " + actual + ", expected " + expected);
            }
        }
        assertThat(wrong).as("operation ids").isEmpty();

        List<Object> ids = operations().stream().map(op -> op.node().get("operationId")).toList();
        assertThat(ids).as("operation ids are present and unique").doesNotContainNull().doesNotHaveDuplicates();
    }

    /**
     * Routes behind the JWT authorizer declare bearer JWT security and a 401; routes behind a Lambda
     * authorizer declare only schemes marked {@code x-wsl-authorizer: <its name>} (the header forms it
     * takes, as alternatives), a 403 (its refusal) and, if it has identity sources, a 401; routes
     * without an authorizer declare {@code security: []}.
     */
    @Test
    void securityIsDeclaredExactlyWhereTheAuthorizerIs() {
        Map<String, Operation> byKey = operationsByKey();
        Map<String, Object> schemes = map(map(document.get("components"), "components").get("securitySchemes"),
                "components.securitySchemes");
        List<String> violations = new ArrayList<>();
        for (SamTemplate.Route route : routes) {
            Operation op = byKey.get(route.routeKey());
            if (op == null) {
                continue;
            }
            boolean own = op.node().containsKey("security");
            List<Object> security = list(own ? op.node().get("security") : document.get("security"),
                    op.key() + " security");
            SamTemplate.LambdaAuthorizer lambda = route.authorized() ? lambdaAuthorizers.get(route.authorizer()) : null;
            if (route.authorized()) {
                String kind = lambda == null ? "the JWT authorizer" : "Lambda authorizer " + lambda.name();
                if (security.isEmpty()) {
                    violations.add(op.key() + " is behind " + kind + " but declares no security");
                }
                for (Object requirement : security) {
                    Map<String, Object> names = map(requirement, op.key() + " security requirement");
                    if (names.isEmpty()) {
                        violations.add(op.key() + " allows anonymous calls ({}), but " + kind + " refuses them");
                    }
                    for (String name : names.keySet()) {
                        Object scheme = schemes.get(name);
                        if (scheme == null) {
                            violations.add(op.key() + " uses undefined security scheme " + name);
                        } else if (lambda == null && !isBearerJwt(map(scheme, "security scheme " + name))) {
                            violations.add(op.key() + " uses " + name + ", which is not a bearer JWT scheme");
                        } else if (lambda != null && !lambda.name().equals(map(scheme, name).get(AUTHORIZER_MARK))) {
                            violations.add(op.key() + " uses " + name + ", which is not marked "
                                    + AUTHORIZER_MARK + ": " + lambda.name());
                        }
                    }
                }
                if ((lambda == null || !lambda.identitySources().isEmpty()) && !responses(op).containsKey("401")) {
                    violations.add(op.key() + " is behind " + kind + " but declares no 401 response");
                }
                if (lambda != null && !responses(op).containsKey("403")) {
                    violations.add(op.key() + " is behind " + kind + " but declares no 403 response (its refusal)");
                }
            } else if (!own || !security.isEmpty() && !checkedByHandler(security, schemes)) {
                violations.add(op.key() + " has Auth.Authorizer NONE in the template but neither `security: []` nor"
                        + " only schemes marked " + HANDLER_MARK + ": handler");
            }
        }
        schemes.forEach((name, scheme) -> {
            Object mark = map(scheme, name).get(AUTHORIZER_MARK);
            if (mark != null && !lambdaAuthorizers.containsKey(String.valueOf(mark))) {
                violations.add("security scheme " + name + " names " + mark + ", which is no Lambda authorizer of the"
                        + " template's HttpApi");
            }
        });
        assertThat(violations).as("security versus the template's authorizers").isEmpty();
    }

    /**
     * Functions built on {@link HttpApiHandler} refuse with problem documents, so their operations
     * declare one. Other functions (the activation routes, which answer in the LocalStack licensing
     * protocol's {@code {"message", "detail"}}) never send one, so their operations must not claim
     * one and must document their client errors as {@code application/json} instead, unless the
     * operation is a page (its 200 is {@code text/html}: the console's pages have no client errors
     * of their own).
     */
    @Test
    void everyOperationDeclaresAProblemForClientErrors() {
        Map<String, SamTemplate.Route> routeByKey = new LinkedHashMap<>();
        routes.forEach(r -> routeByKey.put(r.routeKey(), r));
        List<String> without = new ArrayList<>();
        List<String> wrongKind = new ArrayList<>();
        for (Operation op : operations()) {
            SamTemplate.Route route = routeByKey.get(op.key());
            boolean answersWithProblems = route == null || answersWithProblems(route);
            boolean declared = false;
            boolean declaredJson = false;
            for (Map.Entry<String, Object> response : responses(op).entrySet()) {
                if (!response.getKey().matches("4(\\d\\d|XX)")) {
                    continue;
                }
                Map<String, Object> declaredResponse = map(deref(response.getValue()), op.key() + " " + response.getKey());
                if (isProblemResponse(declaredResponse)) {
                    declared = true;
                }
                Map<String, Object> content = map(declaredResponse.get("content"), "content");
                if ((content.get("application/json") instanceof Map<?, ?> json && json.get("schema") != null)
                        || (content.get("application/scim+json") instanceof Map<?, ?> scim && scim.get("schema") != null)) {
                    declaredJson = true;
                }
            }
            if (answersWithProblems && !declared) {
                without.add(op.key());
            } else if (!answersWithProblems && (declared || !declaredJson && !isPage(op))) {
                wrongKind.add(op.key() + " (" + route.handlerClass() + " is no HttpApiHandler: its errors are "
                        + "application/json, never " + PROBLEM_JSON + ")");
            }
        }
        assertThat(without).as("operations without a 4xx " + PROBLEM_JSON + " response").isEmpty();
        assertThat(wrongKind).as("operations of functions that do not answer with problems").isEmpty();

        Map<String, Object> problem = map(resolve(PROBLEM_SCHEMA), "Problem schema");
        assertThat(list(problem.get("required"), "Problem.required"))
                .as("RFC 9457 members the handlers always send")
                .contains("type", "title", "status", "detail", "instance");
    }

    @Test
    void pathParametersMatchThePathTemplates() {
        List<String> violations = new ArrayList<>();
        for (Operation op : operations()) {
            Set<String> inPath = new TreeSet<>();
            Matcher m = PATH_VARIABLE.matcher(op.path());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            List<Object> parameters = new ArrayList<>(op.pathParameters());
            parameters.addAll(list(op.node().get("parameters"), op.key() + " parameters"));
            for (Object p : parameters) {
                Map<String, Object> parameter = map(deref(p), op.key() + " parameter");
                if ("path".equals(parameter.get("in"))) {
                    declared.add(String.valueOf(parameter.get("name")));
                    if (!Boolean.TRUE.equals(parameter.get("required"))) {
                        violations.add(op.key() + ": path parameter " + parameter.get("name") + " is not required");
                    }
                }
            }
            if (!inPath.equals(declared)) {
                violations.add(op.key() + ": path variables " + inPath + " but path parameters " + declared);
            }
        }
        assertThat(violations).as("path parameters").isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).as("$ref values in the document").isNotEmpty();
        List<String> broken = new ArrayList<>();
        for (String ref : new LinkedHashSet<>(refs)) {
            try {
                resolve(ref);
            } catch (IllegalArgumentException e) {
                broken.add(ref + " (" + e.getMessage() + ")");
            }
        }
        assertThat(broken).as("unresolvable $ref").isEmpty();
    }

    @Test
    void examplesAndDefaultsSatisfyTheirSchemas() {
        List<String> errors = new ArrayList<>();
        int[] checked = {0};
        walkExamples(document, "#", errors, checked);
        map(map(document.get("components"), "components").get("schemas"), "components.schemas")
                .forEach((name, schema) -> walkSchema(schema, "#/components/schemas/" + name, errors, checked));
        assertThat(errors).as("examples and defaults that violate their schema").isEmpty();
        assertThat(checked[0]).as("examples and defaults checked").isGreaterThan(10);
    }

    // ------------------------------------------------------------------ document navigation

    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        map(document.get("paths"), "paths").forEach((path, item) -> {
            Map<String, Object> pathItem = map(deref(item), "path " + path);
            List<Object> shared = list(pathItem.get("parameters"), path + " parameters");
            for (String method : HTTP_METHODS) {
                if (pathItem.containsKey(method)) {
                    ops.add(new Operation(method.toUpperCase(Locale.ROOT), path,
                            map(pathItem.get(method), method + " " + path), shared));
                }
            }
            // A route of method ANY, as API Gateway's OpenAPI extension writes it.
            if (pathItem.containsKey(ANY_METHOD)) {
                ops.add(new Operation("ANY", path, map(pathItem.get(ANY_METHOD), "ANY " + path), shared));
            }
        });
        return ops;
    }

    private static Map<String, Operation> operationsByKey() {
        Map<String, Operation> byKey = new LinkedHashMap<>();
        operations().forEach(op -> byKey.put(op.key(), op));
        return byKey;
    }

    private static Map<String, Object> responses(Operation op) {
        return map(op.node().get("responses"), op.key() + " responses");
    }

    /** Whether the route's function is an {@link HttpApiHandler} (loaded, not initialised). */
    private static boolean answersWithProblems(SamTemplate.Route route) {
        try {
            Class<?> handler = Class.forName(route.handlerClass(), false, ApiContractTest.class.getClassLoader());
            return HttpApiHandler.class.isAssignableFrom(handler);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(route.routeKey() + ": handler " + route.handlerClass()
                    + " is not on the test class path", e);
        }
    }

    /** The mark of a security scheme that no gateway authorizer checks: the function does (the SCIM token). */
    private static final String HANDLER_MARK = "x-wsl-checked-by";

    /** Whether every requirement names only schemes the function itself checks. */
    private static boolean checkedByHandler(List<Object> security, Map<String, Object> schemes) {
        for (Object requirement : security) {
            Map<String, Object> names = map(requirement, "security requirement");
            if (names.isEmpty()) {
                return false;
            }
            for (String name : names.keySet()) {
                Object scheme = schemes.get(name);
                if (scheme == null || !"handler".equals(map(scheme, name).get(HANDLER_MARK))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the operation answers a page: its 200 response is {@code text/html}. */
    private static boolean isPage(Operation op) {
        Object ok = responses(op).get("200");
        return ok != null && map(map(deref(ok), op.key() + " 200").get("content"), "content").containsKey("text/html");
    }

    private static boolean isBearerJwt(Map<String, Object> scheme) {
        Object type = scheme.get("type");
        return "openIdConnect".equals(type) || "oauth2".equals(type)
                || "http".equals(type) && "bearer".equalsIgnoreCase(String.valueOf(scheme.get("scheme")));
    }

    private static boolean isProblemResponse(Map<String, Object> response) {
        Map<String, Object> content = map(response.get("content"), "content");
        if (!content.containsKey(PROBLEM_JSON)) {
            return false;
        }
        Map<String, Object> schema = map(map(content.get(PROBLEM_JSON), PROBLEM_JSON).get("schema"), "schema");
        if (PROBLEM_SCHEMA.equals(schema.get("$ref"))) {
            return true;
        }
        return list(schema.get("allOf"), "allOf").stream()
                .anyMatch(part -> part instanceof Map<?, ?> m && PROBLEM_SCHEMA.equals(m.get("$ref")));
    }

    /** Follows a Reference Object ({@code $ref}) to what it names; anything else is returned as it is. */
    private static Object deref(Object node) {
        Object current = node;
        for (int hops = 0; current instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            if (hops > 20) {
                throw new IllegalArgumentException("reference cycle at " + ref);
            }
            current = resolve(ref);
        }
        return current;
    }

    /** Resolves a local JSON pointer reference ({@code #/a/b~1c}). */
    private static Object resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("only references within the document are used here");
        }
        Object current = document;
        String pointer = ref.substring(1);
        if (pointer.isEmpty()) {
            return current;
        }
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("not a JSON pointer");
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String token = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)
                    .replace("~1", "/").replace("~0", "~");
            if (current instanceof Map<?, ?> m && m.containsKey(token)) {
                current = m.get(token);
            } else if (current instanceof List<?> l && token.matches("\\d+") && Integer.parseInt(token) < l.size()) {
                current = l.get(Integer.parseInt(token));
            } else {
                throw new IllegalArgumentException("no '" + token + "'");
            }
        }
        return current;
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add(String.valueOf(v));
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(item -> collectRefs(item, refs));
        }
    }

    // ------------------------------------------------------------------ examples

    /** Media types and parameters: {@code example} and {@code examples.*.value} against their {@code schema}. */
    private static void walkExamples(Object node, String at, List<String> errors, int[] checked) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("schema") instanceof Map<?, ?> schema) {
                walkSchema(schema, at + "/schema", errors, checked);
                if (m.containsKey("example")) {
                    checked[0]++;
                    new SchemaCheck(errors).validate(schema, m.get("example"), at + "/example");
                }
                if (m.get("examples") instanceof Map<?, ?> named) {
                    named.forEach((name, example) -> {
                        Map<String, Object> exampleObject = map(deref(example), at + "/examples/" + name);
                        if (exampleObject.containsKey("value")) {
                            checked[0]++;
                            new SchemaCheck(errors).validate(schema, exampleObject.get("value"),
                                    at + "/examples/" + name);
                        }
                    });
                }
            }
            m.forEach((k, v) -> walkExamples(v, at + "/" + k, errors, checked));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walkExamples(l.get(i), at + "/" + i, errors, checked);
            }
        }
    }

    /** Schema-level {@code examples} and {@code default} against the schema that states them. */
    private static void walkSchema(Object node, String at, List<String> errors, int[] checked) {
        if (!(node instanceof Map<?, ?> schema)) {
            return;
        }
        if (schema.get("examples") instanceof List<?> examples) {
            for (int i = 0; i < examples.size(); i++) {
                checked[0]++;
                new SchemaCheck(errors).validate(schema, examples.get(i), at + "/examples/" + i);
            }
        }
        if (schema.containsKey("default")) {
            checked[0]++;
            new SchemaCheck(errors).validate(schema, schema.get("default"), at + "/default");
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, sub) -> walkSchema(sub, at + "/properties/" + name, errors, checked));
        }
        for (String key : List.of("items", "additionalProperties", "not", "if", "then", "else")) {
            walkSchema(schema.get(key), at + "/" + key, errors, checked);
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            List<Object> parts = list(schema.get(key), key);
            for (int i = 0; i < parts.size(); i++) {
                walkSchema(parts.get(i), at + "/" + key + "/" + i, errors, checked);
            }
        }
    }

    /**
     * A validator for the subset of JSON Schema 2020-12 the contract uses. A keyword it does not
     * know is reported as an error rather than ignored, so that a passing check means something.
     */
    private static final class SchemaCheck {
        private static final Set<String> ANNOTATIONS = Set.of("description", "title", "examples", "example",
                "default", "format", "deprecated", "readOnly", "writeOnly", "$comment", "summary",
                "discriminator", "xml", "externalDocs");
        private static final Set<String> ASSERTIONS = Set.of("$ref", "type", "enum", "const", "minLength",
                "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                "minItems", "maxItems", "uniqueItems", "items", "required", "properties", "additionalProperties",
                "allOf", "anyOf", "oneOf", "not", "if", "then", "else");

        private final List<String> errors;

        SchemaCheck(List<String> errors) {
            this.errors = errors;
        }

        void validate(Object schema, Object value, String at) {
            List<String> found = new ArrayList<>();
            check(schema, value, at, found, 0);
            errors.addAll(found);
        }

        private boolean valid(Object schema, Object value, int depth) {
            List<String> scratch = new ArrayList<>();
            check(schema, value, "", scratch, depth);
            return scratch.isEmpty();
        }

        private void check(Object schemaNode, Object value, String at, List<String> out, int depth) {
            if (depth > 64) {
                out.add(at + ": schema nesting too deep (cycle?)");
                return;
            }
            if (schemaNode instanceof Boolean b) {
                if (!b) {
                    out.add(at + ": not allowed here");
                }
                return;
            }
            Map<String, Object> s = map(schemaNode, at + " schema");
            for (String keyword : s.keySet()) {
                if (!ANNOTATIONS.contains(keyword) && !ASSERTIONS.contains(keyword) && !keyword.startsWith("x-")) {
                    out.add(at + ": the contract test does not understand keyword '" + keyword + "'");
                }
            }
            if (s.get("$ref") instanceof String ref) {
                Object target;
                try {
                    target = resolve(ref);
                } catch (IllegalArgumentException e) {
                    out.add(at + ": cannot resolve " + ref + " (" + e.getMessage() + ")");
                    return;
                }
                check(target, value, at, out, depth + 1);
            }
            if (s.containsKey("type")) {
                Object type = s.get("type");
                List<Object> types = type instanceof List<?> l ? new ArrayList<>(l) : List.of(type);
                if (types.stream().noneMatch(t -> hasType(value, String.valueOf(t)))) {
                    out.add(at + ": " + describe(value) + " is not of type " + type);
                    return;
                }
            }
            if (s.containsKey("enum") && list(s.get("enum"), "enum").stream().noneMatch(e -> same(e, value))) {
                out.add(at + ": " + describe(value) + " is not one of " + s.get("enum"));
            }
            if (s.containsKey("const") && !same(s.get("const"), value)) {
                out.add(at + ": " + describe(value) + " is not " + s.get("const"));
            }
            if (value instanceof String text) {
                int length = text.codePointCount(0, text.length());
                if (s.get("minLength") instanceof Number min && length < min.intValue()) {
                    out.add(at + ": shorter than " + min);
                }
                if (s.get("maxLength") instanceof Number max && length > max.intValue()) {
                    out.add(at + ": longer than " + max);
                }
                if (s.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(text).find()) {
                    out.add(at + ": " + describe(value) + " does not match " + pattern);
                }
            }
            if (value instanceof Number && !(value instanceof Boolean)) {
                BigDecimal number = decimal(value);
                if (s.get("minimum") instanceof Number min && number.compareTo(decimal(min)) < 0) {
                    out.add(at + ": " + value + " < minimum " + min);
                }
                if (s.get("maximum") instanceof Number max && number.compareTo(decimal(max)) > 0) {
                    out.add(at + ": " + value + " > maximum " + max);
                }
                if (s.get("exclusiveMinimum") instanceof Number min && number.compareTo(decimal(min)) <= 0) {
                    out.add(at + ": " + value + " <= exclusiveMinimum " + min);
                }
                if (s.get("exclusiveMaximum") instanceof Number max && number.compareTo(decimal(max)) >= 0) {
                    out.add(at + ": " + value + " >= exclusiveMaximum " + max);
                }
            }
            if (value instanceof List<?> items) {
                if (s.get("minItems") instanceof Number min && items.size() < min.intValue()) {
                    out.add(at + ": fewer than " + min + " items");
                }
                if (s.get("maxItems") instanceof Number max && items.size() > max.intValue()) {
                    out.add(at + ": more than " + max + " items");
                }
                if (Boolean.TRUE.equals(s.get("uniqueItems")) && new HashSet<>(items).size() < items.size()) {
                    out.add(at + ": items are not unique");
                }
                if (s.containsKey("items")) {
                    for (int i = 0; i < items.size(); i++) {
                        check(s.get("items"), items.get(i), at + "/" + i, out, depth + 1);
                    }
                }
            }
            if (value instanceof Map<?, ?> object) {
                for (Object name : list(s.get("required"), at + " required")) {
                    if (!object.containsKey(name)) {
                        out.add(at + ": required member '" + name + "' is missing");
                    }
                }
                Map<String, Object> properties = map(s.get("properties"), at + " properties");
                object.forEach((name, member) -> {
                    String where = at + "/" + name;
                    if (properties.containsKey(String.valueOf(name))) {
                        check(properties.get(String.valueOf(name)), member, where, out, depth + 1);
                    } else if (s.containsKey("additionalProperties")) {
                        check(s.get("additionalProperties"), member, where, out, depth + 1);
                    }
                });
            }
            for (Object part : list(s.get("allOf"), at + " allOf")) {
                check(part, value, at, out, depth + 1);
            }
            if (s.containsKey("anyOf")
                    && list(s.get("anyOf"), at + " anyOf").stream().noneMatch(p -> valid(p, value, depth + 1))) {
                out.add(at + ": matches none of anyOf");
            }
            if (s.containsKey("oneOf")) {
                long matches = list(s.get("oneOf"), at + " oneOf").stream().filter(p -> valid(p, value, depth + 1)).count();
                if (matches != 1) {
                    out.add(at + ": matches " + matches + " of oneOf, not exactly one");
                }
            }
            if (s.containsKey("not") && valid(s.get("not"), value, depth + 1)) {
                out.add(at + ": matches the 'not' schema");
            }
            if (s.containsKey("if")) {
                String branch = valid(s.get("if"), value, depth + 1) ? "then" : "else";
                if (s.containsKey(branch)) {
                    check(s.get(branch), value, at + " (" + branch + ")", out, depth + 1);
                }
            }
        }

        private static boolean hasType(Object value, String type) {
            return switch (type) {
                case "null" -> value == null;
                case "boolean" -> value instanceof Boolean;
                case "string" -> value instanceof String;
                case "array" -> value instanceof List<?>;
                case "object" -> value instanceof Map<?, ?>;
                case "number" -> value instanceof Number;
                case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
                        || value instanceof Number n && decimal(n).stripTrailingZeros().scale() <= 0;
                default -> false;
            };
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y)) == 0;
            }
            return a == null ? b == null : a.equals(b);
        }

        private static BigDecimal decimal(Object number) {
            return new BigDecimal(number.toString());
        }

        private static String describe(Object value) {
            return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new AssertionError(where + ": expected a mapping, found " + value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private static List<Object> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw new AssertionError(where + ": expected a list, found " + value);
        }
        return new ArrayList<>(l);
    }

    private static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        return fail("no template.yaml in " + start + " or any directory above it");
    }
}
