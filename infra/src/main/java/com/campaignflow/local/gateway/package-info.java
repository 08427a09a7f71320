/**
 * API Gateway on one local port ({@link com.campaignflow.local.gateway.LocalGateway}): REST proxy integration with
 * Lambda authorizers and CORS preflight, the WebSocket API at {@code /ws}, the {@code @connections} management API,
 * the dashboard, and AWS JSON services mounted by X-Amz-Target prefix. The AWS APIs (management, Lambda Invoke,
 * JSON services) take requests signed with the gateway's own access key only ({@link
 * com.campaignflow.local.gateway.LocalAwsCredentials}).
 */
package com.campaignflow.local.gateway;
