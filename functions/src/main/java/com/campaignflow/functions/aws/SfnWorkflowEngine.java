package com.campaignflow.functions.aws;

import com.campaignflow.functions.ports.WorkflowEngine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * {@link WorkflowEngine} on AWS Step Functions (or anything speaking its API, such as the local engine).
 *
 * <p>Non-default plans get their own STANDARD state machine named {@code <prefix><definition hash>}, so a name
 * identifies one definition. {@link #ensureStateMachine} therefore describes the machine first (its ARN is
 * {@code stateMachineArnPrefix + name}, which keeps IAM scoped to the prefix: no ListStateMachines on {@code *}),
 * reuses it when the definition is equal as JSON, creates it when absent, and refuses — rather than updates — a
 * machine of that name with another definition, since executions of the old one may still be running and the
 * mismatch means the name no longer identifies the definition. A reused machine whose role is not this stack's (the
 * role was replaced) gets the role: an UpdateStateMachine of the role alone, which running executions do not see.
 * CreateStateMachine is eventually consistent, so a StartExecution that finds no machine is retried for a moment.
 *
 * <p>Errors: unknown executions are {@link NoSuchElementException}; a name reused with another input, or a redrive
 * of an execution that cannot be redriven, is {@link IllegalStateException}.
 */
public final class SfnWorkflowEngine implements WorkflowEngine {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int START_ATTEMPTS = 4; // waits 0.2 + 0.4 + 0.8 s at most
    private static final long START_RETRY_MILLIS = 200;

    private final SfnClient sfn;
    private final String roleArn;
    private final String stateMachineArnPrefix;

    /**
     * @param roleArn               the role passed to CreateStateMachine ({@code STATE_MACHINE_ROLE_ARN})
     * @param stateMachineArnPrefix {@code arn:<partition>:states:<region>:<account>:stateMachine:}; see
     *                              {@link #arnPrefixOf(String)}
     */
    public SfnWorkflowEngine(SfnClient sfn, String roleArn, String stateMachineArnPrefix) {
        if (roleArn == null || roleArn.isBlank()) {
            throw new IllegalArgumentException("state machine role ARN is empty");
        }
        if (stateMachineArnPrefix == null || !stateMachineArnPrefix.endsWith(":stateMachine:")) {
            throw new IllegalArgumentException("not a state machine ARN prefix: " + stateMachineArnPrefix);
        }
        this.sfn = sfn;
        this.roleArn = roleArn;
        this.stateMachineArnPrefix = stateMachineArnPrefix;
    }

    /** The ARN prefix of the account and region of a known state machine ARN (e.g. {@code STATE_MACHINE_ARN}). */
    public static String arnPrefixOf(String stateMachineArn) {
        int at = stateMachineArn == null ? -1 : stateMachineArn.indexOf(":stateMachine:");
        if (at < 0 || !stateMachineArn.startsWith("arn:")) {
            throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
        }
        return stateMachineArn.substring(0, at + ":stateMachine:".length());
    }

    @Override
    public String ensureStateMachine(String name, String definitionJson) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid state machine name (1-80 of A-Z a-z 0-9 _ -): " + name);
        }
        JsonNode definition = parse("definition of state machine " + name, definitionJson);
        String arn = stateMachineArnPrefix + name;
        Optional<DescribeStateMachineResponse> existing = describeStateMachine(arn);
        if (existing.isEmpty()) {
            try {
                // Tracing as on the default machine (template.yaml); the role may send X-Ray segments.
                return sfn.createStateMachine(c -> c.name(name).definition(definitionJson).roleArn(roleArn)
                        .type(StateMachineType.STANDARD).tracingConfiguration(t -> t.enabled(true)))
                        .stateMachineArn();
            } catch (StateMachineAlreadyExistsException e) {
                // Created concurrently by another request; check it is ours below.
                existing = describeStateMachine(arn);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        JsonNode deployed = parse("deployed definition of " + arn, existing.get().definition());
        if (!deployed.equals(definition)) {
            throw new IllegalStateException("state machine " + name + " exists with a different definition");
        }
        if (!roleArn.equals(existing.get().roleArn())) {
            sfn.updateStateMachine(u -> u.stateMachineArn(arn).roleArn(roleArn));
        }
        return existing.get().stateMachineArn();
    }

    @Override
    public String startExecution(String stateMachineArn, String name, String inputJson) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid execution name (1-80 of A-Z a-z 0-9 _ -): " + name);
        }
        JsonNode input = parse("input of execution " + name, inputJson);
        try {
            return startSoonAfterCreate(stateMachineArn, name, inputJson);
        } catch (ExecutionAlreadyExistsException e) {
            // Step Functions only treats a repeat as idempotent while the first is running; after that, same name
            // and same input is still the same execution for us (an at-least-once caller retrying).
            String executionArn = executionArnOf(stateMachineArn, name);
            Execution existing = describeExecution(executionArn).orElseThrow(() -> e);
            if (!parse("input of " + executionArn, existing.input()).equals(input)) {
                throw new IllegalStateException("execution " + name + " already exists with a different input");
            }
            return executionArn;
        }
    }

    /** StartExecution, retried while a machine created a moment ago is not yet seen (the last refusal is thrown). */
    private String startSoonAfterCreate(String stateMachineArn, String name, String inputJson) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sfn.startExecution(s -> s.stateMachineArn(stateMachineArn).name(name).input(inputJson))
                        .executionArn();
            } catch (StateMachineDoesNotExistException e) {
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(START_RETRY_MILLIS << (attempt - 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Execution> describeExecution(String executionArn) {
        try {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            return Optional.of(new Execution(
                    d.executionArn(), d.name(), Status.valueOf(d.statusAsString()), d.input(), d.output(),
                    d.error(), d.cause(), d.startDate(), d.stopDate(),
                    d.redriveCount() == null ? 0 : d.redriveCount()));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    @Override
    public void redriveExecution(String executionArn) {
        try {
            sfn.redriveExecution(r -> r.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException e) {
            throw new NoSuchElementException("no execution " + executionArn);
        } catch (ExecutionNotRedrivableException e) {
            throw new IllegalStateException("execution " + executionArn + " cannot be redriven: "
                    + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public void stopExecution(String executionArn, String error, String cause) {
        try {
            sfn.stopExecution(s -> s.executionArn(executionArn).error(error).cause(cause));
        } catch (ExecutionDoesNotExistException e) {
            throw new NoSuchElementException("no execution " + executionArn);
        }
    }

    /** The execution's event history, oldest first (every page). */
    public List<HistoryEvent> history(String executionArn) {
        try {
            List<HistoryEvent> events = new ArrayList<>();
            sfn.getExecutionHistoryPaginator(h -> h.executionArn(executionArn)).events().forEach(events::add);
            return events;
        } catch (ExecutionDoesNotExistException e) {
            throw new NoSuchElementException("no execution " + executionArn);
        }
    }

    /** {@code arn:...:stateMachine:<machine>} and name → {@code arn:...:execution:<machine>:<name>}. */
    static String executionArnOf(String stateMachineArn, String name) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    }

    private Optional<DescribeStateMachineResponse> describeStateMachine(String arn) {
        try {
            return Optional.of(sfn.describeStateMachine(d -> d.stateMachineArn(arn)));
        } catch (StateMachineDoesNotExistException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(String what, String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
