package com.campaignflow.local.sfn.service;

import com.campaignflow.local.sfn.lambda.InvocationResult;
import com.campaignflow.local.sfn.lambda.LambdaInvoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * For the crash test's child process: every invocation appends its payload as one line to the
 * file named by the system property {@code campaignflow.invocations} (so re-runs are visible
 * after SIGKILL), takes 5-40 ms, and returns the payload.
 */
public final class RecordingLambdaInvoker implements LambdaInvoker {

    private final Path file = Path.of(System.getProperty("campaignflow.invocations"));

    @Override
    public InvocationResult invoke(String functionArn, String payloadJson) {
        synchronized (this) {
            try {
                Files.writeString(file, payloadJson.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return InvocationResult.success(payloadJson);
    }
}
