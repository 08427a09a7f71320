package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.WorkflowEngine.Execution;
import com.campaignflow.functions.ports.WorkflowEngine.Status;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against the emulator's Step Functions API. moto stores machines and executions without running them; LocalStack
 * runs them, so the definition waits an hour: either way an execution stays RUNNING for the test.
 */
@ExtendWith(AwsEmulator.class)
class SfnWorkflowEngineIT {

    private static final String ROLE = "arn:aws:iam::123456789012:role/campaignflow-state-machine";
    private static final String PREFIX = "arn:aws:states:us-east-1:123456789012:stateMachine:";
    private static final String DEFINITION = """
            {"StartAt": "planner", "States": {"planner": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";
    private static final String INPUT = """
            {"workflow_id": "wf-1", "campaign_id": "camp-1", "tenant": "default", "results": {}}""";

    private SfnWorkflowEngine engine;
    private String name;

    @BeforeEach
    void setUp() {
        engine = new SfnWorkflowEngine(AwsEmulator.clients().sfn(), ROLE, PREFIX);
        name = "campaignflow-plan-" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void ensureStateMachine_createsOnce_thenReusesTheSameMachine() {
        String created = engine.ensureStateMachine(name, DEFINITION);
        // Same definition, different formatting: still the same machine.
        String reused = engine.ensureStateMachine(name, DEFINITION.replace(" ", ""));

        assertThat(created).isEqualTo(PREFIX + name);
        assertThat(reused).isEqualTo(created);
        assertThat(AwsEmulator.clients().sfn().listStateMachines().stateMachines())
                .filteredOn(m -> m.name().equals(name)).hasSize(1);
    }

    @Test
    void ensureStateMachine_givesAReusedMachineThisStacksRole_whenTheRoleWasReplaced() {
        String replacedRole = ROLE + "-old";
        new SfnWorkflowEngine(AwsEmulator.clients().sfn(), replacedRole, PREFIX).ensureStateMachine(name, DEFINITION);

        String reused = engine.ensureStateMachine(name, DEFINITION);

        assertThat(AwsEmulator.clients().sfn().describeStateMachine(d -> d.stateMachineArn(reused)).roleArn())
                .isEqualTo(ROLE);
    }

    @Test
    void ensureStateMachine_refusesANameAlreadyUsedByAnotherDefinition() {
        engine.ensureStateMachine(name, DEFINITION);

        assertThatThrownBy(() -> engine.ensureStateMachine(name, DEFINITION.replace("planner", "writer")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    }

    @Test
    void ensureStateMachine_rejectsBadNamesAndDefinitions() {
        assertThatThrownBy(() -> engine.ensureStateMachine("has space", DEFINITION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has space");
        assertThatThrownBy(() -> engine.ensureStateMachine(name, "{not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void startExecution_thenDescribe_reportsARunningExecutionWithItsInput() {
        String machine = engine.ensureStateMachine(name, DEFINITION);

        String executionArn = engine.startExecution(machine, "wf-1", INPUT);
        Execution execution = engine.describeExecution(executionArn).orElseThrow();

        assertThat(executionArn).endsWith(":execution:" + name + ":wf-1");
        assertThat(execution.name()).isEqualTo("wf-1");
        assertThat(execution.status()).isEqualTo(Status.RUNNING);
        assertThat(execution.input()).isEqualTo(INPUT);
        assertThat(execution.startDate()).isNotNull();
        assertThat(execution.redriveCount()).isZero();
    }

    @Test
    void startExecution_twiceWithTheSameNameAndInput_isTheSameExecution_evenAfterItStopped() {
        String machine = engine.ensureStateMachine(name, DEFINITION);
        String first = engine.startExecution(machine, "wf-2", INPUT);

        assertThat(engine.startExecution(machine, "wf-2", INPUT)).isEqualTo(first);

        engine.stopExecution(first, "Campaign.Cancelled", "user cancelled");
        assertThat(engine.startExecution(machine, "wf-2", INPUT)).isEqualTo(first);
        assertThat(engine.describeExecution(first).orElseThrow().status()).isEqualTo(Status.ABORTED);
    }

    @Test
    void startExecution_withTheSameNameAndAnotherInput_isRefused() {
        String machine = engine.ensureStateMachine(name, DEFINITION);
        engine.startExecution(machine, "wf-3", INPUT);

        assertThatThrownBy(() -> engine.startExecution(machine, "wf-3", INPUT.replace("camp-1", "camp-2")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wf-3");
    }

    @Test
    void unknownExecutions_areEmptyOnDescribe_andNoSuchElementOnStop() {
        String machine = engine.ensureStateMachine(name, DEFINITION);
        String unknown = SfnWorkflowEngine.executionArnOf(machine, "wf-never");

        assertThat(engine.describeExecution(unknown)).isEmpty();
        assertThatThrownBy(() -> engine.stopExecution(unknown, "E", "c")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void history_listsTheExecutionsEvents() {
        String machine = engine.ensureStateMachine(name, DEFINITION);
        String executionArn = engine.startExecution(machine, "wf-4", INPUT);

        assertThat(engine.history(executionArn)).isNotEmpty();
    }

    @Test
    void arnPrefixOf_cutsAfterStateMachine() {
        assertThat(SfnWorkflowEngine.arnPrefixOf(PREFIX + "campaignflow-default")).isEqualTo(PREFIX);
        assertThatThrownBy(() -> SfnWorkflowEngine.arnPrefixOf("arn:aws:lambda:us-east-1:1:function:x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
