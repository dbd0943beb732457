-- Roles of the replicated set-up. Run once on the primary as postgres:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -f roles.sql
-- (they reach the replica by replication). Then give each a password (\password NAME in
-- psql, so the password never lands in a shell history or a log) and put the passwords in
-- ~postgres/.pgpass on both servers (replicator, caisse_ha) and in /etc/haproxy/pgpass on
-- the HAProxy hosts (haproxy_check).

-- No replica streams yet, and caisse-ha.conf makes every commit wait for one: these
-- statements wait for the local disk only.
SET synchronous_commit = local;

-- Streaming replication and pg_basebackup.
CREATE ROLE replicator WITH LOGIN REPLICATION;

-- What the other server's scripts do here (switchover, failover, setup-replica): read the
-- replication state, promote, create slots (REPLICATION), let pg_rewind read files, and
-- turn synchronous replication off and on. No superuser needed.
CREATE ROLE caisse_ha WITH LOGIN REPLICATION;
GRANT pg_monitor TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_promote(boolean, integer) TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_reload_conf() TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO caisse_ha;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO caisse_ha;
GRANT ALTER SYSTEM ON PARAMETER synchronous_standby_names TO caisse_ha;

-- HAProxy's checks (haproxy/pg-is-primary): connect and read the recovery state and the
-- wal receiver's status (pg_monitor shows it to non-superusers).
CREATE ROLE haproxy_check WITH LOGIN;
GRANT pg_monitor TO haproxy_check;

-- The portal. It owns its database: the migrations create tables and the btree_gist
-- extension (trusted: the owner may create it).
CREATE ROLE caisse WITH LOGIN;
CREATE DATABASE caisse OWNER caisse ENCODING 'UTF8' TEMPLATE template0;
