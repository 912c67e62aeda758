-- Runs after every migrate: the runtime role may read the migration history (health reports the
-- schema version) but never change it.
grant select on flyway_schema_history to ${appRole};
revoke insert, update, delete, truncate on flyway_schema_history from ${appRole};
