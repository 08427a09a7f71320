package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The functions the conformance definitions call, all under
 * arn:aws:lambda:us-east-1:123456789012:function:NAME.
 */
final class TestFunctions {

    static final String PREFIX = "arn:aws:lambda:us-east-1:123456789012:function:";

    private TestFunctions() {
    }

    static InMemoryLambdaInvoker create(EngineClock clock) {
        AtomicInteger flakyCalls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker();
        // echo: returns its event
        invoker.register(PREFIX + "echo", event -> event);
        // hello: the AWS docs' HelloFunction, "Hello, " + who + "!"
        invoker.register(PREFIX + "hello", event -> JsonNodeFactory.instance.textNode(
                "Hello, " + event.path("who").asText() + "!"));
        // add: a + b
        invoker.register(PREFIX + "add", event -> JsonNodeFactory.instance.numberNode(
                event.path("a").asInt() + event.path("b").asInt()));
        // fail: throws IllegalStateException with event.message
        invoker.register(PREFIX + "fail", event -> {
            throw new IllegalStateException(event.path("message").asText("boom"));
        });
        // flaky: fails its first two calls in an execution, then returns {"calls": n}
        invoker.register(PREFIX + "flaky", event -> {
            int call = flakyCalls.incrementAndGet();
            if (call <= 2) {
                throw new IllegalArgumentException("flaky call " + call);
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("calls", call);
            return out;
        });
        // slow: takes event.seconds on the engine clock, then returns its event
        invoker.register(PREFIX + "slow", event -> {
            try {
                clock.sleep(Duration.ofSeconds(event.path("seconds").asLong()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return event;
        });
        // big: returns a string of event.size characters
        invoker.register(PREFIX + "big", event -> JsonNodeFactory.instance.textNode("x".repeat(event.path("size").asInt())));
        // clock: returns the engine clock's time
        invoker.register(PREFIX + "clock", event -> JsonNodeFactory.instance.textNode(clock.now().toString()));
        return invoker;
    }

}
