package com.campaignflow.statemachine.compiler;

/** Thrown when an {@link com.campaignflow.statemachine.plan.ExecutionPlan} cannot be compiled; the message names the step and field. */
public class InvalidPlanException extends RuntimeException {

    public InvalidPlanException(String message) {
        super(message);
    }
}
