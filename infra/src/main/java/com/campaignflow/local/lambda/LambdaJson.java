package com.campaignflow.local.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.joda.time.DateTime;
import org.joda.time.format.ISODateTimeFormat;

/**
 * The JSON mapping of the AWS Lambda Java runtime (aws-lambda-java-serialization): standard JavaBean naming (so
 * {@code getIsBase64Encoded} is {@code isBase64Encoded}), case-sensitive names, unknown properties ignored, nulls
 * left out of the output, lenient parsing, java.time and Optional support, the event mixins that rename fields
 * ({@code detail-type} of ScheduledEvent) and ISO-8601 Joda dates for the events library.
 */
public final class LambdaJson {

    private static final ObjectMapper MAPPER = create();

    private LambdaJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.USE_STD_BEAN_NAMING)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.AUTO_DETECT_CREATORS)
                .disable(MapperFeature.INFER_PROPERTY_MUTATORS)
                .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                        JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addMixIn(ScheduledEvent.class, ScheduledEventMixin.class)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(jodaModule())
                .build();
        return mapper;
    }

    private abstract static class ScheduledEventMixin {
        @JsonProperty("detail-type")
        abstract String getDetailType();

        @JsonProperty("detail-type")
        abstract void setDetailType(String detailType);
    }

    private static SimpleModule jodaModule() {
        SimpleModule module = new SimpleModule("LambdaJodaDates");
        module.addSerializer(DateTime.class, new JsonSerializer<>() {
            @Override
            public void serialize(DateTime value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(ISODateTimeFormat.dateTime().withZoneUTC().print(value));
            }
        });
        module.addDeserializer(DateTime.class, new JsonDeserializer<>() {
            @Override
            public DateTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return ISODateTimeFormat.dateTimeParser().withOffsetParsed().parseDateTime(parser.getValueAsString());
            }
        });
        return module;
    }
}
