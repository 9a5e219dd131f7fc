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
        module.addSerializer(Double.class, new FiniteDouble(Double.class));
        module.addSerializer(Double.TYPE, new FiniteDouble(Double.TYPE));
        module.addSerializer(Float.class, new FiniteFloat(Float.class));
        module.addSerializer(Float.TYPE, new FiniteFloat(Float.TYPE));
        module.addSerializer(double[].class, new FiniteDoubles());
        mapper.registerModule(module);
    }

    private static final class FiniteDouble extends StdSerializer<Double> {
        FiniteDouble(Class<Double> type) {
            super(type);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    private static final class FiniteFloat extends StdSerializer<Float> {
        FiniteFloat(Class<Float> type) {
            super(type);
        }

        @Override
        public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Float.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
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
