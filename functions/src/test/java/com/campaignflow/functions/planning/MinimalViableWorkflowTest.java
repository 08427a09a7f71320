package com.campaignflow.functions.planning;

import static com.campaignflow.functions.domain.AgentName.BASIC_QA;
import static com.campaignflow.functions.domain.AgentName.BASIC_RESEARCH;
import static com.campaignflow.functions.domain.AgentName.DISTRIBUTION;
import static com.campaignflow.functions.domain.AgentName.EDITOR;
import static com.campaignflow.functions.domain.AgentName.PLANNER;
import static com.campaignflow.functions.domain.AgentName.RESEARCHER;
import static com.campaignflow.functions.domain.AgentName.SEO;
import static com.campaignflow.functions.domain.AgentName.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.domain.AgentName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class MinimalViableWorkflowTest {

    static final List<String> CONTENT_TYPES = MinimalViableWorkflow.CONTENT_TYPES;

    @ParameterizedTest
    @FieldSource("CONTENT_TYPES")
    void everyContentType_runsTheSixAgentsInOrderAndNeedsPlannerAndWriter(String contentType) {
        MinimalViableWorkflow workflow = MinimalViableWorkflow.forContentType(contentType);

        assertThat(workflow.roles()).extracting(MinimalViableWorkflow.Role::agent)
                .containsExactly(PLANNER, RESEARCHER, WRITER, EDITOR, SEO, DISTRIBUTION);
        assertThat(workflow.requiredAgents()).contains(PLANNER, WRITER);
        assertThat(workflow.fallbackFor(WRITER)).isEmpty();
        assertThat(workflow.fallbackFor(PLANNER)).isEmpty();
        assertThat(workflow.qualityThreshold()).isBetween(0.5, 1.0);
        assertThat(workflow.limitations()).isNotBlank();
    }

    @Test
    void blogPost_requiresResearchAndMayReplaceEditorAndSeoByBasicQa() {
        MinimalViableWorkflow blog = MinimalViableWorkflow.forContentType("blog_post");

        assertThat(blog.requiredAgents()).containsExactly(PLANNER, RESEARCHER, WRITER);
        assertThat(blog.optionalAgents()).containsExactly(EDITOR, SEO, DISTRIBUTION);
        assertThat(blog.fallbackFor(RESEARCHER)).contains(BASIC_RESEARCH);
        assertThat(blog.fallbackFor(EDITOR)).contains(BASIC_QA);
        assertThat(blog.fallbackFor(SEO)).contains(BASIC_QA);
        assertThat(blog.fallbackFor(DISTRIBUTION)).isEmpty();
    }

    @Test
    void contentTypes_differWhereTheContentDoes() {
        assertThat(MinimalViableWorkflow.forContentType("social_media").optionalAgents())
                .as("a social post may go out unedited").contains(EDITOR, RESEARCHER);
        assertThat(MinimalViableWorkflow.forContentType("email").optionalAgents()).as("SEO matters little").contains(SEO);
        for (String contentType : MinimalViableWorkflow.CONTENT_TYPES) {
            MinimalViableWorkflow workflow = MinimalViableWorkflow.forContentType(contentType);
            assertThat(workflow.fallbackFor(EDITOR)).as(contentType).contains(BASIC_QA);
            assertThat(workflow.fallbackFor(SEO)).as(contentType).contains(BASIC_QA);
        }
        assertThat(MinimalViableWorkflow.forContentType("email").requiredAgents()).contains(EDITOR);
        assertThat(MinimalViableWorkflow.forContentType("landing_page").requiredAgents()).contains(SEO);
        assertThat(MinimalViableWorkflow.forContentType("press_release").requiredAgents()).contains(EDITOR);
    }

    @Test
    void derivedTables_matchTheWorkflows() {
        assertThat(MinimalViableWorkflow.indispensableAgents()).containsExactly(PLANNER, WRITER);
        assertThat(MinimalViableWorkflow.fallbacksInAnyWorkflow()).isEqualTo(
                Map.<AgentName, AgentName>of(RESEARCHER, BASIC_RESEARCH, EDITOR, BASIC_QA, SEO, BASIC_QA));
    }

    @Test
    void unknownContentType_isRejected() {
        assertThatThrownBy(() -> MinimalViableWorkflow.forContentType("podcast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("podcast");
    }
}
