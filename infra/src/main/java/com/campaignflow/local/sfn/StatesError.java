package com.campaignflow.local.sfn;

import java.util.List;

/**
 * The predefined ASL error names (Step Functions Developer Guide, "Error names") and the
 * rules for matching them against Retry/Catch ErrorEquals.
 */
public enum StatesError {
    ALL("States.ALL"),
    HEARTBEAT_TIMEOUT("States.HeartbeatTimeout"),
    TIMEOUT("States.Timeout"),
    TASK_FAILED("States.TaskFailed"),
    PERMISSIONS("States.Permissions"),
    RESULT_PATH_MATCH_FAILURE("States.ResultPathMatchFailure"),
    PARAMETER_PATH_FAILURE("States.ParameterPathFailure"),
    QUERY_EVALUATION_ERROR("States.QueryEvaluationError"),
    BRANCH_FAILED("States.BranchFailed"),
    NO_CHOICE_MATCHED("States.NoChoiceMatched"),
    INTRINSIC_FAILURE("States.IntrinsicFailure"),
    EXCEED_TOLERATED_FAILURE_THRESHOLD("States.ExceedToleratedFailureThreshold"),
    ITEM_READER_FAILED("States.ItemReaderFailed"),
    RESULT_WRITER_FAILED("States.ResultWriterFailed"),
    DATA_LIMIT_EXCEEDED("States.DataLimitExceeded"),
    RUNTIME("States.Runtime"),
    // Errors of the Lambda integration, as the Lambda service reports them.
    LAMBDA_SERVICE_EXCEPTION("Lambda.ServiceException"),
    LAMBDA_AWS_LAMBDA_EXCEPTION("Lambda.AWSLambdaException"),
    LAMBDA_SDK_CLIENT_EXCEPTION("Lambda.SdkClientException"),
    LAMBDA_TOO_MANY_REQUESTS("Lambda.TooManyRequestsException"),
    LAMBDA_RESOURCE_NOT_FOUND("Lambda.ResourceNotFoundException"),
    LAMBDA_UNKNOWN("Lambda.Unknown");

    private final String code;

    StatesError(String code) {
        this.code = code;
    }

    /** The name as it appears in definitions and history, e.g. {@code States.Timeout}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }

    /** "A States.Runtime error isn't retriable, and will always cause the execution to fail." */
    public static boolean isTerminal(String error) {
        return RUNTIME.code.equals(error);
    }

    /**
     * Whether an ErrorEquals list matches the error. States.ALL matches everything but
     * States.Runtime and States.DataLimitExceeded; States.TaskFailed matches everything
     * but timeouts (and those two terminal errors); States.Timeout also matches
     * States.HeartbeatTimeout.
     */
    public static boolean matches(List<String> errorEquals, String error) {
        if (isTerminal(error)) {
            return false;
        }
        for (String candidate : errorEquals) {
            if (candidate.equals(error)) {
                return true;
            }
            // "States.Timeout: ran longer than TimeoutSeconds, or failed to send a heartbeat for HeartbeatSeconds"
            if (TIMEOUT.code.equals(candidate) && HEARTBEAT_TIMEOUT.code.equals(error)) {
                return true;
            }
            if (ALL.code.equals(candidate) && !DATA_LIMIT_EXCEEDED.code.equals(error)) {
                return true;
            }
            if (TASK_FAILED.code.equals(candidate) && !TIMEOUT.code.equals(error)
                    && !HEARTBEAT_TIMEOUT.code.equals(error) && !DATA_LIMIT_EXCEEDED.code.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
