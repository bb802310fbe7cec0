package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Invokes the template's functions in this JVM. Each handler class is instantiated once, on first
 * use, by the name in the template (the handlers are never referenced at compile time, so the
 * template alone decides what runs). As in Lambda, an instance serves many invocations; unlike in
 * Lambda, it may serve several at once, so handlers must be stateless apart from thread-safe
 * clients — which they have to be anyway to survive SnapStart and warm reuse.
 */
final class FunctionInvoker {

    private final SamTemplate template;
    private final Clock clock;
    private final Map<String, Object> instances = new ConcurrentHashMap<>();
    /** Where new instances come from: the runtime's own loader until a function is first re-created. */
    private volatile ClassLoader loader;
    private int generation;

    FunctionInvoker(SamTemplate template, Clock clock) {
        this.template = template;
        this.clock = clock;
    }

    /** The template whose functions this invokes. */
    SamTemplate template() {
        return template;
    }

    /**
     * Runs the function's handler with a fresh {@link LocalContext}. Whatever the handler throws
     * is rethrown; the caller decides what it means (a 500, a batch retry, a failed schedule).
     */
    <I, O> O invoke(String functionId, I input) {
        return invoke(functionId, input, UUID.randomUUID().toString());
    }

    <I, O> O invoke(String functionId, I input, String requestId) {
        RequestHandler<I, O> handler = handler(template.handlerClass(functionId));
        return timed(functionId, requestId, context -> handler.handleRequest(input, context));
    }

    /**
     * Runs the function with a JSON event and returns its JSON answer, as Lambda does for an event
     * source that speaks JSON (an API Gateway authorizer): a {@link RequestStreamHandler} gets the
     * bytes; a {@link RequestHandler} gets the event bound to its declared input type, and its
     * result is written back as JSON.
     */
    String invokeJson(String functionId, String event, String requestId) {
        Object instance = instance(template.handlerClass(functionId));
        return timed(functionId, requestId, context -> {
            try {
                if (instance instanceof RequestStreamHandler stream) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    stream.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (instance instanceof RequestHandler<?, ?> handler) {
                    Object input = Json.MAPPER.readValue(event, Json.MAPPER.constructType(inputType(instance.getClass())));
                    @SuppressWarnings("unchecked")
                    RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
                    return Json.MAPPER.writeValueAsString(typed.handleRequest(input, context));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException(instance.getClass().getName() + " is no Lambda handler");
        });
    }

    private <T> T timed(String functionId, String requestId, Function<LocalContext, T> invocation) {
        Duration timeout = template.timeout(functionId);
        LocalContext context = new LocalContext(requestId, functionId, timeout, template.memorySize(functionId), clock);
        Instant start = clock.instant();
        try {
            return invocation.apply(context);
        } finally {
            Duration took = Duration.between(start, clock.instant());
            if (took.compareTo(timeout) > 0) {
                System.err.printf("[%s %s] WARNING took %d ms, over its Timeout of %d s: Lambda would have stopped it%n",
                        functionId, requestId, took.toMillis(), timeout.toSeconds());
            }
        }
    }

    /**
     * Gives the functions fresh instances, as a new cold start would: their handler classes (and the
     * project's shared classes they use) are loaded again by a new loader, so that static wiring reads
     * the configuration as it is now. Each is created at once, so that a function whose configuration
     * does not work fails here, not at its next invocation; then it replaces the old instance.
     *
     * @throws IllegalStateException naming the first function that cannot be created (nothing is replaced then)
     */
    synchronized void recreate(java.util.Collection<String> functionIds) {
        ClassLoader next = new FunctionClassLoader("functions-" + (generation + 1), FunctionInvoker.class.getClassLoader());
        Map<String, Object> fresh = new java.util.LinkedHashMap<>();
        for (String functionId : functionIds) {
            String className = template.handlerClass(functionId);
            fresh.computeIfAbsent(className, name -> instantiate(name, next));
        }
        generation++;
        loader = next;
        instances.putAll(fresh);
    }

    @SuppressWarnings("unchecked")
    private <I, O> RequestHandler<I, O> handler(String className) {
        Object instance = instance(className);
        if (!(instance instanceof RequestHandler<?, ?> handler)) {
            throw new IllegalStateException(className + " does not implement " + RequestHandler.class.getName());
        }
        return (RequestHandler<I, O>) handler;
    }

    private Object instance(String className) {
        return instances.computeIfAbsent(className, name -> instantiate(name, loader));
    }

    /** The {@code I} of {@code RequestHandler<I, O>} as the handler class declares it (Object if it does not say). */
    private static Type inputType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type i : c.getGenericInterfaces()) {
                if (i instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        return Object.class;
    }

    private static Object instantiate(String className, ClassLoader given) {
        ClassLoader loader = given != null ? given : Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FunctionInvoker.class.getClassLoader();
        }
        try {
            return Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the constructor of " + className + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate handler " + className
                    + " (is its module built and on the classpath, with a public no-arg constructor?)", e);
        }
    }
}
