-- Seeds a PostgreSQL demo database with :dossiers dossiers for scripts/bench-dossiers, after
-- `caisse demo` created the schema and filed the demo's dossiers.
--
-- :members synthetic members of Julien MARTIN's fund; each dossier is a copy of the demo's
-- filed birth declaration (its answers and version), for one of them, in the advisors' fund:
-- 5 % drafts, 8 % filed, 5 % in instruction, 2 % to complete, the rest decided, with due dates
-- spread over four months around today and the two demo teams. A fund's whole history in one
-- table: the queue lists the open ones among a million.
--
--   psql -v dossiers=1000000 -v members=100000 -f scripts/bench/seed-dossiers.sql URL
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_template AS
  SELECT d.caisse_code, d.procedure_code, d.procedure_version, d.answers, m.iban
  FROM dossiers AS d JOIN members AS m ON m.id = d.member_id
  WHERE m.nir = '185057800608491' AND d.procedure_code = 'declaration-naissance'
  LIMIT 1;
CREATE TEMP TABLE bench_teams AS
  SELECT id, row_number() OVER (ORDER BY code) - 1 AS n FROM teams
  WHERE caisse_code = (SELECT caisse_code FROM bench_template) AND code IN ('droits', 'prestations');

INSERT INTO members (id, nir, last_name, first_name, birth_date, sex, caisse_code,
                     address_line1, postal_code, city, created_at, updated_at, iban)
SELECT md5('bench-dossier-member-' || g)::uuid,
       n13 || lpad((97 - (n13::bigint % 97))::text, 2, '0'),
       'DOSSIER', 'Membre', DATE '1984-06-15', '1', t.caisse_code,
       g || ' rue des Démarches', '78000', 'Versailles', now(), now(), t.iban
FROM generate_series(1, :members) AS g,
     -- Commune 201–301, order number 001–999: numbers the NIR parser accepts.
     LATERAL (SELECT '1840678' || lpad((201 + g / 999)::text, 3, '0')
                     || lpad((1 + g % 999)::text, 3, '0') AS n13) AS n,
     bench_template AS t
ON CONFLICT DO NOTHING;

INSERT INTO dossiers (id, caisse_code, member_id, person_rank, procedure_code, procedure_version,
                      filed_as, filed_by, state, answers, team_id, assignee_id, created_at,
                      updated_at, submitted_at, due_on, paused_on, decided_at, reasons,
                      completion_request, expires_on, expiry_notice_sent, event_count, event_head)
SELECT md5('bench-dossier-' || g)::uuid, t.caisse_code,
       md5('bench-dossier-member-' || (1 + g % :members))::uuid, 1, t.procedure_code,
       t.procedure_version, 'member', NULL, s.state, t.answers,
       (SELECT id FROM bench_teams WHERE n = g % 2), NULL,
       now() - make_interval(days => (g % 700)), now() - make_interval(days => (g % 700)),
       CASE WHEN s.state = 'brouillon' THEN NULL ELSE now() - make_interval(days => (g % 700)) END,
       CASE WHEN s.state = 'brouillon' THEN NULL ELSE current_date - 60 + (g % 120) END,
       CASE WHEN s.state = 'a_completer' THEN current_date - (g % 10) END,
       CASE WHEN s.state IN ('acceptee', 'refusee') THEN now() - make_interval(days => (g % 600)) END,
       CASE WHEN s.state = 'refusee' THEN '["Les pièces demandées n''ont pas été transmises."]' END,
       CASE WHEN s.state = 'a_completer'
            THEN '{"message":"Joignez l''acte de naissance.","fields":["acte_naissance"]}' END,
       CASE WHEN s.state = 'brouillon' THEN current_date + 30 END,
       false, 0, ''
FROM generate_series(1, :dossiers) AS g,
     LATERAL (SELECT CASE
                WHEN g % 100 < 5 THEN 'brouillon'
                WHEN g % 100 < 13 THEN 'deposee'
                WHEN g % 100 < 18 THEN 'en_instruction'
                WHEN g % 100 < 20 THEN 'a_completer'
                WHEN g % 100 < 90 THEN 'acceptee'
                ELSE 'refusee' END AS state) AS s,
     bench_template AS t;
COMMIT;
ANALYZE dossiers;
ANALYZE members;
SELECT state, count(*) FROM dossiers GROUP BY state ORDER BY state;
