package org.labcommons.core.samples;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code labcommons.samples.*} (defaults in brackets; env LABCOMMONS_SAMPLES_…):
 * <ul>
 *   <li>{@code max-file-bytes} [16 MiB]: one result or report file (below the server's 20 MB
 *       request limit, so the refusal is ours: 413 problem+json {@code too_large});</li>
 *   <li>{@code max-files} [10]: result files per request (more: 400 {@code too_many});</li>
 *   <li>{@code page-size} [20], {@code max-page-size} [100]: lists.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.samples")
public class SampleSettings {
    private long maxFileBytes = 16L * 1024 * 1024;
    private int maxFiles = 10;
    private int pageSize = 20;
    private int maxPageSize = 100;

    public long getMaxFileBytes() { return maxFileBytes; }
    public void setMaxFileBytes(long maxFileBytes) { this.maxFileBytes = maxFileBytes; }
    public int getMaxFiles() { return maxFiles; }
    public void setMaxFiles(int maxFiles) { this.maxFiles = maxFiles; }
    public int getPageSize() { return pageSize; }
    public void setPageSize(int pageSize) { this.pageSize = pageSize; }
    public int getMaxPageSize() { return maxPageSize; }
    public void setMaxPageSize(int maxPageSize) { this.maxPageSize = maxPageSize; }
}
