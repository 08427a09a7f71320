package com.campaignflow.local.bench;

import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.local.sfn.service.ExecutionView;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.campaignflow.local.sfn.service.StepFunctionsException;
import java.util.Optional;

/** The {@link WorkflowEngine} port over the embedded, journaled Step Functions service. */
final class LocalWorkflowEngine implements WorkflowEngine {

    private final LocalStepFunctions sfn;
    private final String roleArn;

    LocalWorkflowEngine(LocalStepFunctions sfn, String roleArn) {
        this.sfn = sfn;
        this.roleArn = roleArn;
    }

    @Override
    public String ensureStateMachine(String name, String definitionJson) {
        return sfn.createStateMachine(name, definitionJson, roleArn, "STANDARD").arn();
    }

    @Override
    public String startExecution(String stateMachineArn, String name, String inputJson) {
        return sfn.startExecution(stateMachineArn, name, inputJson).executionArn();
    }

    @Override
    public Optional<Execution> describeExecution(String executionArn) {
        ExecutionView v;
        try {
            v = sfn.describeExecution(executionArn);
        } catch (StepFunctionsException e) {
            return Optional.empty();
        }
        return Optional.of(new Execution(v.executionArn(), v.name(), Status.valueOf(v.status()), v.input(),
                v.output(), v.error(), v.cause(), v.startDate(), v.stopDate(), v.redriveCount()));
    }

    @Override
    public void redriveExecution(String executionArn) {
        sfn.redriveExecution(executionArn, null);
    }

    @Override
    public void stopExecution(String executionArn, String error, String cause) {
        sfn.stopExecution(executionArn, error, cause);
    }
}
