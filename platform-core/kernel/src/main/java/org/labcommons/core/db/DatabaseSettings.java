package org.labcommons.core.db;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code labcommons.db.*}: where the system of record is. The runtime role (user/password) owns
 * nothing and is neither superuser nor BYPASSRLS; the owner role runs migrations.
 * Environment variables: LABCOMMONS_DB_URL, _USER, _PASSWORD, _OWNER_USER, _OWNER_PASSWORD, _MIGRATE.
 */
@ConfigurationProperties("labcommons.db")
public class DatabaseSettings {
    private String url = "jdbc:postgresql://localhost:5432/labcommons";
    private String user = "labcommons_app";
    private String password = "";
    @Nullable
    private String ownerUser;
    @Nullable
    private String ownerPassword;
    private boolean migrate = true;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    @Nullable public String getOwnerUser() { return ownerUser; }
    public void setOwnerUser(@Nullable String ownerUser) { this.ownerUser = ownerUser; }
    @Nullable public String getOwnerPassword() { return ownerPassword; }
    public void setOwnerPassword(@Nullable String ownerPassword) { this.ownerPassword = ownerPassword; }
    /** Run migrations at start-up (only one role per deployment should: the chart sets it for core). */
    public boolean isMigrate() { return migrate; }
    public void setMigrate(boolean migrate) { this.migrate = migrate; }
}
