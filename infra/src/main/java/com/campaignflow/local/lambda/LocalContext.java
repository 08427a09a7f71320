package com.campaignflow.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.campaignflow.local.template.SamFunction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/** The Lambda {@link Context} of one local invocation; the logger writes to stderr prefixed with function and request. */
final class LocalContext implements Context {

    private final SamFunction function;
    private final String invokedArn;
    private final String requestId;
    /** Set when init is done: the timeout counts from there. */
    private volatile Instant deadline;
    private final Clock clock;
    private final LambdaLogger logger;

    LocalContext(SamFunction function, String invokedArn, String requestId, Clock clock, PrintStream log) {
        this.function = function;
        this.invokedArn = invokedArn;
        this.requestId = requestId;
        this.clock = clock;
        String prefix = "[" + function.logicalId() + " " + requestId + "] ";
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                log.println(prefix + message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    /** Starts the invocation's timeout (after init, as Lambda does). */
    void startTimeout() {
        deadline = clock.instant().plus(function.timeout());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function.logicalId();
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + function.logicalId();
    }

    @Override
    public String getFunctionName() {
        return function.logicalId();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        Instant end = deadline;
        return end == null ? (int) function.timeout().toMillis() : (int) Math.max(0, end.toEpochMilli() - clock.millis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
