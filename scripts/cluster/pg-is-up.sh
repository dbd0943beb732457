#!/bin/sh
# HAProxy external check (scripts/cluster-test): succeeds when the PostgreSQL server at
# $3:$4 answers a query, primary or replica (the read frontend takes either).
out=$(PGCONNECT_TIMEOUT=2 psql -X -q -w -h "$3" -p "$4" -U postgres -d postgres \
    -Atc 'select 1' 2>/dev/null) || exit 1
[ "$out" = 1 ]
