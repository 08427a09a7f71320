package com.campaignflow.local.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Campaign-like payloads of a chosen size: seeded pseudo-prose (so gzip sees text that
 * compresses like real copy, neither random bytes nor one repeated word) in the shape an
 * agent's output has.
 */
final class BenchData {

    /** The six steps of the default sequential plan, in order. */
    static final List<String> STEPS = List.of("planner", "researcher", "writer", "editor", "seo", "distribution");
    /** Checkpoint state size the issue asks about. */
    static final int STATE_BYTES = 50 * 1024;

    private static final String[] WORDS = ("campaign audience launch spring small business owners analytics dashboard "
            + "pricing trial onboarding email social blog headline subject line call to action conversion retention "
            + "churn insight report customer story benefit feature integration team workflow schedule budget channel "
            + "message tone brand voice engagement click open rate segment persona research competitor keyword search "
            + "ranking meta description landing page draft edit review publish week month quarter growth revenue "
            + "the a of to and for with on in our your their that this is are will can more new best simple fast")
            .split(" ");

    private BenchData() {
    }

    /** About {@code chars} characters of sentence-like text. */
    static String prose(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 32);
        boolean sentenceStart = true;
        while (text.length() < chars) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(sentenceStart ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            sentenceStart = random.nextInt(12) == 0;
            text.append(sentenceStart ? ". " : " ");
        }
        return text.substring(0, chars);
    }

    /** One step's output of about {@code chars} characters of JSON: a title, sections and notes. */
    static ObjectNode agentOutput(String step, int chars, long seed) {
        Random random = new Random(seed);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("step", step);
        out.put("title", prose(random, 60));
        var sections = out.putArray("sections");
        int body = Math.max(0, chars - 200);
        for (int i = 0; i < 4; i++) {
            sections.addObject().put("heading", prose(random, 30)).put("text", prose(random, body / 4 - 40));
        }
        out.putArray("notes").add(prose(random, 40)).add(prose(random, 40));
        return out;
    }

    /** intermediate_data with every step's output, about {@link #STATE_BYTES} in all. */
    static ObjectNode fullState(long seed) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < STEPS.size(); i++) {
            data.set(STEPS.get(i), agentOutput(STEPS.get(i), STATE_BYTES / STEPS.size(), seed + i));
        }
        return data;
    }
}
