package org.labcommons.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * {@code labcommons.search.*}: where the instrument index lives and how the projector runs.
 *
 * <ul>
 *   <li>{@code index-prefix} (labcommons): the alias is {@code <prefix>-instruments}, a rebuild in
 *       progress is {@code <prefix>-instruments-next}, concrete indices {@code <prefix>-instruments-v<M>-<millis>};</li>
 *   <li>{@code shards} (1), {@code replicas} (0; 1 or more on a cluster), {@code refresh-interval} (500ms:
 *       part of the change-to-searchable delay);</li>
 *   <li>{@code projector-enabled} (true), {@code projector-group} (search.instrument-projector);</li>
 *   <li>{@code synonyms-path}: an admins' file of extra synonym groups, read next to the built-in
 *       {@code search/synonyms.txt} and re-read when it changes (no reindex needed);</li>
 *   <li>{@code tenant-cache} (30s): how long the tenant registry is cached between lifecycle events.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.search")
public class SearchSettings {
    private String indexPrefix = "labcommons";
    private int shards = 1;
    private int replicas = 0;
    private String refreshInterval = "500ms";
    private boolean projectorEnabled = true;
    private String projectorGroup = "search.instrument-projector";
    @Nullable
    private String synonymsPath;
    private Duration tenantCache = Duration.ofSeconds(30);

    public String getIndexPrefix() {
        return indexPrefix;
    }

    public void setIndexPrefix(String indexPrefix) {
        if (!indexPrefix.matches("[a-z0-9][a-z0-9_-]{0,40}")) {
            throw new IllegalArgumentException("labcommons.search.index-prefix must be lower case letters, digits, - or _");
        }
        this.indexPrefix = indexPrefix;
    }

    public int getShards() {
        return shards;
    }

    public void setShards(int shards) {
        this.shards = shards;
    }

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public String getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(String refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public boolean isProjectorEnabled() {
        return projectorEnabled;
    }

    public void setProjectorEnabled(boolean projectorEnabled) {
        this.projectorEnabled = projectorEnabled;
    }

    public String getProjectorGroup() {
        return projectorGroup;
    }

    public void setProjectorGroup(String projectorGroup) {
        this.projectorGroup = projectorGroup;
    }

    @Nullable
    public String getSynonymsPath() {
        return synonymsPath;
    }

    public void setSynonymsPath(@Nullable String synonymsPath) {
        this.synonymsPath = synonymsPath;
    }

    public Duration getTenantCache() {
        return tenantCache;
    }

    public void setTenantCache(Duration tenantCache) {
        this.tenantCache = tenantCache;
    }

    public String alias() {
        return indexPrefix + "-instruments";
    }

    public String nextAlias() {
        return indexPrefix + "-instruments-next";
    }
}
