package dev.chorus.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * NaN and the infinities never reach JSON: every {@code double}, {@code Double}, {@code float} and
 * {@code double[]} element that is not finite is written as {@code null}, which every client reads as
 * "no number" (Jackson would write the string {@code "NaN"}, on which a page's arithmetic breaks). Stored
 * results are checked to be finite before they are stored; this is the last line for anything older or
 * computed from them (a mean of nothing, a ratio over zero).
 */
@Singleton
class FiniteNumbers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("chorus-finite-numbers");
        module.addSerializer(Double.class, new Finite<>(Double.class));
        module.addSerializer(Double.TYPE, new Finite<>(Double.TYPE));
        module.addSerializer(Float.class, new Finite<>(Float.class));
        module.addSerializer(Float.TYPE, new Finite<>(Float.TYPE));
        module.addSerializer(double[].class, new FiniteDoubles());
        mapper.registerModule(module);
    }

    /** A {@code double} or {@code float}, boxed or not: the number when finite, else null. */
    private static final class Finite<T extends Number> extends StdSerializer<T> {
        Finite(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (!Double.isFinite(value.doubleValue())) {
                gen.writeNull();
            } else if (value instanceof Float f) {
                gen.writeNumber(f);
            } else {
                gen.writeNumber(value.doubleValue());
            }
        }
    }

    private static final class FiniteDoubles extends StdSerializer<double[]> {
        FiniteDoubles() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(values, values.length);
            for (double v : values) {
                if (Double.isFinite(v)) {
                    gen.writeNumber(v);
                } else {
                    gen.writeNull();
                }
            }
            gen.writeEndArray();
        }
    }
}
