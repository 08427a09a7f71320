package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.CampaignRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignFactsTest {

    @Test
    void keywords_keepAcronymsAndNamesAsWritten_andLowerCaseASentenceCasedPhrase() {
        assertThat(CampaignFacts.keywordCase("GDPR compliance")).isEqualTo("GDPR compliance");
        assertThat(CampaignFacts.keywordCase("Shopify Plus")).isEqualTo("Shopify Plus");
        assertThat(CampaignFacts.keywordCase("AI")).isEqualTo("AI");
        assertThat(CampaignFacts.keywordCase("Product analytics")).isEqualTo("product analytics");
        assertThat(CampaignFacts.keywordCase("  session   replay ")).isEqualTo("session replay");
    }

    @Test
    void keywords_areDeduplicatedWhateverTheirCase() {
        CampaignRequest r = new CampaignRequest("camp-k", "Shopco builds compliance tools.", "Store owners", "Show how",
                "normal", "blog_post", "sequential", List.of("GDPR compliance", "gdpr compliance", "AI"), Map.of());
        assertThat(CampaignFacts.of(r).keywords()).containsExactly("GDPR compliance", "AI");
    }

    @Test
    void companyName_acceptsLettersWithAccentsAndOtherScripts() {
        assertThat(CampaignFacts.companyName("Éclair Numérique conçoit des outils pour les boulangeries."))
                .isEqualTo("Éclair Numérique");
        assertThat(CampaignFacts.companyName("Økologisk Øl brews organic beer.")).isEqualTo("Økologisk Øl");
        assertThat(CampaignFacts.companyName("We build tools.")).isEqualTo("the company");
    }
}
