/**
 * An embedded AWS Step Functions engine for the JSONPath dialect of the Amazon States Language.
 *
 * <p>Use: {@link com.campaignflow.local.sfn.StateMachineDefinition#parse} validates and compiles a
 * definition once (or {@link com.campaignflow.local.sfn.DefinitionValidator} just lists its
 * problems); {@link com.campaignflow.local.sfn.ExecutionRunner#run} / {@code start} runs it with
 * {@link com.campaignflow.local.sfn.ExecutionOptions} (name, {@link com.campaignflow.local.sfn.EngineClock},
 * {@link com.campaignflow.local.sfn.lambda.LambdaInvoker}, Step Functions Local mocks, history
 * {@link com.campaignflow.local.sfn.history.ExecutionListener}, start state for resume/redrive) and
 * returns an {@link com.campaignflow.local.sfn.ExecutionResult}.
 *
 * <p>Inside: {@code DefinitionParser} turns JSON into {@code StateNode}s (paths, templates and
 * Choice rules compiled by {@code sfn.expr}); {@code Executor} runs every state through one
 * lifecycle and one data-flow method, with Retry/Catch around it; Parallel branches and Map
 * iterations run the same loop through {@code FanOut}: on the calling thread while they finish at
 * once, on virtual threads as soon as they take time.
 */
package com.campaignflow.local.sfn;
