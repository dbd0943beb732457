-- Seeds a PostgreSQL demo database with about 10⁶ messages for scripts/bench-messages:
-- 100 000 synthetic members of the first demo member's fund (valid NIRs), 250 000 threads
-- over the last year with 4 messages each, and 150 threads (600 messages) for the first demo
-- member, whose inbox is measured. Runs after `caisse demo` created the schema.
\set ON_ERROR_STOP on
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
     LATERAL (SELECT '1800178' || lpad(g::text, 6, '0') AS n13) AS n,
     bench_fund AS f;

CREATE TEMP TABLE bench_members AS
  SELECT id, row_number() OVER (ORDER BY id) AS rank FROM members WHERE last_name = 'CHARGE';

-- 250 000 threads: member (g mod 100 000), created over the last 365 days, mostly answered.
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
FROM generate_series(1, 250000) AS g
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

-- Four messages per thread: question, answer, follow-up, answer.
INSERT INTO messages (id, thread_id, author_kind, author_staff_id, body, internal, created_at)
SELECT gen_random_uuid(), t.id, CASE WHEN k % 2 = 1 THEN 'member' ELSE 'staff' END, NULL,
       CASE WHEN k % 2 = 1
            THEN 'Bonjour, je n''ai pas reçu le remboursement de ma consultation du mois dernier. Pouvez-vous vérifier ? Merci.'
            ELSE 'Bonjour, votre feuille de soins a bien été traitée ; le virement apparaîtra sous 48 heures. Cordialement.' END,
       false, t.created_at + (k - 1) * INTERVAL '6 hours'
FROM message_threads AS t CROSS JOIN generate_series(1, 4) AS k
WHERE t.reference LIKE 'B-%';
COMMIT;
ANALYZE members;
ANALYZE message_threads;
ANALYZE messages;
SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM message_threads) AS threads,
       (SELECT count(*) FROM members) AS members;
