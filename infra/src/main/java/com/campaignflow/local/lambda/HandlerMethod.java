package com.campaignflow.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.campaignflow.local.template.HandlerSpec;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A handler method resolved the way the Lambda Java runtime does it: the named public method of the handler class
 * (bridge methods skipped, so a {@code RequestHandler<I, O>} resolves to its typed {@code handleRequest(I, Context)}),
 * taking {@code (InputStream, OutputStream[, Context])} for stream handlers, or {@code ([I][, Context])} for
 * POJO handlers whose input is deserialized from the event JSON with the runtime's mapping.
 */
final class HandlerMethod {

    private enum Shape { STREAM, POJO, NO_INPUT }

    private final Class<?> handlerClass;
    private final Method method;
    private final Shape shape;
    private final boolean takesContext;
    private final JavaType inputType;

    private HandlerMethod(Class<?> handlerClass, Method method, Shape shape, boolean takesContext, JavaType inputType) {
        this.handlerClass = handlerClass;
        this.method = method;
        this.shape = shape;
        this.takesContext = takesContext;
        this.inputType = inputType;
    }

    static HandlerMethod resolve(HandlerSpec spec, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(spec.className(), false, loader);
        } catch (ClassNotFoundException e) {
            throw new HandlerResolutionException("Class not found: " + spec.className(), e);
        }
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(spec.methodName()) && !m.isBridge() && !m.isSynthetic())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .sorted(Comparator.comparingInt(Method::getParameterCount).reversed())
                .toList();
        for (Method candidate : candidates) {
            HandlerMethod resolved = shapeOf(type, candidate);
            if (resolved != null) {
                return resolved;
            }
        }
        throw new HandlerResolutionException("No public method named " + spec.methodName() + " with appropriate "
                + "signature found on class " + spec.className());
    }

    private static HandlerMethod shapeOf(Class<?> type, Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        int count = parameters.length;
        boolean context = count > 0 && Context.class.isAssignableFrom(parameters[count - 1]);
        int inputs = context ? count - 1 : count;
        ObjectMapper mapper = LambdaJson.mapper();
        if (inputs == 2 && InputStream.class.isAssignableFrom(parameters[0])
                && OutputStream.class.isAssignableFrom(parameters[1])) {
            return new HandlerMethod(type, method, Shape.STREAM, context, null);
        }
        if (inputs == 1) {
            JavaType input = mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[0]);
            return new HandlerMethod(type, method, Shape.POJO, context, input);
        }
        if (inputs == 0) {
            return new HandlerMethod(type, method, Shape.NO_INPUT, context, null);
        }
        return null;
    }

    /** A new handler instance through the public no-argument constructor (what Lambda calls at init). */
    Object newInstance() throws Throwable {
        try {
            Constructor<?> constructor = handlerClass.getConstructor();
            return constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new HandlerResolutionException("Class " + handlerClass.getName() + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Runs the handler on {@code payload} and returns the response payload bytes. */
    byte[] invoke(Object instance, byte[] payload, Context context) throws Throwable {
        ObjectMapper mapper = LambdaJson.mapper();
        try {
            switch (shape) {
                case STREAM -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    InputStream in = new ByteArrayInputStream(payload);
                    if (takesContext) {
                        method.invoke(instance, in, out, context);
                    } else {
                        method.invoke(instance, in, out);
                    }
                    return out.toByteArray();
                }
                case POJO -> {
                    Object input = payload.length == 0 ? null : mapper.readValue(payload, inputType);
                    Object output = takesContext ? method.invoke(instance, input, context) : method.invoke(instance, input);
                    return serialize(mapper, output);
                }
                default -> {
                    Object output = takesContext ? method.invoke(instance, context) : method.invoke(instance);
                    return serialize(mapper, output);
                }
            }
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputDeserializationException(inputType, e);
        }
    }

    private static byte[] serialize(ObjectMapper mapper, Object output) throws Exception {
        return mapper.writeValueAsBytes(output); // a null result is the payload "null", as on Lambda
    }

    /** A failure of the runtime itself, reported with the errorType the Lambda Java runtime uses for it. */
    abstract static class RuntimeFailure extends RuntimeException {
        RuntimeFailure(String message, Throwable cause) {
            super(message, cause);
        }

        abstract String errorType();
    }

    /** Thrown when the handler string names no class, or a class without a usable handler method or constructor. */
    static final class HandlerResolutionException extends RuntimeFailure {
        HandlerResolutionException(String message) {
            super(message, null);
        }

        HandlerResolutionException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        String errorType() {
            return getCause() instanceof ClassNotFoundException ? ClassNotFoundException.class.getName()
                    : NoSuchMethodException.class.getName();
        }
    }

    /** Thrown when the event JSON does not fit the handler's input type (the runtime fails the same way). */
    static final class InputDeserializationException extends RuntimeFailure {
        InputDeserializationException(JavaType type, Exception cause) {
            super("An error occurred during JSON parsing: cannot read the event as " + type.toCanonical() + ": "
                    + cause.getMessage(), cause);
        }

        @Override
        String errorType() {
            return RuntimeException.class.getName();
        }
    }
}
