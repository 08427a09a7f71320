package com.campaignflow.local.lambda;

import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.local.template.LocalArns;
import com.campaignflow.local.template.SamFunction;
import com.campaignflow.local.template.SamTemplate;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the functions of a SAM template in this JVM the way Lambda runs them: each invocation gets an execution
 * environment (a handler instance built by its no-argument constructor with the function's environment bound through
 * {@link FunctionEnvironment}), reused warm by later invocations; concurrent invocations of one function each get their
 * own instance, as Lambda scales out environments. Invocations run on virtual threads and are cut at the function's
 * timeout; a timed-out or crashed environment is thrown away, a handler exception keeps it warm.
 *
 * <p>Function errors have the Java runtime's shape {@code {"errorMessage","errorType","stackTrace","cause"}}. A timeout
 * is {@code {"errorMessage":"RequestId: <id> Error: Task timed out after N.NN seconds","errorType":"Sandbox.Timedout"}},
 * which Step Functions reports as error {@code Sandbox.Timedout}.
 *
 * <p>To serve as the Step Functions engine's Lambda invoker: map {@link InvocationResult.Success} to a success and
 * {@link InvocationResult.FunctionError} to an {@code Unhandled} function error with the same payload, and
 * {@link UnknownFunctionException} to Lambda's {@code ResourceNotFoundException}.
 */
public final class LocalLambdaRuntime implements AutoCloseable {

    public static final String TIMEOUT_ERROR_TYPE = "Sandbox.Timedout";
    /** Lambda's limit on a synchronous invocation's response. */
    public static final int MAX_RESPONSE_BYTES = 6_291_556;
    public static final String RESPONSE_TOO_LARGE_ERROR_TYPE = "Function.ResponseSizeTooLarge";

    private final Map<String, Environments> functions = new LinkedHashMap<>();
    private final ClassLoader classLoader;
    private final Clock clock;
    private final PrintStream log;
    /** How long closing waits for invocations in flight before interrupting them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public LocalLambdaRuntime(SamTemplate template) {
        this(template.functions().values(), Thread.currentThread().getContextClassLoader(), Clock.systemUTC(), System.err);
    }

    public LocalLambdaRuntime(Collection<SamFunction> functions, ClassLoader classLoader, Clock clock, PrintStream log) {
        for (SamFunction function : functions) {
            this.functions.put(function.logicalId(), new Environments(function));
        }
        this.classLoader = classLoader;
        this.clock = clock;
        this.log = log;
    }

    /** The function with this name or (possibly qualified, possibly partial) ARN. */
    public Optional<SamFunction> function(String nameOrArn) {
        return LocalArns.functionName(nameOrArn).map(functions::get).map(e -> e.function);
    }

    public Collection<SamFunction> functions() {
        return functions.values().stream().map(e -> e.function).toList();
    }

    /** Invokes the function synchronously (RequestResponse) with a JSON event. */
    public InvocationResult invoke(String functionNameOrArn, String payloadJson) {
        return invoke(functionNameOrArn, payloadJson == null ? new byte[0] : payloadJson.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Invokes the function synchronously with raw event bytes.
     *
     * @throws UnknownFunctionException when the template has no such function
     */
    public InvocationResult invoke(String functionNameOrArn, byte[] payload) {
        Environments environments = LocalArns.functionName(functionNameOrArn).map(functions::get)
                .orElseThrow(() -> new UnknownFunctionException(functionNameOrArn));
        SamFunction function = environments.function;
        String requestId = UUID.randomUUID().toString();
        Duration timeout = function.timeout();
        Instant deadline = clock.instant().plus(timeout);
        LocalContext context = new LocalContext(function, requestId, deadline, clock, log);
        Invocation invocation = new Invocation();
        Future<byte[]> result = executor.submit(() -> FunctionEnvironment.runWith(environments.variables,
                () -> environments.run(invocation, payload, context)));
        try {
            byte[] response = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.length > MAX_RESPONSE_BYTES) {
                // as Lambda: a synchronous answer over 6 MB is an error (API Gateway then answers 502)
                String message = "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES
                        + " bytes).";
                context.getLogger().log("RequestId: " + requestId + " Error: " + message);
                ObjectNode error = LambdaJson.mapper().createObjectNode()
                        .put("errorMessage", message).put("errorType", RESPONSE_TOO_LARGE_ERROR_TYPE);
                return new InvocationResult.FunctionError(RESPONSE_TOO_LARGE_ERROR_TYPE, message, List.of(),
                        error.toString(), requestId);
            }
            return new InvocationResult.Success(new String(response, StandardCharsets.UTF_8), requestId);
        } catch (ExecutionException e) {
            return functionError(e.getCause(), requestId);
        } catch (TimeoutException e) {
            invocation.abandoned = true;
            result.cancel(true);
            String message = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                    requestId, timeout.toMillis() / 1000.0);
            context.getLogger().log(message);
            ObjectNode error = LambdaJson.mapper().createObjectNode()
                    .put("errorMessage", message).put("errorType", TIMEOUT_ERROR_TYPE);
            return new InvocationResult.FunctionError(TIMEOUT_ERROR_TYPE, message, List.of(), error.toString(), requestId);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + function.logicalId(), e);
        }
    }

    /** How many idle warm environments the function has (for operations and tests). */
    public int warmEnvironments(String functionName) {
        Environments environments = functions.get(functionName);
        return environments == null ? 0 : environments.idle.size();
    }

    /**
     * Lets the invocations in flight end (up to {@link #CLOSE_GRACE}): a function whose result nobody awaits any more
     * (a Parallel branch after a sibling failed the state) still records its run, as it would on Lambda. Then
     * interrupts what still runs and waits (up to 10 s) for it to end, so that no handler of a closed runtime still
     * writes to the stores, as no process is left of a stopped Lambda environment.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static final class Invocation {
        volatile boolean abandoned;
    }

    /** The warm execution environments (handler instances) of one function. */
    private final class Environments {
        final SamFunction function;
        final Map<String, String> variables;
        final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
        volatile HandlerMethod method;

        Environments(SamFunction function) {
            this.function = function;
            this.variables = environmentOf(function);
        }

        byte[] run(Invocation invocation, byte[] payload, LocalContext context) throws Exception {
            try {
                return runOrThrow(invocation, payload, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.lang.reflect.UndeclaredThrowableException(t);
            }
        }

        private byte[] runOrThrow(Invocation invocation, byte[] payload, LocalContext context) throws Throwable {
            HandlerMethod handler = method;
            if (handler == null) {
                handler = HandlerMethod.resolve(function.handler(), classLoader);
                method = handler;
            }
            Object instance = idle.pollFirst();
            if (instance == null) {
                instance = handler.newInstance(); // init: a failure here leaves no environment, the next call retries
            }
            try {
                byte[] response = handler.invoke(instance, payload, context);
                release(invocation, instance);
                return response;
            } catch (Exception e) {
                release(invocation, instance);
                throw e;
            }
            // An Error (OutOfMemoryError, StackOverflowError ...) crashes the environment: it is not reused.
        }

        private void release(Invocation invocation, Object instance) {
            if (!invocation.abandoned) {
                idle.offerFirst(instance);
            }
        }
    }

    /**
     * The variables Lambda itself sets in every execution environment, then the template's (which win locally, so the
     * local command can point AWS_REGION or endpoints elsewhere).
     */
    static Map<String, String> environmentOf(SamFunction function) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_REGION", LocalArns.REGION);
        variables.put("AWS_DEFAULT_REGION", LocalArns.REGION);
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
        variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        variables.putAll(function.environment());
        return Map.copyOf(variables);
    }

    // ---- the Java runtime's error JSON ----

    static InvocationResult.FunctionError functionError(Throwable failure, String requestId) {
        String errorType = failure instanceof HandlerMethod.RuntimeFailure runtime ? runtime.errorType()
                : failure.getClass().getName();
        ObjectNode error = errorJson(failure, errorType);
        List<String> stackTrace = new ArrayList<>();
        error.withArray("stackTrace").forEach(frame -> stackTrace.add(frame.asText()));
        return new InvocationResult.FunctionError(errorType, failure.getMessage(), stackTrace, error.toString(), requestId);
    }

    private static ObjectNode errorJson(Throwable failure, String errorType) {
        ObjectNode error = LambdaJson.mapper().createObjectNode();
        if (failure.getMessage() != null) {
            error.put("errorMessage", failure.getMessage());
        }
        error.put("errorType", errorType);
        ArrayNode frames = error.putArray("stackTrace");
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (isRuntimeFrame(frame)) {
                break; // the frames below the handler belong to the runtime, which Lambda does not show
            }
            frames.add(frame.getClassName() + "." + frame.getMethodName() + "("
                    + (frame.getFileName() == null ? "Unknown Source" : frame.getFileName())
                    + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "") + ")");
        }
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            error.set("cause", errorJson(cause, cause.getClass().getName()));
        }
        return error;
    }

    private static boolean isRuntimeFrame(StackTraceElement frame) {
        String className = frame.getClassName();
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.reflect.")
                || className.startsWith(LocalLambdaRuntime.class.getPackageName() + ".");
    }
}
