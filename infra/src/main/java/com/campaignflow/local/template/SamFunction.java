package com.campaignflow.local.template;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code AWS::Serverless::Function} after Globals are merged and its environment resolved for the local cloud.
 *
 * @param environment      the variables the function sees (intrinsics already resolved; what the local cloud provides
 *                         itself dropped)
 * @param autoPublishAlias the alias SAM publishes ({@code AutoPublishAlias}), which locally names the function itself;
 *                         or null
 */
public record SamFunction(
        String logicalId,
        HandlerSpec handler,
        String runtime,
        Duration timeout,
        int memoryMb,
        Map<String, String> environment,
        List<ApiEvent> apiEvents,
        List<ScheduleEvent> scheduleEvents,
        String autoPublishAlias) {

    public SamFunction(String logicalId, HandlerSpec handler, String runtime, Duration timeout, int memoryMb,
                       Map<String, String> environment, List<ApiEvent> apiEvents, List<ScheduleEvent> scheduleEvents) {
        this(logicalId, handler, runtime, timeout, memoryMb, environment, apiEvents, scheduleEvents, null);
    }

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

    /**
     * A {@code Schedule} event source (EventBridge rule).
     *
     * @param expression {@code rate(value unit)}, or a {@code cron(...)}/{@code at(...)} expression (not run locally)
     * @param input      the event's {@code Input}: the JSON the function receives instead of the scheduled event; or null
     */
    public record ScheduleEvent(String name, String expression, boolean enabled, String input) {

        private static final Pattern RATE = Pattern.compile("rate\\((\\S+)\\s+(\\S+)\\)");
        private static final Map<String, ChronoUnit> UNITS = Map.of("minute", ChronoUnit.MINUTES,
                "hour", ChronoUnit.HOURS, "day", ChronoUnit.DAYS);

        public ScheduleEvent(String name, String expression, boolean enabled) {
            this(name, expression, enabled, null);
        }

        /**
         * The period of a {@code rate(value unit)} expression, parsed as EventBridge does: the value a positive integer,
         * the unit minute, hour or day, singular exactly when the value is 1; empty for a cron or at expression.
         *
         * @throws IllegalArgumentException when the expression is neither a valid rate nor a cron or at expression
         */
        public Optional<Duration> rate() {
            if (expression.startsWith("cron(") || expression.startsWith("at(")) {
                return Optional.empty();
            }
            Matcher rate = RATE.matcher(expression.strip());
            if (!rate.matches()) {
                throw new IllegalArgumentException("'" + expression + "' is neither rate(value unit) nor cron(...)");
            }
            String value = rate.group(1);
            String unit = rate.group(2);
            if (!value.matches("[1-9][0-9]{0,8}")) {
                throw new IllegalArgumentException("'" + expression + "': the value must be a positive integer");
            }
            long amount = Long.parseLong(value);
            String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
            if (!UNITS.containsKey(singular)) {
                throw new IllegalArgumentException("'" + expression + "': the unit must be minute(s), hour(s) or day(s)");
            }
            if ((amount == 1) != unit.equals(singular)) {
                throw new IllegalArgumentException("'" + expression + "': the unit is singular for 1 and plural above,"
                        + " e.g. rate(1 hour), rate(5 hours)");
            }
            return Optional.of(Duration.of(amount, UNITS.get(singular)));
        }
    }
}
