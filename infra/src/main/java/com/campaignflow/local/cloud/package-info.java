/**
 * The whole local cloud in one process ({@link com.campaignflow.local.cloud.LocalCloud}): the functions of
 * template.yaml with their template environment resolved locally, the durable Step Functions service running the
 * committed default definition, API Gateway (REST, WebSocket, management API, dashboard, Step Functions API) on one
 * port, the scheduled health check, and the relay of progress to WebSocket subscribers. Data lives under one data
 * directory: checkpoints/, tables/, progress/, sfn/ (the engine's journal), logs/.
 */
package com.campaignflow.local.cloud;
