package com.campaignflow.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void parse_mapsEachKeyToItsTenant_andATenantMayHaveSeveralKeys() {
        ApiKeys keys = ApiKeys.parse(" acme = key-acme-0001 , globex=key-globex-01,acme=key-acme-0002");

        assertThat(keys.tenantOf("key-acme-0001")).contains("acme");
        assertThat(keys.tenantOf("key-acme-0002")).contains("acme");
        assertThat(keys.tenantOf("key-globex-01")).contains("globex");
        assertThat(keys.tenantOf("key-acme-000")).isEmpty();
        assertThat(keys.tenantOf("")).isEmpty();
        assertThat(keys.tenantOf(null)).isEmpty();
        assertThat(keys.tenants()).containsExactly("acme", "globex");
    }

    @Test
    void unsetOrBlank_acceptsNoKey() {
        assertThat(ApiKeys.parse(null).isEmpty()).isTrue();
        assertThat(ApiKeys.parse(" ").tenantOf("anything-at-all")).isEmpty();
    }

    @Test
    void malformedEntries_areRejectedWithoutEchoingTheKey() {
        assertThatThrownBy(() -> ApiKeys.parse("acme")).hasMessageContaining("entry 1 must be tenant=key");
        assertThatThrownBy(() -> ApiKeys.parse("Acme Corp=secret-key-1")).hasMessageContaining("tenant must match");
        assertThatThrownBy(() -> ApiKeys.parse("acme=short")).hasMessageContaining("8 to 256")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiKeys.parse("acme=secret-key-1,globex=secret-key-1"))
                .hasMessageContaining("already given").hasMessageNotContaining("secret-key-1");
    }
}
