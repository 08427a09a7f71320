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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
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
 * timeout, which starts after the environment's init (its constructor, bounded by Lambda's own 10 s Init limit); a
 * timed-out or crashed environment is thrown away, a handler exception keeps it warm. Java cannot stop a thread that
 * ignores its interrupt: one still running some seconds after its timeout gets a warning on the log.
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
    /** Lambda's limit on a synchronous invocation's request. */
    public static final int MAX_REQUEST_BYTES = 6_291_456;
    /** Lambda's limit on the Init phase, which does not count against the function's Timeout. */
    public static final Duration INIT_LIMIT = Duration.ofSeconds(10);
    public static final String INIT_ERROR_TYPE = "Runtime.InitError";
    /** How long after its timeout an invocation still running is worth a warning. */
    static final Duration STILL_RUNNING_WARNING = Duration.ofSeconds(5);

    private final Map<String, Environments> functions = new LinkedHashMap<>();
    private final ClassLoader classLoader;
    private final Clock clock;
    private final PrintStream log;
    private final Duration initLimit;
    private final Duration stillRunningWarning;
    /** How long closing waits for invocations in flight before interrupting them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public LocalLambdaRuntime(SamTemplate template) {
        this(template.functions().values(), Thread.currentThread().getContextClassLoader(), Clock.systemUTC(), System.err);
    }

    public LocalLambdaRuntime(Collection<SamFunction> functions, ClassLoader classLoader, Clock clock, PrintStream log) {
        this(functions, classLoader, clock, log, INIT_LIMIT, STILL_RUNNING_WARNING);
    }

    /** With shorter init limit and still-running warning, for tests. */
    LocalLambdaRuntime(Collection<SamFunction> functions, ClassLoader classLoader, Clock clock, PrintStream log,
                       Duration initLimit, Duration stillRunningWarning) {
        for (SamFunction function : functions) {
            this.functions.put(function.logicalId(), new Environments(function));
        }
        this.classLoader = classLoader;
        this.clock = clock;
        this.log = log;
        this.initLimit = initLimit;
        this.stillRunningWarning = stillRunningWarning;
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
     * Invokes the function synchronously with raw event bytes. The name may be qualified with {@code $LATEST} or the
     * function's {@code AutoPublishAlias}; the handler's {@link com.amazonaws.services.lambda.runtime.Context} then gives
     * that qualified ARN.
     *
     * @throws UnknownFunctionException   when the template has no such function, or it has no such qualifier
     * @throws RequestTooLargeException when the payload is over Lambda's 6 MB request limit
     */
    public InvocationResult invoke(String functionNameOrArn, byte[] payload) {
        Environments environments = LocalArns.functionName(functionNameOrArn).map(functions::get)
                .orElseThrow(() -> new UnknownFunctionException(functionNameOrArn));
        SamFunction function = environments.function;
        Optional<String> qualifier = LocalArns.qualifier(functionNameOrArn);
        if (qualifier.isPresent() && !qualifier.get().equals("$LATEST")
                && !qualifier.get().equals(function.autoPublishAlias())) {
            throw new UnknownFunctionException(functionNameOrArn);
        }
        if (payload.length > MAX_REQUEST_BYTES) {
            throw new RequestTooLargeException();
        }
        String requestId = UUID.randomUUID().toString();
        Duration timeout = function.timeout();
        LocalContext context = new LocalContext(function, function.arn() + qualifier.map(q -> ":" + q).orElse(""),
                requestId, clock, log);
        Invocation invocation = new Invocation();
        Future<byte[]> result = executor.submit(() -> {
            try {
                return FunctionEnvironment.runWith(environments.variables,
                        () -> environments.run(invocation, payload, context));
            } finally {
                invocation.ended.countDown();
            }
        });
        try {
            if (!initialized(invocation)) {
                String message = String.format(Locale.ROOT, "RequestId: %s Error: Init (the handler's class and "
                        + "constructor) did not finish within Lambda's Init limit of %d seconds", requestId,
                        initLimit.toSeconds());
                return abandon(invocation, result, context, INIT_ERROR_TYPE, message, "Init limit");
            }
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
            String message = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                    requestId, timeout.toMillis() / 1000.0);
            return abandon(invocation, result, context, TIMEOUT_ERROR_TYPE, message, "timeout");
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + function.logicalId(), e);
        }
    }

    /** Waits for the environment's init; false when it outlives the Init limit (a failed init is reported by the result). */
    private boolean initialized(Invocation invocation) throws InterruptedException {
        try {
            invocation.initialized.get(initLimit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Gives up on an invocation past its limit: its environment is discarded, its thread interrupted. */
    private InvocationResult abandon(Invocation invocation, Future<byte[]> result, LocalContext context, String errorType,
                                     String message, String limit) {
        invocation.abandoned = true;
        result.cancel(true);
        context.getLogger().log(message);
        Thread.ofVirtual().start(() -> {
            try {
                if (!invocation.ended.await(stillRunningWarning.toMillis(), TimeUnit.MILLISECONDS)) {
                    context.getLogger().log(String.format(Locale.ROOT, "warning: still running %.1f s after its %s,"
                            + " ignoring the interrupt; Java cannot stop the thread, which keeps a core busy until the"
                            + " handler returns", stillRunningWarning.toMillis() / 1000.0, limit));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ObjectNode error = LambdaJson.mapper().createObjectNode().put("errorMessage", message).put("errorType", errorType);
        return new InvocationResult.FunctionError(errorType, message, List.of(), error.toString(), context.getAwsRequestId());
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
        /** Completed when the environment is ready and the timeout starts (exceptionally when init failed). */
        final CompletableFuture<Void> initialized = new CompletableFuture<>();
        final CountDownLatch ended = new CountDownLatch(1);
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
            HandlerMethod handler;
            Object instance;
            try {
                handler = method;
                if (handler == null) {
                    handler = HandlerMethod.resolve(function.handler(), classLoader);
                    method = handler;
                }
                instance = idle.pollFirst();
                if (instance == null) {
                    instance = handler.newInstance(); // init: a failure here leaves no environment, the next call retries
                }
            } catch (Throwable t) {
                invocation.initialized.completeExceptionally(t);
                throw t;
            }
            if (invocation.abandoned) {
                return new byte[0]; // init outlived its limit: the caller has its error, the environment is dropped
            }
            context.startTimeout();
            invocation.initialized.complete(null);
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
