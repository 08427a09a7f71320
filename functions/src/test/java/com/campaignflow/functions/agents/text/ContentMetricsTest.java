package com.campaignflow.functions.agents.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentMetricsTest {

    @Test
    void syllables_followTheHeuristicForCommonWords() {
        assertThat(ContentMetrics.syllables("cat")).isEqualTo(1);
        assertThat(ContentMetrics.syllables("table")).isEqualTo(2);
        assertThat(ContentMetrics.syllables("make")).isEqualTo(1);
        assertThat(ContentMetrics.syllables("analytics")).isEqualTo(4);
        assertThat(ContentMetrics.syllables("wanted")).isEqualTo(2);
        assertThat(ContentMetrics.syllables("jumped")).isEqualTo(1);
        assertThat(ContentMetrics.syllables("privacy-first")).isEqualTo(4);
    }

    @Test
    void sentences_skipMarkdownHeadingsAndSplitListItems() {
        String md = "# Title\n\nFirst sentence here. Second one follows!\n\n## Heading\n- item one is here\n- item two";
        assertThat(ContentMetrics.sentences(md))
                .containsExactly("First sentence here.", "Second one follows!", "item one is here", "item two");
    }

    @Test
    void flesch_isHigherForShortPlainSentencesThanForLongComplexOnes() {
        var plain = ContentMetrics.readability("The cat sat on the mat. It was warm. We had tea.");
        var dense = ContentMetrics.readability("Organisational transformation initiatives necessitate comprehensive "
                + "stakeholder alignment regarding interdependent operational capabilities and institutional considerations.");
        assertThat(plain.fleschReadingEase()).isGreaterThan(90);
        assertThat(dense.fleschReadingEase()).isLessThan(10);
        assertThat(ContentMetrics.readabilityScore(plain)).isGreaterThan(ContentMetrics.readabilityScore(dense));
        assertThat(ContentMetrics.readabilityScore(dense)).isGreaterThan(0);
        assertThat(plain.avgSentenceLength()).isEqualTo(4.0);
    }

    @Test
    void occurrences_matchWholeMultiWordKeywordsCaseInsensitively() {
        String text = "Product analytics helps. PRODUCT ANALYTICS again; productanalytics no; product\nanalytics yes.";
        assertThat(ContentMetrics.occurrences(text, "product analytics")).isEqualTo(3);
        assertThat(ContentMetrics.occurrences("warehouse-native funnels and warehouse native funnels", "warehouse-native funnels")).isEqualTo(1);
        assertThat(ContentMetrics.densityPercent("alpha beta alpha beta", "alpha beta")).isEqualTo(100.0);
    }

    @Test
    void topTerms_ignoreStopwordsAndPreferRepeatedPhrases() {
        List<ContentMetrics.Term> terms = ContentMetrics.topTerms(
                "The bread subscription is new. A bread subscription saves time. The bakery bakes bread.", 3);
        assertThat(terms).extracting(ContentMetrics.Term::term).first().isEqualTo("bread subscription");
        assertThat(terms).extracting(ContentMetrics.Term::term).doesNotContain("the", "is", "a");
    }

    @Test
    void truncateAtWord_neverExceedsTheLimitNorCutsAWord() {
        String t = ContentMetrics.truncateAtWord("one two three four five six", 14);
        assertThat(t).isEqualTo("one two three");
        assertThat(ContentMetrics.truncateAtWord("short", 10)).isEqualTo("short");
    }

    @Test
    void truncateAtWord_withNoRoomLeft_isEmptyInsteadOfThrowing() {
        assertThat(ContentMetrics.truncateAtWord("one two three", 0)).isEmpty();
        assertThat(ContentMetrics.truncateAtWord("one two three", -1)).isEmpty();
    }

    @Test
    void wholeWords_keepsOnlyCompleteWords() {
        assertThat(ContentMetrics.wholeWords("Privacy-first analytics for teams", 12)).isEqualTo("");
        assertThat(ContentMetrics.wholeWords("Privacy-first analytics for teams", 27)).isEqualTo("Privacy-first analytics for");
        assertThat(ContentMetrics.wholeWords("one, two three", 7)).isEqualTo("one");
        assertThat(ContentMetrics.wholeWords("short", 5)).isEqualTo("short");
        assertThat(ContentMetrics.wholeWords("short text", -3)).isEmpty();
    }

    @Test
    void titleCase_keepsJoiningWordsLowerAndAcronymsIntact() {
        assertThat(ContentMetrics.titleCase("getting value from B2B SaaS tools")).isEqualTo("Getting Value from B2B SaaS Tools");
    }

    @Test
    void sentences_endAtChineseAndJapaneseStopsAndBeforeAccentedOrUncasedLetters() {
        assertThat(ContentMetrics.sentences("云图分析提供产品分析平台。新版本增加了会话回放！团队版现已推出？"))
                .containsExactly("云图分析提供产品分析平台。", "新版本增加了会话回放！", "团队版现已推出？");
        assertThat(ContentMetrics.sentences("Le pain est prêt. Éclair livre le matin."))
                .containsExactly("Le pain est prêt.", "Éclair livre le matin.");
        assertThat(ContentMetrics.sentences("شركة نجمة تبني منصة. تساعد الفرق؟ نعم."))
                .containsExactly("شركة نجمة تبني منصة.", "تساعد الفرق؟", "نعم.");
    }

    @Test
    void capitalize_leavesANameWithAnInnerCapitalAsWritten() {
        assertThat(ContentMetrics.capitalize("iPhone testing matters")).isEqualTo("iPhone testing matters");
        assertThat(ContentMetrics.capitalize("eBay sellers")).isEqualTo("eBay sellers");
        assertThat(ContentMetrics.capitalize("session replay")).isEqualTo("Session replay");
    }

    @Test
    void whitespaceCleanup_removesSpacesBeforePunctuationOnly_whereThePunctuationEndsAWord() {
        assertThat(Cleanup.whitespace("Move legacy .NET Framework apps , then tidy up . .NET migration matters ."))
                .isEqualTo("Move legacy .NET Framework apps, then tidy up. .NET migration matters.");
        assertThat(Cleanup.whitespace("Why  does it matter ?  It does !")).isEqualTo("Why does it matter? It does!");
    }

    @Test
    void isPlural_readsTheLastWord() {
        assertThat(ContentMetrics.isPlural("warehouse-native funnels")).isTrue();
        assertThat(ContentMetrics.isPlural("APIs")).isTrue();
        assertThat(ContentMetrics.isPlural("product analytics")).isFalse();
        assertThat(ContentMetrics.isPlural("session replay")).isFalse();
        assertThat(ContentMetrics.isPlural("business process")).isFalse();
        assertThat(ContentMetrics.isPlural("SaaS")).isFalse();
        assertThat(ContentMetrics.isPlural("cohort analysis")).isFalse();
    }
}
