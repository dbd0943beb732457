#!/bin/sh
# HAProxy external check (scripts/cluster-test): succeeds when the PostgreSQL server at
# $3:$4 answers and is a primary (not in recovery). HAProxy passes
# <proxy address> <proxy port> <server address> <server port>; `psql` comes from the
# `external-check path` of the configuration.
out=$(PGCONNECT_TIMEOUT=2 psql -X -q -w -h "$3" -p "$4" -U postgres -d postgres \
    -Atc 'select not pg_is_in_recovery()' 2>/dev/null) || exit 1
[ "$out" = t ]
