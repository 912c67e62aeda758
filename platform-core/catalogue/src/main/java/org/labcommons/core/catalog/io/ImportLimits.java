package org.labcommons.core.catalog.io;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.import.*}: what an uploaded asset register may cost before it is refused
 * (defaults in brackets; env LABCOMMONS_IMPORT_…). Every limit is checked before the thing it
 * limits is held in memory: the declared upload size before reading, the zip entries' inflated
 * bytes while inflating, rows, columns and cell lengths while parsing.
 * <ul>
 *   <li>{@code max-file-bytes} [16 MiB]: the uploaded file (below the server's 20 MB request limit,
 *       so the answer is ours: 413 problem+json);</li>
 *   <li>{@code max-rows} [50,000] data rows; {@code max-columns} [200]; {@code max-cell-chars}
 *       [32,767, Excel's own cell limit];</li>
 *   <li>{@code max-inflated-bytes} [200 MiB]: all entries of an .xlsx together, once inflated;
 *       {@code min-inflate-ratio} [0.01]: an entry inflating more than 100-fold is a zip bomb;</li>
 *   <li>{@code upload-ttl} [24h]: how long an upload waits for its commit;</li>
 *   <li>{@code preview-rows} [20]: rows shown by the preview.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.import")
public class ImportLimits {
    private long maxFileBytes = 16L * 1024 * 1024;
    private int maxRows = 50_000;
    private int maxColumns = 200;
    private int maxCellChars = 32_767;
    private long maxInflatedBytes = 200L * 1024 * 1024;
    private double minInflateRatio = 0.01;
    private Duration uploadTtl = Duration.ofHours(24);
    private int previewRows = 20;

    public long getMaxFileBytes() { return maxFileBytes; }
    public void setMaxFileBytes(long maxFileBytes) { this.maxFileBytes = maxFileBytes; }
    public int getMaxRows() { return maxRows; }
    public void setMaxRows(int maxRows) { this.maxRows = maxRows; }
    public int getMaxColumns() { return maxColumns; }
    public void setMaxColumns(int maxColumns) { this.maxColumns = maxColumns; }
    public int getMaxCellChars() { return maxCellChars; }
    public void setMaxCellChars(int maxCellChars) { this.maxCellChars = maxCellChars; }
    public long getMaxInflatedBytes() { return maxInflatedBytes; }
    public void setMaxInflatedBytes(long maxInflatedBytes) { this.maxInflatedBytes = maxInflatedBytes; }
    public double getMinInflateRatio() { return minInflateRatio; }
    public void setMinInflateRatio(double minInflateRatio) { this.minInflateRatio = minInflateRatio; }
    public Duration getUploadTtl() { return uploadTtl; }
    public void setUploadTtl(Duration uploadTtl) { this.uploadTtl = uploadTtl; }
    public int getPreviewRows() { return previewRows; }
    public void setPreviewRows(int previewRows) { this.previewRows = Math.max(1, Math.min(previewRows, 200)); }

    /** Limits for code that runs without the application context (the benchmark generator, tests). */
    public static ImportLimits defaults() {
        return new ImportLimits();
    }
}
