package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.history.ExecutionListener;
import com.campaignflow.local.sfn.lambda.LambdaInvoker;
import com.campaignflow.local.sfn.mock.MockConfig;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an execution needs besides its definition and input. Build with
 * {@link #builder()}; unset values default to a random name, the wall clock, no functions,
 * no mocks and no listener.
 *
 * @param startAt     top-level state to start at instead of StartAt (resume / redrive); null = StartAt
 * @param redriveCount $$.Execution.RedriveCount
 * @param redriveTime  $$.Execution.RedriveTime, null when never redriven
 * @param mockInvocationsSoFar per state name, how many invocations an earlier run of this
 *                     execution already made (mock indexes continue from there on redrive)
 * @param maxHistoryEvents the most events the execution's history may hold (redrives included); the event that
 *                     would take the last place fails the execution with States.Runtime instead
 */
public record ExecutionOptions(String name, String stateMachineName, String region, String accountId,
        String roleArn, EngineClock clock, LambdaInvoker invoker, MockConfig.TestCase mocks,
        ExecutionListener listener, String startAt, int redriveCount, Instant redriveTime,
        Map<String, Integer> mockInvocationsSoFar, int maxHistoryEvents) {

    /** As on AWS, a Standard execution's history holds at most 25,000 events. */
    public static final int MAX_HISTORY_EVENTS = 25_000;

    public static Builder builder() {
        return new Builder();
    }

    public String stateMachineArn() {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + stateMachineName;
    }

    public String executionArn() {
        return "arn:aws:states:" + region + ":" + accountId + ":execution:" + stateMachineName + ":" + name;
    }

    /** Qualifies a bare function name (or partial ARN) the way the Lambda API does. */
    String functionArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + nameOrArn;
    }

    /** Options builder. */
    public static final class Builder {
        private String name;
        private String stateMachineName = "StateMachine";
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private String roleArn;
        private EngineClock clock = EngineClock.system();
        private LambdaInvoker invoker = LambdaInvoker.none();
        private MockConfig.TestCase mocks;
        private ExecutionListener listener = ExecutionListener.NONE;
        private String startAt;
        private int redriveCount;
        private Instant redriveTime;
        private Map<String, Integer> mockInvocationsSoFar = Map.of();
        private int maxHistoryEvents = MAX_HISTORY_EVENTS;

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder stateMachineName(String stateMachineName) {
            this.stateMachineName = stateMachineName;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder roleArn(String roleArn) {
            this.roleArn = roleArn;
            return this;
        }

        public Builder clock(EngineClock clock) {
            this.clock = clock;
            return this;
        }

        public Builder invoker(LambdaInvoker invoker) {
            this.invoker = invoker;
            return this;
        }

        public Builder mocks(MockConfig.TestCase mocks) {
            this.mocks = mocks;
            return this;
        }

        public Builder listener(ExecutionListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder startAt(String stateName) {
            this.startAt = stateName;
            return this;
        }

        public Builder redrive(int count, Instant time) {
            this.redriveCount = count;
            this.redriveTime = time;
            return this;
        }

        public Builder mockInvocationsSoFar(Map<String, Integer> counts) {
            this.mockInvocationsSoFar = Map.copyOf(counts);
            return this;
        }

        public Builder maxHistoryEvents(int max) {
            if (max < 2) {
                throw new IllegalArgumentException("a history holds at least 2 events, got " + max);
            }
            this.maxHistoryEvents = max;
            return this;
        }

        public ExecutionOptions build() {
            String n = name != null ? name : UUID.randomUUID().toString();
            String role = roleArn != null ? roleArn
                    : "arn:aws:iam::" + accountId + ":role/" + stateMachineName + "-role";
            return new ExecutionOptions(n, stateMachineName, region, accountId, role, clock, invoker, mocks, listener,
                    startAt, redriveCount, redriveTime, mockInvocationsSoFar, maxHistoryEvents);
        }
    }

}
