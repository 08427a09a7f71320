/**
 * The deterministic, offline, rule-based agents: they do real work on the campaign input without a model, and they
 * are the "basic" fallbacks of the degraded path. {@link com.campaignflow.functions.agents.rules.RuleBasedAgents}
 * serves them by wire name.
 *
 * <table>
 *   <caption>Agents, what they read, and the top-level fields of their output</caption>
 *   <tr><th>agent</th><th>reads (previous steps)</th><th>output fields</th></tr>
 *   <tr><td>planner</td><td>request</td><td>content_type, angle, tone, audience, audience_short, company, key_messages,
 *       outline, target_words, keyword_plan, call_to_action, format</td></tr>
 *   <tr><td>researcher</td><td>request; parameter focus</td><td>focus, degraded, key_terms, insights, entities,
 *       audience{pain_points, goals}, sources, questions</td></tr>
 *   <tr><td>basic_research</td><td>request</td><td>same shape as researcher, degraded=true, plus objective</td></tr>
 *   <tr><td>writer</td><td>planner, researcher / researcher_a.._c / basic_research</td><td>article, content_type,
 *       tone, target_words, keywords_used, keywords_missing, sources_cited, sections_written, research_steps,
 *       research_degraded, notes</td></tr>
 *   <tr><td>editor</td><td>writer</td><td>article, readability{before, after}, changes, change_counts, passive_voice,
 *       long_sentences_remaining</td></tr>
 *   <tr><td>seo</td><td>editor (else writer)</td><td>primary_keyword, keywords, keyword_coverage, title,
 *       meta_description, slug, headings, internal_links, seo_score</td></tr>
 *   <tr><td>basic_qa</td><td>editor (else writer)</td><td>degraded, article, title, meta_description, slug, checklist,
 *       issues, changes</td></tr>
 *   <tr><td>distribution</td><td>seo, editor (else writer)</td><td>title, slug, base_url, posts, unsupported_channels</td></tr>
 * </table>
 *
 * <p>An {@code article} is {@code {title, sections[{heading, paragraphs[]}], markdown, word_count}}. A fallback's
 * output is stored under the step id of the agent it replaces, so readers look up step ids, never agent names.
 */
package com.campaignflow.functions.agents.rules;
