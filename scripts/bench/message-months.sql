-- Creates the monthly partitions of `messages` (m0034: by the month of the UUIDv7 id) for the
-- 13 months before now, so that messages seeded with ids of their own dates land in their
-- month as the portal's would, rather than in `messages_default`. Nothing on a database
-- where `messages` is not partitioned. Included by scripts/bench/seed-messages.sql.
DO $$
DECLARE
  month date := date_trunc('month', now() - INTERVAL '13 months')::date;
  low text;
  high text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'messages'::regclass) THEN
    RETURN;
  END IF;
  WHILE month <= now()::date LOOP
    SELECT lpad(to_hex((extract(epoch FROM month::timestamp AT TIME ZONE 'UTC') * 1000)::bigint), 12, '0'),
           lpad(to_hex((extract(epoch FROM (month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC') * 1000)::bigint), 12, '0')
      INTO low, high;
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
                   'messages_' || to_char(month, 'YYYY_MM'),
                   substr(low, 1, 8) || '-' || substr(low, 9, 4) || '-0000-0000-000000000000',
                   substr(high, 1, 8) || '-' || substr(high, 9, 4) || '-0000-0000-000000000000');
    month := (month + INTERVAL '1 month')::date;
  END LOOP;
END $$;
