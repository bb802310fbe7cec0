package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
        Duration timeout = template.timeout(functionId);
        LocalContext context = new LocalContext(requestId, functionId, timeout, template.memorySize(functionId), clock);
        Instant start = clock.instant();
        try {
            return handler.handleRequest(input, context);
        } finally {
            Duration took = Duration.between(start, clock.instant());
            if (took.compareTo(timeout) > 0) {
                System.err.printf("[%s %s] WARNING took %d ms, over its Timeout of %d s: Lambda would have stopped it%n",
                        functionId, requestId, took.toMillis(), timeout.toSeconds());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <I, O> RequestHandler<I, O> handler(String className) {
        Object instance = instances.computeIfAbsent(className, FunctionInvoker::instantiate);
        if (!(instance instanceof RequestHandler<?, ?> handler)) {
            throw new IllegalStateException(className + " does not implement " + RequestHandler.class.getName());
        }
        return (RequestHandler<I, O>) handler;
    }

    private static Object instantiate(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
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
