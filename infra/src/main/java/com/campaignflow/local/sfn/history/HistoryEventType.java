package com.campaignflow.local.sfn.history;

/** History event types, named as GetExecutionHistory names them. */
public enum HistoryEventType {
    ExecutionStarted, ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut, ExecutionAborted, ExecutionRedriven,
    PassStateEntered, PassStateExited,
    TaskStateEntered, TaskStateExited, TaskScheduled, TaskStarted, TaskSucceeded, TaskFailed, TaskTimedOut,
    TaskStateAborted,
    LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ChoiceStateEntered, ChoiceStateExited,
    WaitStateEntered, WaitStateExited, WaitStateAborted,
    SucceedStateEntered, SucceedStateExited,
    FailStateEntered,
    ParallelStateEntered, ParallelStateStarted, ParallelStateSucceeded, ParallelStateFailed,
    ParallelStateAborted, ParallelStateExited,
    MapStateEntered, MapStateStarted, MapIterationStarted, MapIterationSucceeded, MapIterationFailed,
    MapIterationAborted, MapStateSucceeded, MapStateFailed, MapStateAborted, MapStateExited
}
