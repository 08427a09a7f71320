/**
 * The expression language of Amazon States Language (JSONPath query language): Reference Paths
 * ({@link com.campaignflow.local.sfn.expr.ReferencePath}), full JSONPath
 * ({@link com.campaignflow.local.sfn.expr.JsonPathExpression}), intrinsic functions
 * ({@link com.campaignflow.local.sfn.expr.IntrinsicFunction}), payload templates
 * ({@link com.campaignflow.local.sfn.expr.PayloadTemplate}) and Choice rules
 * ({@link com.campaignflow.local.sfn.expr.ChoiceRule}).
 *
 * <p>Everything is parsed once, when the definition is loaded; definition problems are
 * {@link com.campaignflow.local.sfn.expr.InvalidExpressionException}s whose message names the
 * problem. Evaluation only walks precompiled trees and reports run-time failures as
 * {@link com.campaignflow.local.sfn.expr.ExpressionFailure} carrying the ASL error name, or as
 * {@link com.campaignflow.local.sfn.expr.PathNotFoundException} /
 * {@link com.campaignflow.local.sfn.expr.PathWriteException} for the executor to map. Results may
 * share nodes with the input document; nothing here mutates its arguments.
 */
package com.campaignflow.local.sfn.expr;
