package com.campaignflow.local.sfn.expr;

/**
 * Thrown at run time when evaluating an expression fails; carries the ASL error name the
 * executor reports ({@code States.ParameterPathFailure}, {@code States.IntrinsicFailure}
 * or {@code States.Runtime}) and the message that becomes the error's cause.
 */
public class ExpressionFailure extends RuntimeException {
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String RUNTIME = "States.Runtime";

    private final String errorName;

    public ExpressionFailure(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    public String errorName() {
        return errorName;
    }
}
