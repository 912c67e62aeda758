package org.labcommons.core.reports.outputs;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code labcommons.reports.outputs.*} (defaults in the kernel's application.yml): {@code import-max-rows} [2000],
 * the data rows one spreadsheet import may hold (the file's size, cells and zip limits are the catalogue import's,
 * {@code labcommons.import}).
 */
@ConfigurationProperties("labcommons.reports.outputs")
public class OutputSettings {
    private int importMaxRows = 2000;

    public int getImportMaxRows() { return importMaxRows; }
    public void setImportMaxRows(int importMaxRows) { this.importMaxRows = Math.max(1, Math.min(importMaxRows, 50_000)); }
}
