/**
 * The parts of a SAM template.yaml the local cloud runs. {@link com.campaignflow.local.template.SamTemplate#parse}
 * reads CloudFormation YAML (short-form intrinsic tags kept as long-form data by
 * {@link com.campaignflow.local.template.CloudFormationYaml}), merges {@code Globals.Function} into each function,
 * resolves environment intrinsics through an {@link com.campaignflow.local.template.IntrinsicResolver} (usually
 * {@link com.campaignflow.local.template.LocalIntrinsics}), and collects REST routes, WebSocket routes and Lambda
 * authorizers. Malformed templates fail with a {@link com.campaignflow.local.template.TemplateException} naming the
 * offending {@code Resources.X.Properties...} path.
 */
package com.campaignflow.local.template;
