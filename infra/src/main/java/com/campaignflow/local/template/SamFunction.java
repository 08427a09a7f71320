package com.campaignflow.local.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} after Globals are merged and its environment resolved for the local cloud.
 *
 * @param environment the variables the function sees (intrinsics already resolved; unresolvable ones dropped)
 */
public record SamFunction(
        String logicalId,
        HandlerSpec handler,
        String runtime,
        Duration timeout,
        int memoryMb,
        Map<String, String> environment,
        List<ApiEvent> apiEvents,
        List<ScheduleEvent> scheduleEvents) {

    public SamFunction {
        environment = Map.copyOf(environment);
        apiEvents = List.copyOf(apiEvents);
        scheduleEvents = List.copyOf(scheduleEvents);
    }

    /** The function's local ARN, {@code arn:aws:lambda:us-east-1:000000000000:function:<LogicalId>}. */
    public String arn() {
        return LocalArns.functionArn(logicalId);
    }

    /** An {@code Api} event source: one REST route. */
    public record ApiEvent(String name, String method, String path, String restApiId, String authorizer) {
    }

    /** A {@code Schedule} event source (EventBridge rule). */
    public record ScheduleEvent(String name, String expression, boolean enabled) {
    }
}
