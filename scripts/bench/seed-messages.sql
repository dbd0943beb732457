-- Seeds a PostgreSQL demo database with about :messages messages (10⁶ unless given) for
-- scripts/bench-messages and scripts/bench-scale: 100 000 synthetic members of the first demo
-- member's fund (valid NIRs), :messages / 4 threads (250 000 by default) over the last year
-- with 4 messages each, spread over those members, and 150 threads (600 messages) for the
-- first demo member, whose inbox is measured: the same at every size. Runs after `caisse
-- demo` created the schema.
--
--   psql [-v messages=10000000] -f scripts/bench/seed-messages.sql URL
\set ON_ERROR_STOP on
\if :{?messages}
\else
\set messages 1000000
\endif
SELECT ceil(:messages / 4.0)::bigint AS threads \gset
\ir message-months.sql
BEGIN;
CREATE TEMP TABLE bench_fund AS
  SELECT id AS member_id, caisse_code FROM members WHERE nir = '185057800608491';

INSERT INTO members (id, nir, last_name, first_name, birth_date, sex, caisse_code,
                     address_line1, postal_code, city, created_at, updated_at)
SELECT gen_random_uuid(),
       n13 || lpad((97 - (n13::bigint % 97))::text, 2, '0'),
       'CHARGE', 'Membre', DATE '1980-01-15', '1', f.caisse_code,
       g || ' rue de la Charge', '78000', 'Versailles', now(), now()
FROM generate_series(1, 100000) AS g,
     -- Commune 001–101 and order 001–999 (a NIR with commune or order 000 does not parse:
     -- those members could not send).
     LATERAL (SELECT '1800178' || lpad((1 + (g - 1) / 999)::text, 3, '0')
                     || lpad((1 + (g - 1) % 999)::text, 3, '0') AS n13) AS n,
     bench_fund AS f;

CREATE TEMP TABLE bench_members AS
  SELECT id, row_number() OVER (ORDER BY id) AS rank FROM members WHERE last_name = 'CHARGE';

-- The threads: member (g mod 100 000), created over the last 365 days, mostly answered.
INSERT INTO message_threads (id, reference, member_id, caisse_code, recipient_code, objet_code,
                             nature_code, subject, subject_search, status, due_on,
                             assigned_staff_id, team, version, unread_by_member,
                             created_at, updated_at, closed_at)
SELECT gen_random_uuid(), 'B-' || lpad(g::text, 12, '0'), m.id, f.caisse_code, 'caisse',
       'remboursement.feuille_de_soins', 'demande_renseignements',
       'Feuille de soins ' || g, 'feuille de soins ' || g,
       CASE WHEN g % 10 = 0 THEN 'en_attente' WHEN g % 10 = 1 THEN 'en_cours' ELSE 'traite' END,
       (t.created_at + INTERVAL '10 days')::date, NULL, NULL, 3, false,
       t.created_at, t.created_at + INTERVAL '2 days',
       CASE WHEN g % 10 >= 2 THEN t.created_at + INTERVAL '2 days' END
FROM generate_series(1, :threads) AS g
JOIN bench_members AS m ON m.rank = (g % 100000) + 1
CROSS JOIN bench_fund AS f
CROSS JOIN LATERAL (SELECT now() - (g % 365) * INTERVAL '1 day' - (g % 86400) * INTERVAL '1 second'
                    AS created_at) AS t;

-- The measured member's own history: 150 threads.
INSERT INTO message_threads (id, reference, member_id, caisse_code, recipient_code, objet_code,
                             nature_code, subject, subject_search, status, due_on,
                             assigned_staff_id, team, version, unread_by_member,
                             created_at, updated_at, closed_at)
SELECT gen_random_uuid(), 'B-M' || lpad(g::text, 11, '0'), f.member_id, f.caisse_code, 'caisse',
       'attestation.droits', 'demande_renseignements',
       'Ma demande ' || g, 'ma demande ' || g,
       CASE WHEN g % 5 = 0 THEN 'en_cours' ELSE 'traite' END,
       (now() - g * INTERVAL '2 days' + INTERVAL '3 days')::date, NULL, NULL, 3, g % 7 = 0,
       now() - g * INTERVAL '2 days', now() - g * INTERVAL '2 days' + INTERVAL '1 day',
       CASE WHEN g % 5 <> 0 THEN now() - g * INTERVAL '2 days' + INTERVAL '1 day' END
FROM generate_series(1, 150) AS g CROSS JOIN bench_fund AS f;

-- Four messages per thread: question, answer, follow-up, answer. Each id is a UUIDv7 of the
-- message's instant (48 bits of milliseconds, version 7, random bits, variant 10), as the
-- portal makes them: the message lands in its month's partition (message-months.sql).
INSERT INTO messages (id, thread_id, member_id, author_kind, author_staff_id, body, internal,
                      created_at)
SELECT (lpad(to_hex(floor(extract(epoch FROM m.at) * 1000)::bigint), 12, '0') || '7'
        || substr(r.hex, 1, 3) || substr('89ab', 1 + floor(random() * 4)::int, 1)
        || substr(r.hex, 4, 15))::uuid,
       t.id, t.member_id, CASE WHEN k % 2 = 1 THEN 'member' ELSE 'staff' END, NULL,
       CASE WHEN k % 2 = 1
            THEN 'Bonjour, je n''ai pas reçu le remboursement de ma consultation du mois dernier. Pouvez-vous vérifier ? Merci.'
            ELSE 'Bonjour, votre feuille de soins a bien été traitée ; le virement apparaîtra sous 48 heures. Cordialement.' END,
       false, m.at
FROM message_threads AS t CROSS JOIN generate_series(1, 4) AS k
CROSS JOIN LATERAL (SELECT t.created_at + (k - 1) * INTERVAL '6 hours' AS at) AS m
CROSS JOIN LATERAL (SELECT md5(t.id::text || k || random()) AS hex) AS r
WHERE t.reference LIKE 'B-%';
COMMIT;
ANALYZE members;
ANALYZE message_threads;
ANALYZE messages;
SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM message_threads) AS threads,
       (SELECT count(*) FROM members) AS members;
