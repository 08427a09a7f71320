package com.campaignflow.functions.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CampaignRequestParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final CampaignRequestParser parser = new CampaignRequestParser();

    private static ObjectNode minimal() {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("campaign_id", "camp-1");
        request.put("company_context", "Northwind builds analytics");
        request.put("target_audience", "product managers");
        request.put("content_objective", "explain funnels");
        return request;
    }

    private void assertRejected(ObjectNode request, String field, String messagePart) {
        assertThatThrownBy(() -> parser.parse(request.toString()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ").contains(messagePart);
                });
    }

    @Test
    void sampleEvent_parsesIntoTheRequest() throws IOException {
        byte[] body = Files.readAllBytes(Path.of(System.getProperty("basedir", "."), "..", "events",
                "create-campaign.json"));

        CampaignRequest request = parser.parse(body);

        assertThat(request.campaignId()).isEqualTo("camp-spring-launch-2026");
        assertThat(request.priority()).isEqualTo("high");
        assertThat(request.contentType()).isEqualTo("blog_post");
        assertThat(request.strategy()).isEqualTo("sequential");
        assertThat(request.keywords()).hasSize(4).contains("session replay");
        assertThat(request.agentParameters().get("writer")).isEqualTo(Map.of("tone", "practical", "target_words", 900));
        assertThat(request.agentParameters().get("distribution"))
                .isEqualTo(Map.of("channels", List.of("linkedin", "newsletter", "x")));
    }

    @Test
    void minimalRequest_getsDefaultsAndTrimmedText() {
        ObjectNode body = minimal();
        body.put("company_context", "  Northwind builds analytics \n");

        CampaignRequest request = parser.parse(body.toString());

        assertThat(request.priority()).isEqualTo("normal");
        assertThat(request.contentType()).isEqualTo("blog_post");
        assertThat(request.strategy()).isEqualTo("sequential");
        assertThat(request.keywords()).isEmpty();
        assertThat(request.agentParameters()).isEmpty();
        assertThat(request.companyContext()).isEqualTo("Northwind builds analytics");
    }

    @Test
    void absentOptionalFields_takeTheirDefaults() {
        CampaignRequest request = parser.parse(minimal().toString());

        assertThat(request.priority()).isEqualTo("normal");
        assertThat(request.contentType()).isEqualTo("blog_post");
        assertThat(request.strategy()).isEqualTo("sequential");
        assertThat(request.keywords()).isEmpty();
        assertThat(request.agentParameters()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"priority", "content_type", "strategy", "keywords", "agent_parameters"})
    void nullForAnOptionalField_isRefused_asTheApiModelRefusesIt(String field) {
        ObjectNode body = minimal();
        body.putNull(field);

        assertRejected(body, field, "got null; leave the field out");
    }

    @ParameterizedTest
    @ValueSource(strings = {"campaign_id", "company_context", "target_audience", "content_objective"})
    void missingRequiredField_isRejectedByName(String field) {
        ObjectNode body = minimal();
        body.remove(field);

        assertRejected(body, field, "is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"company_context", "target_audience", "content_objective"})
    void blankText_isRejected(String field) {
        ObjectNode body = minimal();
        body.put(field, "   \n ");

        assertRejected(body, field, "must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"company_context", "target_audience", "content_objective"})
    void textWithoutAWord_isRejected(String field) {
        ObjectNode body = minimal();
        body.put(field, "!!! ...");

        assertRejected(body, field, "must contain at least one letter or digit, got '!!! ...'");
    }

    @Test
    void textOverItsLimit_isRejectedWithTheLengths() {
        ObjectNode body = minimal();
        body.put("target_audience", "a".repeat(2_001));

        assertRejected(body, "target_audience", "at most 2000 characters, got 2001");
    }

    @Test
    void textLimits_countCharacters_soAnEmojiIsOne_notTheTwoCharsJavaHoldsItIn() {
        ObjectNode body = minimal();
        body.put("target_audience", "a" + "\uD83D\uDE80".repeat(1_999)); // rockets: 2,000 characters, the limit
        body.putArray("keywords").add("\uD83D\uDE80 launch".repeat(10)); // 80 characters

        assertThat(parser.parse(body.toString()).targetAudience()).hasSize(3_999);

        body.put("target_audience", "a" + "\uD83D\uDE80".repeat(2_000));
        assertRejected(body, "target_audience", "at most 2000 characters, got 2001");
    }

    @Test
    void halfASurrogatePair_isRejected_notStoredAsAQuestionMark() {
        String body = minimal().put("company_context", "HOLE").toString().replace("HOLE", "Northwind \\ud800 analytics");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("company_context");
            assertThat(e.getMessage()).contains("must be valid Unicode: character 11 is half of a surrogate pair (\\ud800)");
        });
    }

    @Test
    void aResearchFocus_isRefusedWithTheParallelStrategy_whoseBranchesHaveTheirOwn() {
        ObjectNode body = minimal();
        body.put("strategy", "parallel");
        body.putObject("agent_parameters").putObject("researcher").put("focus", "competitors");

        // parsed (a campaign stored before it was refused still resumes), refused for new campaigns and parameters
        CampaignRequest parallel = parser.parse(body.toString());
        assertThatThrownBy(() -> CampaignRequestParser.refuseResearchFocusWithParallelStrategy(parallel))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("agent_parameters.researcher.focus");
                            assertThat(p.message()).contains("strategy parallel");
                        }));

        body.put("strategy", "sequential");
        CampaignRequestParser.refuseResearchFocusWithParallelStrategy(parser.parse(body.toString()));
    }

    @Test
    void aRequestRefusedForAnotherField_namesItsParallelResearchFocusToo() {
        ObjectNode body = minimal();
        body.put("strategy", "parallel");
        ObjectNode agents = body.putObject("agent_parameters");
        agents.putObject("researcher").put("focus", "market");
        agents.putObject("planner").put("posts", 11);

        assertThatThrownBy(() -> parser.parse(body.toString()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .extracting(InvalidRequestException.Problem::field)
                        .containsExactly("agent_parameters.planner.posts", "agent_parameters.researcher.focus"));
    }

    @Test
    void controlCharactersInText_areRejected() {
        ObjectNode body = minimal();
        body.put("content_objective", "explain\u0000funnels");

        assertRejected(body, "content_objective", "control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"camp 1", "../etc", "camp/1", "é"})
    void campaignIdOutsideItsAlphabet_isRejected(String id) {
        ObjectNode body = minimal();
        body.put("campaign_id", id);

        assertRejected(body, "campaign_id", "letters, digits, '_' or '-'");
    }

    @Test
    void campaignIdLongerThan64_isRejected() {
        ObjectNode body = minimal();
        body.put("campaign_id", "c".repeat(65));

        assertRejected(body, "campaign_id", "at most 64 characters");
    }

    @Test
    void severalWrongFields_areAllReportedAtOnce_inFieldOrder() {
        ObjectNode body = minimal();
        body.put("colour", "red");
        body.put("status", "completed");
        body.put("campaign_id", "has space");
        body.remove("target_audience");
        body.put("strategy", "swarm");
        body.putArray("keywords").add("funnels").add("Funnels");

        assertThatThrownBy(() -> parser.parse(body.toString()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.problems()).extracting(InvalidRequestException.Problem::field)
                            .containsExactly("colour", "status", "campaign_id", "target_audience", "strategy",
                                    "keywords[1]");
                    assertThat(e.field()).isEqualTo("colour");
                    assertThat(e.getMessage()).isEqualTo(String.join("; ",
                            "colour: is not a campaign request field; expected [campaign_id, company_context,"
                                    + " target_audience, content_objective, priority, content_type, strategy, keywords,"
                                    + " agent_parameters]",
                            "status: is read-only: campaignflow sets it; remove it from the request",
                            "campaign_id: must be 1 to 64 letters, digits, '_' or '-', got 'has space'",
                            "target_audience: is required",
                            "strategy: must be one of sequential, parallel, got 'swarm'",
                            "keywords[1]: repeats keywords[0] ('Funnels')"));
                });
    }

    @Test
    void oneWrongField_isTheOnlyProblem() {
        ObjectNode body = minimal();
        body.put("priority", "critical");

        assertThatThrownBy(() -> parser.parse(body.toString()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .containsExactly(new InvalidRequestException.Problem("priority",
                                "must be one of low, normal, high, urgent, got 'critical'")));
    }

    @Test
    void wrongJsonType_isRejectedNamingTheType() {
        ObjectNode body = minimal();
        body.put("company_context", 42);

        assertRejected(body, "company_context", "must be a string, got a number");
    }

    @CsvSource({"priority, critical, 'low, normal, high, urgent'",
            "content_type, podcast, 'blog_post, social_media, email, landing_page, press_release'",
            "strategy, swarm, 'sequential, parallel'"})
    @ParameterizedTest
    void enumFieldOutsideItsValues_isRejectedListingThem(String field, String value, String allowed) {
        ObjectNode body = minimal();
        body.put(field, value);

        assertRejected(body, field, "must be one of " + allowed + ", got '" + value + "'");
    }

    @Test
    void enumFieldOfTheWrongType_isRejected() {
        ObjectNode body = minimal();
        body.putArray("strategy").add("parallel");

        assertRejected(body, "strategy", "got an array");
    }

    @Test
    void keywords_areValidatedOneByOne() {
        ObjectNode body = minimal();
        body.putArray("keywords").add("analytics").add(7);
        assertRejected(body, "keywords[1]", "must be a string, got a number");

        body.putArray("keywords").add("analytics").add(" ");
        assertRejected(body, "keywords[1]", "must not be blank");

        body.putArray("keywords").add("analytics").add("???");
        assertRejected(body, "keywords[1]", "must contain at least one letter or digit");

        body.putArray("keywords").add(".NET").add("C#");
        assertThat(parser.parse(body.toString()).keywords()).containsExactly(".NET", "C#");

        body.putArray("keywords").add("k".repeat(81));
        assertRejected(body, "keywords[0]", "at most 80 characters");

        body.putArray("keywords").add("Analytics").add("funnels").add("analytics");
        assertRejected(body, "keywords[2]", "repeats keywords[0]");

        body.put("keywords", "analytics");
        assertRejected(body, "keywords", "must be an array of strings, got a string");
    }

    @Test
    void moreThan20Keywords_areRejected() {
        ObjectNode body = minimal();
        var keywords = body.putArray("keywords");
        for (int i = 0; i < 21; i++) {
            keywords.add("keyword " + i);
        }

        assertRejected(body, "keywords", "at most 20 keywords, got 21");
    }

    @Test
    void agentParametersForAnUnknownAgent_areRejected() {
        ObjectNode body = minimal();
        body.putObject("agent_parameters").putObject("translator").put("language", "fr");

        assertRejected(body, "agent_parameters.translator", "is not an agent; expected one of [planner, researcher");
    }

    @Test
    void agentParameters_mustBeSmallScalarsOrArraysOfThem() {
        ObjectNode body = minimal();
        ObjectNode writer = body.putObject("agent_parameters").putObject("writer");
        writer.putObject("style").put("tone", "dry");
        assertRejected(body, "agent_parameters.writer.style", "must be a string, number or boolean");

        writer.removeAll().putNull("tone");
        assertRejected(body, "agent_parameters.writer.tone", "got null");

        writer.removeAll().put("tone", "t".repeat(501));
        assertRejected(body, "agent_parameters.writer.tone", "at most 500 characters");

        writer.removeAll().putArray("channels").add("x").addObject();
        assertRejected(body, "agent_parameters.writer.channels[1]", "got an object");

        writer.removeAll().put("tone.$", "$$.Execution.Input");
        assertRejected(body, "agent_parameters.writer.tone.$", "parameter names must match");

        body.put("agent_parameters", "writer");
        assertRejected(body, "agent_parameters", "must be an object of agent name to parameters, got a string");
    }

    @Test
    void agentParameters_theAgentsCouldNotRunWith_areRejectedBeforeTheCampaignStarts() {
        ObjectNode body = minimal();
        ObjectNode agents = body.putObject("agent_parameters");
        agents.putObject("writer").put("target_words", 10);
        assertRejected(body, "agent_parameters.writer.target_words", "parameter target_words must be between 30 and 5000, got 10");

        for (String tiny : new String[] {"1e-200", "-1e200"}) { // DynamoDB could not store the request
            ObjectNode request = minimal();
            String json = request.toString().replace("}", ",\"agent_parameters\":{\"writer\":{\"x\":" + tiny + "}}}");
            assertThatThrownBy(() -> parser.parse(json)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.getMessage()).startsWith("agent_parameters.writer.x: is out of range"));
        }

        // 2^32 + 900 would be 900 as an int: a number too large for the range is refused as it was given
        agents.removeAll().putObject("writer").put("target_words", 4_294_968_196L);
        assertRejected(body, "agent_parameters.writer.target_words", "parameter target_words must be between 30 and 5000, got 4294968196");
        agents.removeAll().putObject("planner").put("posts", 4_294_967_297L);
        assertRejected(body, "agent_parameters.planner.posts", "parameter posts must be between 1 and 10, got 4294967297");

        agents.removeAll().putObject("writer").put("tone", "playful");
        assertRejected(body, "agent_parameters.writer.tone", "parameter tone must be one of [conversational, formal,"
                + " friendly, informative, persuasive, practical], got 'playful'");
        agents.removeAll().putObject("planner").put("tone", "playful");
        assertRejected(body, "agent_parameters.planner.tone", "parameter tone must be one of");
        agents.removeAll().putObject("writer").put("tone", "Formal");
        assertThat(parser.parse(body.toString())).isNotNull();

        agents.removeAll().putObject("planner").put("posts", "many");
        assertRejected(body, "agent_parameters.planner.posts", "parameter posts must be a whole number");
        // a number in a string is a string, as for any other parameter ("tone": 5 is refused alike)
        agents.removeAll().putObject("writer").put("target_words", "900");
        assertRejected(body, "agent_parameters.writer.target_words",
                "parameter target_words must be a whole number, got the string \"900\"; write it without quotes");

        agents.removeAll().putObject("writer").put("target_words", 10);
        agents.putObject("ghostwriter").put("x", 1);
        ObjectNode distribution = agents.putObject("distribution").put("base_url", "ftp://example.com");
        distribution.putArray("channels").add("myspace");
        assertThatThrownBy(() -> parser.parse(body.toString()))
                .as("every wrong agent and parameter is named at once")
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .extracting(InvalidRequestException.Problem::field)
                        .containsExactly("agent_parameters.writer.target_words", "agent_parameters.ghostwriter",
                                "agent_parameters.distribution.base_url", "agent_parameters.distribution.channels"));

        agents.removeAll().putObject("researcher").put("focus", "weather");
        assertRejected(body, "agent_parameters.researcher.focus", "parameter focus must be one of [market, audience, competitors]");

        agents.removeAll().putObject("distribution").putArray("channels").add("fax").add("pager");
        assertRejected(body, "agent_parameters.distribution.channels", "no supported channel in [fax, pager]");

        agents.removeAll().putObject("distribution").put("base_url", "ftp://example.com");
        assertRejected(body, "agent_parameters.distribution.base_url", "parameter base_url must be an http(s) URL");

        // what the rule-based agents do not read is left to other implementations
        agents.removeAll().putObject("writer").put("temperature", 0.4).put("target_words", 1200);
        agents.putObject("distribution").putArray("channels").add("LinkedIn").add("fax");
        assertThat(parser.parse(body.toString()).agentParameters()).containsKeys("writer", "distribution");
    }

    @Test
    void agentParametersOverTheirSizeLimit_areRejected() {
        ObjectNode body = minimal();
        ObjectNode agents = body.putObject("agent_parameters");
        for (String agent : List.of("planner", "researcher", "writer", "editor")) {
            ObjectNode parameters = agents.putObject(agent);
            for (int i = 0; i < 5; i++) {
                parameters.put("p" + i, "v".repeat(450));
            }
        }

        assertRejected(body, "agent_parameters", "at most 8192 bytes as JSON");
    }

    @Test
    void agentParameterNumbers_keepTheirKind() {
        ObjectNode body = minimal();
        ObjectNode writer = body.putObject("agent_parameters").putObject("writer");
        writer.put("target_words", 900).put("temperature", 0.4).put("long_value", 5_000_000_000L).put("draft", true);

        Map<String, Object> parameters = parser.parse(body.toString()).agentParameters().get("writer");

        assertThat(parameters).containsEntry("target_words", 900).containsEntry("temperature", 0.4)
                .containsEntry("long_value", 5_000_000_000L).containsEntry("draft", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "workflow_id", "tenant", "created_at"})
    void readOnlyField_isRejectedAsReadOnly(String field) {
        ObjectNode body = minimal();
        body.put(field, "x");

        assertRejected(body, field, "is read-only");
    }

    @Test
    void unknownField_isRejectedListingTheFields() {
        ObjectNode body = minimal();
        body.put("budget", 100);

        assertRejected(body, "budget", "is not a campaign request field; expected [campaign_id,");
    }

    @Test
    void malformedJson_isRejectedWithItsLocationAndWithoutEchoingTheBody() {
        assertThatThrownBy(() -> parser.parse("{\"campaign_id\": \"secret-value\",\n \"x\" }"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.getMessage()).contains("is not valid JSON at line 2").doesNotContain("secret-value");
                });
    }

    @Test
    void duplicateKeysAndTrailingContent_areRejected() {
        assertThatThrownBy(() -> parser.parse("{\"campaign_id\": \"a\", \"campaign_id\": \"b\"}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Duplicate field 'campaign_id'");
        assertThatThrownBy(() -> parser.parse(minimal() + " {}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("body: is not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"camp\"", "null", "42"})
    void nonObjectBody_isRejected(String body) {
        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.getMessage()).contains("must be a JSON object");
                });
    }

    @Test
    void emptyOrOversizedBody_isRejected() {
        assertThatThrownBy(() -> parser.parse(new byte[0]))
                .isInstanceOf(InvalidRequestException.class).hasMessage("body: a JSON object is required");
        assertThatThrownBy(() -> parser.parse(new byte[CampaignRequestParser.MAX_BODY_BYTES + 1]))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 65536 bytes");
    }
}
