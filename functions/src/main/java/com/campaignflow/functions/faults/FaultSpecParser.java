package com.campaignflow.functions.faults;

import com.campaignflow.functions.domain.AgentName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code CAMPAIGNFLOW_FAULTS} / {@code --faults}: comma-separated {@code agent:fault} entries, where fault is
 * {@code always}, {@code once}, {@code latency=<n>ms|s|m} or {@code fail=<probability in [0,1]>}; e.g.
 * {@code researcher:always,writer:once,seo:latency=2s,editor:fail=0.5}. An agent may have several entries (two
 * latencies add up).
 */
public final class FaultSpecParser {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m)");
    private static final Pattern PROBABILITY = Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
    private static final Duration MAX_LATENCY = Duration.ofMinutes(15);

    private FaultSpecParser() {
    }

    /** The faults per agent wire name; empty for a null or blank spec. */
    public static Map<String, List<FaultSpec>> parse(String spec) {
        Map<String, List<FaultSpec>> faults = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return faults;
        }
        for (String raw : spec.split(",", -1)) { // -1: an empty entry after a trailing comma is refused too
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("fault entry must be <agent>:<fault>, got '" + entry + "' in " + spec);
            }
            String agent = entry.substring(0, colon).trim();
            try {
                AgentName.fromWireName(agent);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fault entry '" + entry + "' names unknown agent '" + agent
                        + "' (agents: planner, researcher, writer, editor, seo, distribution, basic_research, basic_qa)");
            }
            faults.computeIfAbsent(agent, k -> new ArrayList<>()).add(fault(entry, entry.substring(colon + 1).trim()));
        }
        faults.replaceAll((k, v) -> List.copyOf(v));
        return faults;
    }

    private static FaultSpec fault(String entry, String fault) {
        if (fault.equals("always")) {
            return new FaultSpec.Always();
        }
        if (fault.equals("once")) {
            return new FaultSpec.Once();
        }
        if (fault.startsWith("latency=")) {
            Matcher m = DURATION.matcher(fault.substring("latency=".length()));
            if (!m.matches()) {
                throw new IllegalArgumentException("fault entry '" + entry + "': latency must look like 500ms, 2s or 1m");
            }
            long limit = switch (m.group(2)) {
                case "ms" -> MAX_LATENCY.toMillis();
                case "s" -> MAX_LATENCY.toSeconds();
                default -> MAX_LATENCY.toMinutes();
            };
            // compared as digits: a number too long for a long is above the limit too
            String digits = m.group(1).replaceFirst("^0+(?=.)", "");
            if (digits.length() > String.valueOf(limit).length() || Long.parseLong(digits) > limit) {
                throw new IllegalArgumentException("fault entry '" + entry + "': latency above the 15 minute Lambda limit");
            }
            long n = Long.parseLong(digits);
            return new FaultSpec.Latency(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            });
        }
        if (fault.startsWith("fail=")) {
            String value = fault.substring("fail=".length());
            if (!PROBABILITY.matcher(value).matches()) { // plain decimals only: not 0x1p-1, 0.5d or NaN
                throw new IllegalArgumentException("fault entry '" + entry + "': fail= needs a probability such as 0.5");
            }
            double p = Double.parseDouble(value);
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("fault entry '" + entry + "': probability must be within [0, 1]");
            }
            return new FaultSpec.Probability(p);
        }
        throw new IllegalArgumentException("fault entry '" + entry
                + "': fault must be always, once, latency=<duration> or fail=<probability>");
    }
}
