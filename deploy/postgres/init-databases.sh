#!/usr/bin/env bash
# Runs once, when the postgres container starts with an empty volume
# (/docker-entrypoint-initdb.d). Creates one role and database for OpsDesk and one role with the
# two databases Temporal needs; neither role is a superuser.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v opsdesk_password="${OPSDESK_DB_PASSWORD:?set OPSDESK_DB_PASSWORD}" \
    -v temporal_password="${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD}" <<'SQL'
CREATE ROLE opsdesk LOGIN PASSWORD :'opsdesk_password';
CREATE DATABASE opsdesk OWNER opsdesk;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
