package com.campaignflow.functions.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateMachineCatalogTest {

    private static final String DEFAULT_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:campaignflow-workflow";

    /** Keeps the machines it is asked to ensure, by name. */
    private static final class Machines implements WorkflowEngine {
        final Map<String, String> definitions = new LinkedHashMap<>();

        @Override
        public String ensureStateMachine(String name, String definitionJson) {
            definitions.put(name, definitionJson);
            return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
        }

        @Override
        public String startExecution(String stateMachineArn, String name, String inputJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Execution> describeExecution(String executionArn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void redriveExecution(String executionArn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stopExecution(String executionArn, String error, String cause) {
            throw new UnsupportedOperationException();
        }
    }

    private static Map<String, String> functionArns(String stack) {
        Map<String, String> arns = new LinkedHashMap<>();
        for (String function : List.of("Planner", "Researcher", "Writer", "Editor", "Seo", "Distribution", "BasicResearch",
                "BasicQa")) {
            arns.put(function + "FunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:" + stack + "-"
                    + function + "Function-AbC123:live");
        }
        return arns;
    }

    /** The default plan without its distribution step: a plan of its own state machine. */
    private static ExecutionPlan withoutDistribution() {
        ExecutionPlan plan = DefaultPlans.defaultPlan();
        List<PlanStep> steps = plan.steps().subList(0, plan.steps().size() - 1);
        return new ExecutionPlan(plan.contentType(), plan.strategy(), steps, plan.degradationLevel(),
                plan.qualityThreshold(), plan.limitations());
    }

    @Test
    void theDefaultPlan_runsOnTheDeployedMachine() {
        Machines machines = new Machines();
        StateMachineCatalog catalog = new StateMachineCatalog(machines, new PlanCompiler(), DEFAULT_ARN,
                "campaignflow-plan-", functionArns("dev"));

        assertThat(catalog.stateMachineFor(DefaultPlans.defaultPlan())).isEqualTo(DEFAULT_ARN);
        assertThat(machines.definitions).isEmpty();
    }

    @Test
    void anotherPlan_getsAMachineNamedByItsDeployableDefinition_soStacksNeverShareOne() {
        Machines machines = new Machines();
        StateMachineCatalog dev = new StateMachineCatalog(machines, new PlanCompiler(), DEFAULT_ARN,
                "campaignflow-plan-", functionArns("dev"));
        StateMachineCatalog staging = new StateMachineCatalog(machines, new PlanCompiler(), DEFAULT_ARN,
                "campaignflow-plan-", functionArns("staging"));

        String devArn = dev.stateMachineFor(withoutDistribution());
        String stagingArn = staging.stateMachineFor(withoutDistribution());

        assertThat(devArn).isNotEqualTo(stagingArn);
        assertThat(machines.definitions).hasSize(2);
        machines.definitions.forEach((name, definition) -> {
            assertThat(name).isEqualTo("campaignflow-plan-" + PlanCompiler.definitionHash(definition));
            assertThat(definition).doesNotContain("${");
        });
        assertThat(dev.stateMachineFor(withoutDistribution())).as("the same plan again is the same machine")
                .isEqualTo(devArn);
        assertThat(machines.definitions).hasSize(2);
    }

    @Test
    void aPlaceholderWithoutAFunctionArn_isAConfigurationError() {
        Map<String, String> arns = functionArns("dev");
        arns.remove("WriterFunctionArn");
        StateMachineCatalog catalog = new StateMachineCatalog(new Machines(), new PlanCompiler(), DEFAULT_ARN,
                "campaignflow-plan-", arns);

        assertThatThrownBy(() -> catalog.stateMachineFor(withoutDistribution()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("${WriterFunctionArn}");
    }
}
