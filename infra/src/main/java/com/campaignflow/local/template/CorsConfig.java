package com.campaignflow.local.template;

/** The {@code Cors} of a SAM API: what the OPTIONS preflight answers (SAM values are unquoted here). */
public record CorsConfig(String allowOrigin, String allowMethods, String allowHeaders, String maxAge, boolean allowCredentials) {
}
