package com.campaignflow.local.sfn.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Plain Java functions registered by ARN (or by name), invoked in the calling thread. A
 * function that throws becomes a function error with Lambda's error JSON, errorType being
 * the exception's class name as the Java runtime reports it.
 */
public final class InMemoryLambdaInvoker implements LambdaInvoker {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, UnaryOperator<JsonNode>> functions = new ConcurrentHashMap<>();

    /** Registers under the full ARN and under the bare function name. */
    public InMemoryLambdaInvoker register(String functionArnOrName, UnaryOperator<JsonNode> function) {
        functions.put(functionArnOrName, function);
        functions.put(functionName(functionArnOrName), function);
        return this;
    }

    @Override
    public InvocationResult invoke(String functionArn, String payloadJson) {
        JsonNode event;
        try {
            event = MAPPER.readTree(payloadJson);
        } catch (Exception e) {
            throw new LambdaServiceException("Lambda.InvalidRequestContentException", "Could not parse request body into json");
        }
        return call(functionArn, event);
    }

    /** In-process: the function gets its own copy of the event, no JSON text in between. */
    @Override
    public InvocationResult invokeTree(String functionArn, JsonNode payload) {
        return call(functionArn, payload.deepCopy());
    }

    private InvocationResult call(String functionArn, JsonNode event) {
        UnaryOperator<JsonNode> function = functions.get(functionArn);
        if (function == null) {
            function = functions.get(functionName(functionArn));
        }
        if (function == null) {
            throw LambdaServiceException.resourceNotFound(functionArn);
        }
        try {
            JsonNode result = function.apply(event);
            return InvocationResult.success(result == null ? MAPPER.nullNode() : result);
        } catch (LambdaServiceException e) {
            throw e;
        } catch (RuntimeException e) {
            return InvocationResult.functionError(errorJson(e));
        }
    }

    /** Lambda's Java runtime error shape: errorMessage, errorType (class name), stackTrace. */
    public static String errorJson(Throwable e) {
        ObjectNode error = MAPPER.createObjectNode();
        error.put("errorMessage", e.getMessage());
        error.put("errorType", e.getClass().getName());
        var trace = error.putArray("stackTrace");
        StackTraceElement[] elements = e.getStackTrace();
        for (int i = 0; i < Math.min(elements.length, 5); i++) {
            trace.add(elements[i].toString());
        }
        return error.toString();
    }

    /** "arn:aws:lambda:r:a:function:NAME[:qualifier]" → NAME; a bare name stays as is. */
    static String functionName(String arnOrName) {
        String[] parts = arnOrName.split(":");
        if (parts.length >= 7 && "function".equals(parts[5])) {
            return parts[6];
        }
        return arnOrName;
    }
}
