package dev.wsl.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a response body with jackson-core's streaming generator (no data binding on a function's cold path), byte
 * for byte as the ObjectMapper with NON_NULL inclusion wrote it: a record as an object of its components in
 * declaration order, a Map as an object in its iteration order, a Collection or array as an array, an enum as its
 * name; a null component or map value is left out (a null inside a list is written). Any other type is refused.
 * Thread-safe.
 */
public final class JsonWriter {
    /** Each record type's accessors, in declaration order, looked up once. */
    private static final ClassValue<Accessor[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessor[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Accessor[] accessors = new Accessor[components.length];
            for (int i = 0; i < components.length; i++) {
                Method method = components[i].getAccessor();
                // the views are package-private records: read them as the ObjectMapper did, past the access check
                method.setAccessible(true);
                accessors[i] = new Accessor(components[i].getName(), method);
            }
            return accessors;
        }
    };

    private JsonWriter() {}

    private record Accessor(String name, Method method) {
        Object read(Record target) {
            try {
                return method.invoke(target);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + name + " of " + target.getClass().getName(), e);
            }
        }
    }

    /** @throws IllegalArgumentException for a value (or a part of it) of a type without a JSON form here */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonTree.FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigDecimal d -> g.writeNumber(d);
            case BigInteger i -> g.writeNumber(i);
            case Character c -> g.writeString(c.toString());
            case Enum<?> e -> g.writeString(e.name());
            case Record r -> record(g, r);
            case Map<?, ?> m -> map(g, m);
            case Collection<?> c -> array(g, c);
            case Object[] a -> array(g, java.util.Arrays.asList(a));
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void record(JsonGenerator g, Record value) throws IOException {
        g.writeStartObject();
        for (Accessor accessor : ACCESSORS.get(value.getClass())) {
            Object field = accessor.read(value);
            if (field != null) {
                g.writeFieldName(accessor.name());
                write(g, field);
            }
        }
        g.writeEndObject();
    }

    private static void map(JsonGenerator g, Map<?, ?> value) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : value.entrySet()) {
            if (e.getValue() != null) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("a map key is null");
                }
                g.writeFieldName(e.getKey() instanceof Enum<?> key ? key.name() : e.getKey().toString());
                write(g, e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void array(JsonGenerator g, Collection<?> value) throws IOException {
        g.writeStartArray();
        for (Object item : value) {
            write(g, item);
        }
        g.writeEndArray();
    }
}
