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

    @Test
    void companyName_isFoundAfterAnOpeningPrepositionOrArticle_notTakenFromIt() {
        assertThat(CampaignFacts.companyName("In 2024, Brightline Labs launched iPhone testing on real devices."))
                .isEqualTo("Brightline Labs");
        assertThat(CampaignFacts.companyName("At Acme Commerce, we automate returns for online shops."))
                .isEqualTo("Acme Commerce");
        assertThat(CampaignFacts.companyName("The company behind Ledgerly files VAT returns.")).isEqualTo("Ledgerly");
        assertThat(CampaignFacts.companyName("Since 2019, Café Müller's bakery delivers to offices.")).isEqualTo("Café Müller");
        assertThat(CampaignFacts.companyName("In the EU, GDPR fines keep rising.")).isEqualTo("the company");
        assertThat(CampaignFacts.companyName("Very Good Software builds tools.")).isEqualTo("Very Good Software");
        assertThat(CampaignFacts.companyName("Our team at Acme builds tools.")).isEqualTo("the company");
        assertThat(CampaignFacts.companyName("Small clinics lose hours to paperwork. CareNote turns forms into records."))
                .isEqualTo("CareNote");
        assertThat(CampaignFacts.companyName("Many law firms track hours by hand. TimeLedger captures them."))
                .isEqualTo("TimeLedger");
        assertThat(CampaignFacts.companyName("En 2023, Soluciones Verdes instaló paneles solares.")).isEqualTo("Soluciones Verdes");
        assertThat(CampaignFacts.companyName("Chez Dupont Conseil, nous aidons les PME.")).isEqualTo("Dupont Conseil");
    }

    @Test
    void audienceShort_keepsANameCapitalised_andIsNeverCutAfterAnAnd() {
        assertThat(CampaignFacts.audienceShort("Shopify merchants with 10-50 staff", "At Acme Commerce, we help Shopify"
                + " merchants automate returns.", List.of())).isEqualTo("Shopify merchants");
        assertThat(CampaignFacts.audienceShort("Warehouse managers at mid-sized firms", "Acme builds warehouse tools.",
                List.of())).isEqualTo("warehouse managers");
        assertThat(CampaignFacts.audienceShort("Senior QA engineers and mobile engineering leads", "Brightline tests apps.",
                List.of())).isEqualTo("senior QA engineers");
        assertThat(CampaignFacts.audienceShort("Salesforce admins", "Admins love it.", List.of("Salesforce automation")))
                .isEqualTo("Salesforce admins");
    }

    @Test
    void keywordsExtractedFromTheContext_areNoGenericSingleWords() {
        CampaignRequest r = Campaigns.sample();
        CampaignRequest noKeywords = new CampaignRequest(r.campaignId(), r.companyContext(), r.targetAudience(),
                r.contentObjective(), r.priority(), r.contentType(), r.strategy(), List.of(), r.agentParameters());

        List<String> keywords = CampaignFacts.of(noKeywords).keywords();

        assertThat(keywords).contains("on-device redaction", "warehouse-native funnels")
                .doesNotContain("product", "tier", "teams");
        CampaignRequest tiny = new CampaignRequest("camp-tiny", "Acme sells APIs.", "Developers", "Get signups", "normal",
                "blog_post", "sequential", List.of(), Map.of());
        assertThat(CampaignFacts.of(tiny).keywords()).containsExactly("apis");
    }

    @Test
    void keywordsExtractedFromTheContext_neverRepeatAWordOfAPhraseTakenAlready() {
        CampaignRequest r = new CampaignRequest("camp-x", "Northwind Analytics builds product analytics for SaaS teams. "
                + "Product analytics with session replay helps SaaS teams ship.", "Heads of product", "Explain product analytics",
                "normal", "blog_post", "sequential", List.of(), Map.of());

        List<String> keywords = CampaignFacts.of(r).keywords();

        assertThat(keywords).contains("product analytics").doesNotContain("product", "analytics");
        for (String k : keywords) {
            for (String other : keywords) {
                if (!k.equals(other)) {
                    assertThat(List.of(other.split(" "))).as(k + " / " + other).doesNotContainAnyElementsOf(List.of(k.split(" ")));
                }
            }
        }
    }
}
