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
 *   <li>{@code projector-enabled} (true), {@code projector-group} (search.instrument-projector: the
 *       group whose committed offsets the projector resumes from; it assigns itself the partitions
 *       and joins no group);</li>
 *   <li>{@code synonyms-path}: an admins' file of extra synonym groups, read next to the built-in
 *       {@code search/synonyms.txt} and re-read when it changes (no reindex needed);</li>
 *   <li>{@code type-keys} (true): a named instrument type is matched by the documents' precomputed
 *       synonym keys ({@code typeKeys}) where the index has them; false expands every group into its
 *       members as before (an escape hatch, and the benchmark's A/B switch);</li>
 *   <li>{@code tenant-cache} (30s): how long the tenant registry is cached between lifecycle events;</li>
 *   <li>{@code max-concurrent} (0 = twice the processor count): searches and suggestions running at
 *       once; {@code queue-wait} (100ms): how long one more waits for a slot before it is refused with
 *       503 {@code search_busy} and {@code Retry-After: retry-after} (1s) — overload is refused, not
 *       queued without bound ({@link SearchAdmission}).</li>
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
    private volatile boolean typeKeys = true;
    private Duration tenantCache = Duration.ofSeconds(30);
    private int maxConcurrent = 0;
    private Duration queueWait = Duration.ofMillis(100);
    private Duration retryAfter = Duration.ofSeconds(1);

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

    public boolean isTypeKeys() {
        return typeKeys;
    }

    public void setTypeKeys(boolean typeKeys) {
        this.typeKeys = typeKeys;
    }

    public Duration getTenantCache() {
        return tenantCache;
    }

    public void setTenantCache(Duration tenantCache) {
        this.tenantCache = tenantCache;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    public Duration getQueueWait() {
        return queueWait;
    }

    public void setQueueWait(Duration queueWait) {
        this.queueWait = queueWait;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public String alias() {
        return indexPrefix + "-instruments";
    }

    public String nextAlias() {
        return indexPrefix + "-instruments-next";
    }
}
