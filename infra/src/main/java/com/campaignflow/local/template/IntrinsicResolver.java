package com.campaignflow.local.template;

import java.util.Map;
import java.util.Optional;

/**
 * Gives the local value of an environment variable whose template value is an intrinsic function
 * ({@code !Ref Table}, {@code !GetAtt Fn.Arn}, {@code !Sub ...}). Returning empty leaves the variable unset, which is
 * how the local cloud drops what it provides itself (tables and buckets replaced by the data directory); what it cannot
 * resolve at all is a {@link TemplateException}.
 */
@FunctionalInterface
public interface IntrinsicResolver {

    Optional<String> resolve(Request request);

    /**
     * @param intrinsic     the long-form intrinsic, e.g. {@code {"Ref": "CampaignsTable"}}
     * @param resourceTypes every resource of the template, logical id to type
     * @param parameters    the template's parameters with a Default, name to default value
     */
    record Request(String functionLogicalId, String variable, Map<String, Object> intrinsic,
                   Map<String, String> resourceTypes, Map<String, String> parameters) {
    }
}
