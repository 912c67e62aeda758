package org.labcommons.core.reports.ratings;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.reports.ratings.*} (defaults in the kernel's application.yml):
 * <ul>
 *   <li>{@code change-window} [P30D]: how long after first rating the rater may change it (a new version);</li>
 *   <li>{@code rate-window} [P365D]: how long after the service (booking's end, results ready) it may still be rated
 *       and is listed on /my/ratings;</li>
 *   <li>{@code comment-max} [1000], {@code reply-max} [1000]: characters of a comment and of a reply;</li>
 *   <li>{@code panel-comments} [5]: comments shown on the instrument page's panel.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.reports.ratings")
public class RatingSettings {
    private Duration changeWindow = Duration.ofDays(30);
    private Duration rateWindow = Duration.ofDays(365);
    private int commentMax = 1000;
    private int replyMax = 1000;
    private int panelComments = 5;

    public Duration getChangeWindow() { return changeWindow; }
    public void setChangeWindow(Duration changeWindow) { this.changeWindow = changeWindow; }
    public Duration getRateWindow() { return rateWindow; }
    public void setRateWindow(Duration rateWindow) { this.rateWindow = rateWindow; }
    public int getCommentMax() { return commentMax; }
    public void setCommentMax(int commentMax) { this.commentMax = Math.max(1, Math.min(commentMax, 2000)); }
    public int getReplyMax() { return replyMax; }
    public void setReplyMax(int replyMax) { this.replyMax = Math.max(1, Math.min(replyMax, 2000)); }
    public int getPanelComments() { return panelComments; }
    public void setPanelComments(int panelComments) { this.panelComments = Math.max(0, Math.min(panelComments, 50)); }
}
