/**
 * API Gateway on one local port ({@link com.campaignflow.local.gateway.LocalGateway}): REST proxy integration with
 * Lambda authorizers and CORS preflight, the WebSocket API at {@code /ws}, the {@code @connections} management API,
 * the dashboard, and AWS JSON services mounted by X-Amz-Target prefix.
 */
package com.campaignflow.local.gateway;
