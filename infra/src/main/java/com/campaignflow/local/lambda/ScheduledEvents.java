package com.campaignflow.local.lambda;

import com.campaignflow.local.template.LocalArns;
import com.campaignflow.local.template.SamFunction;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The EventBridge event a {@code Schedule} event source delivers to its function. */
public final class ScheduledEvents {

    private ScheduledEvents() {
    }

    /**
     * The event of {@code function}'s schedule {@code event} firing at {@code time} (the rule is
     * {@code <Function><Event>}); the event's {@code Input} instead when it has one, as EventBridge delivers it.
     */
    public static String event(SamFunction function, SamFunction.ScheduleEvent event, Instant time) {
        if (event.input() != null) {
            return event.input();
        }
        ObjectNode json = LambdaJson.mapper().createObjectNode();
        json.put("version", "0");
        json.put("id", UUID.randomUUID().toString());
        json.put("detail-type", "Scheduled Event");
        json.put("source", "aws.events");
        json.put("account", LocalArns.ACCOUNT_ID);
        json.put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
        json.put("region", LocalArns.REGION);
        json.putArray("resources").add("arn:aws:events:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT_ID + ":rule/"
                + function.logicalId() + event.name());
        json.putObject("detail");
        return json.toString();
    }
}
