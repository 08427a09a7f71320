package com.campaignflow.local.template;

import java.util.Optional;

/**
 * One REST API route.
 *
 * @param method     upper-case HTTP method, or {@code ANY}
 * @param path       the resource path template, e.g. {@code /workflows/{id}/checkpoints} or {@code /{proxy+}}
 * @param authorizer the Lambda authorizer guarding the route, if any
 */
public record RestRoute(String method, String path, String functionLogicalId, Optional<Authorizer> authorizer) {
}
