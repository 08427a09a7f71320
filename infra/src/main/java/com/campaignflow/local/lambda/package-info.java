/**
 * Lambda in this JVM: {@link com.campaignflow.local.lambda.LocalLambdaRuntime#invoke(String, String)} runs a template
 * function's handler class with the JSON event Lambda would send (mapped as the Lambda Java runtime maps it, see
 * {@link com.campaignflow.local.lambda.LambdaJson}), inside its environment, with warm reusable execution
 * environments, the function timeout and the runtime's error JSON.
 */
package com.campaignflow.local.lambda;
