-- Gives the 100 000 synthetic members of scripts/bench/seed-messages.sql what a member who
-- sends through the API has: an email address (the send's confirmation mail goes there), an
-- active portal account with mail notices on (the demo member's password) and a live API
-- token, for scripts/bench-messages. Runs after seed-messages.sql.
--
-- Member n (1 to 100 000: commune c and order o of their NIR, n = (c − 1) × 999 + o) gets the
-- token `bench-token-` followed by n on 31 digits (43 characters, as long as the tokens the
-- portal issues): both the load generator (examples/message_load.rs --bench-tokens) and the
-- replay (scripts/bench/send-sql.sql) name it so. The database holds its SHA-256 in
-- hex, as the portal stores the tokens it issues (caisse_core::tokens::token_digest).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_charge AS
  SELECT id, (substr(nir, 8, 3)::int - 1) * 999 + substr(nir, 11, 3)::int AS n
  FROM members WHERE last_name = 'CHARGE';

UPDATE members AS m SET email = 'membre.' || c.n || '@charge.example.fr'
FROM bench_charge AS c WHERE m.id = c.id;

INSERT INTO accounts (member_id, password_hash, status, created_at, updated_at,
                      notify_email, notify_sms, bank_frozen)
SELECT c.id, a.password_hash, 'active', now(), now(), true, false, false
FROM bench_charge AS c
CROSS JOIN (SELECT a.password_hash FROM accounts AS a JOIN members AS m ON m.id = a.member_id
            WHERE m.nir = '185057800608491') AS a;

-- last_used_at: now; scripts/bench-messages sets it to now again right before the API's
-- phases, so that a send does not also record its token's use (one UPDATE per token and
-- minute, caisse_core::api_tokens::resolve_api_token), as for a member whose app has just
-- listed their threads before sending. It counts the uses recorded afterwards.
INSERT INTO api_tokens (token_hash, member_id, label, created_at, last_used_at, expires_at)
SELECT encode(sha256(convert_to('bench-token-' || lpad(c.n::text, 31, '0'), 'UTF8')), 'hex'), c.id, 'bench',
       now(), now(), now() + INTERVAL '30 days'
FROM bench_charge AS c;
COMMIT;
ANALYZE members;
ANALYZE accounts;
ANALYZE api_tokens;
SELECT count(*) AS bench_tokens FROM api_tokens WHERE label = 'bench';
