-- Facts about this database itself (schema owner, creation time). Later issues add the
-- governance tables (keys, teams, spend logs, ...) in their own migrations.
CREATE TABLE gateway_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO gateway_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
