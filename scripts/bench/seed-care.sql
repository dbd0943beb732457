-- Seeds a PostgreSQL demo database with about :lines care lines for scripts/bench-payments,
-- after `caisse demo` created the schema and ran the claims engine on the demo's year of care.
--
-- :members synthetic members of Julien MARTIN's fund (valid NIRs, his rights, médecin
-- traitant and IBAN) get sheets of 2 or 3 lines (2.5 on average), each line copied from one
-- of Julien's own paid one-line sheets (so every code, amount and rule is one the engine
-- wrote) and each sheet's totals the sum of its lines' sheets, on days spread over the last
-- 700 days, one payment per sheet; Julien gets the same history on top of his own, as the
-- member whose pages are measured. Ids are md5 of the row's number, so the lines find their
-- sheet and the sheets their payment without a join table.
--
-- With -v own=K (scripts/bench-scale), Julien's part no longer depends on :lines: the
-- :lines go to the synthetic members only, and Julien gets exactly K more sheets (their
-- templates and days fixed, one every 700 / K days), the same at every size.
--
--   psql -v lines=10000000 -v members=100000 [-v own=40] -f scripts/bench/seed-care.sql URL
\set ON_ERROR_STOP on
\if :{?own}
\else
\set own -1
\endif
BEGIN;
CREATE TEMP TABLE bench_template AS
  SELECT id AS member_id, caisse_code, iban FROM members WHERE nir = '185057800608491';

-- Julien's paid one-line sheets of rank 1 to the member, and their lines and payments.
CREATE TEMP TABLE tpl_sheets AS
  SELECT s.*, row_number() OVER (ORDER BY s.id) - 1 AS tpl_no
  FROM care_sheets AS s JOIN bench_template AS t ON s.member_id = t.member_id
  WHERE s.state = 'payee' AND s.payee = 'member' AND s.rank = 1 AND s.payment_id IS NOT NULL
    AND (SELECT count(*) FROM care_lines AS l
         WHERE l.sheet_id = s.id AND l.date_of_care = s.date_of_care) = 1;
CREATE TEMP TABLE tpl_lines AS
  SELECT l.*, s.tpl_no FROM care_lines AS l
  JOIN tpl_sheets AS s ON l.sheet_id = s.id AND l.date_of_care = s.date_of_care;
CREATE TEMP TABLE tpl_payment AS
  SELECT p.* FROM payments AS p WHERE p.id = (SELECT payment_id FROM tpl_sheets LIMIT 1);

SELECT count(*) AS tpl_count FROM tpl_sheets \gset
SELECT ceil(:lines / 2.5)::bigint AS sheets \gset
-- The members who share the :lines: Julien (0) among them, unless he has his own K sheets.
SELECT CASE WHEN :own < 0 THEN :members + 1 ELSE :members END AS sharing \gset
-- Days between two sheets of a member, so that their history fits in 700 days (the months
-- the worker made partitions for).
SELECT greatest(1, floor(700 / ceil(:sheets::numeric / :sharing)))::int AS spacing,
       greatest(1, floor(700 / greatest(:own, 1)))::int AS own_spacing \gset
\echo :tpl_count template lines: :sheets sheets, one every :spacing days per member

INSERT INTO members (id, nir, last_name, first_name, birth_date, sex, caisse_code,
                     address_line1, postal_code, city, created_at, updated_at, iban)
SELECT md5('bench-member-' || g)::uuid,
       n13 || lpad((97 - (n13::bigint % 97))::text, 2, '0'),
       'SOINS', 'Membre', DATE '1980-02-15', '1', t.caisse_code,
       g || ' rue des Soins', '78000', 'Versailles', now(), now(), t.iban
FROM generate_series(1, :members) AS g,
     -- Commune 001–101, order number 001–999: numbers the NIR parser accepts.
     LATERAL (SELECT '1800278' || lpad((1 + g / 999)::text, 3, '0')
                     || lpad((1 + g % 999)::text, 3, '0') AS n13) AS n,
     bench_template AS t;

INSERT INTO coverage_periods (id, member_id, regime_code, code_gestion, caisse_code,
                              valid_from, valid_to, local_regime)
SELECT gen_random_uuid(), md5('bench-member-' || g)::uuid, c.regime_code, c.code_gestion,
       c.caisse_code, c.valid_from, c.valid_to, c.local_regime
FROM generate_series(1, :members) AS g
CROSS JOIN coverage_periods AS c JOIN bench_template AS t ON c.member_id = t.member_id;

INSERT INTO declared_doctors (id, member_id, rank, doctor_name, declared_on)
SELECT gen_random_uuid(), md5('bench-member-' || g)::uuid, d.rank, d.doctor_name, d.declared_on
FROM generate_series(1, :members) AS g
CROSS JOIN declared_doctors AS d JOIN bench_template AS t ON d.member_id = t.member_id
WHERE d.rank = 1;

-- Sheet g (1 … sheets): member g mod (members + 1) (0 is Julien), or 1 + g mod members with
-- -v own; its day is the member's round times spacing back, and v = g. With -v own, sheets
-- sheets + k (k = 1 … own) are Julien's, with v = k and a day of their own. A sheet's lines
-- i = 0, 1 (and 2 for odd v) are the template lines (3v + i) mod tpl_count.
CREATE TEMP TABLE bench_parts AS
  SELECT n.g, i, (n.v * 3 + i) % :tpl_count AS tpl_no, n.member_no, n.day
  FROM (SELECT g, g AS v,
               CASE WHEN :own < 0 THEN g % :sharing ELSE 1 + g % :sharing END AS member_no,
               (current_date - (1 + (g / :sharing) * :spacing + g % :spacing)::int) AS day
        FROM generate_series(1, :sheets) AS g
        UNION ALL
        SELECT :sheets + k, k, 0,
               (current_date - (1 + (k - 1) * :own_spacing + k % :own_spacing)::int)
        FROM generate_series(1, :own) AS k) AS n,
       generate_series(0, 2) AS i
  WHERE i < 2 + n.v % 2;
CREATE TEMP TABLE bench_sheets AS
  SELECT p.g,
         md5('bench-sheet-' || p.g)::uuid AS id,
         md5('bench-payment-' || p.g)::uuid AS payment_id,
         CASE WHEN min(p.member_no) = 0 THEN min(t.member_id::text)::uuid
              ELSE md5('bench-member-' || min(p.member_no))::uuid END AS member_id,
         min(p.day) AS day,
         min(p.tpl_no) FILTER (WHERE p.i = 0) AS first_tpl,
         sum(s.charged_cents) AS charged_cents, sum(s.base_cents) AS base_cents,
         sum(s.amo_cents) AS amo_cents, sum(s.regime_local_cents) AS regime_local_cents,
         sum(s.deductions_cents) AS deductions_cents, sum(s.paid_cents) AS paid_cents,
         sum(s.withheld_cents) AS withheld_cents, sum(s.member_debt_cents) AS member_debt_cents
  FROM bench_parts AS p
  JOIN tpl_sheets AS s ON s.tpl_no = p.tpl_no
  CROSS JOIN bench_template AS t
  GROUP BY p.g;
COMMIT;

BEGIN;
INSERT INTO payments (id, payment_day, caisse_code, payee_kind, member_id, sender, payee_name,
                      iban, amount_cents, recovered_cents, sheets, created_at, exported_at)
SELECT b.payment_id, least(b.day + 3, current_date), p.caisse_code, p.payee_kind, b.member_id,
       p.sender, p.payee_name, p.iban, b.paid_cents, 0, 1,
       least(b.day + 3, current_date) + TIME '06:00', least(b.day + 3, current_date) + TIME '07:00'
FROM bench_sheets AS b CROSS JOIN tpl_payment AS p;

INSERT INTO care_sheets (id, date_of_care, caisse_code, lot_id, number, member_id, rank, sender,
                         professional, prescriber, tiers_payant, complementary_requested,
                         parcours, lines, charged_cents, fingerprint, state, received_at,
                         liquidated_at, paid_at, rejected_at, rejection, payee, base_cents,
                         amo_cents, regime_local_cents, deductions_cents, paid_cents,
                         withheld_cents, member_debt_cents, payment_id, payment_day)
SELECT b.id, b.day, s.caisse_code, s.lot_id, b.g, b.member_id, s.rank, s.sender,
       s.professional, s.prescriber, s.tiers_payant, s.complementary_requested,
       s.parcours, s.lines, b.charged_cents, md5('bench-fingerprint-' || b.g), 'payee',
       b.day + TIME '18:00', b.day + TIME '23:00', least(b.day + 3, current_date) + TIME '06:00',
       NULL, NULL, s.payee, b.base_cents, b.amo_cents, b.regime_local_cents,
       b.deductions_cents, b.paid_cents, b.withheld_cents, b.member_debt_cents, b.payment_id,
       least(b.day + 3, current_date)
FROM bench_sheets AS b JOIN tpl_sheets AS s ON s.tpl_no = b.first_tpl;
COMMIT;

BEGIN;
INSERT INTO care_lines (sheet_id, date_of_care, line_no, member_id, code, category, quantity,
                        coefficient_hundredths, charged_cents, tariff_cents, base_cents, rate_bp,
                        rate_rule, amo_cents, regime_local_rate_bp, regime_local_cents,
                        c2s_cents, excess_cents, deduction_kind, deduction_due_cents,
                        deduction_applied_cents, deduction_limit)
SELECT b.id, b.day, p.i + 1, b.member_id, l.code, l.category, l.quantity,
       l.coefficient_hundredths, l.charged_cents, l.tariff_cents, l.base_cents, l.rate_bp,
       l.rate_rule, l.amo_cents, l.regime_local_rate_bp, l.regime_local_cents,
       l.c2s_cents, l.excess_cents, l.deduction_kind, l.deduction_due_cents,
       l.deduction_applied_cents, l.deduction_limit
FROM bench_parts AS p
JOIN bench_sheets AS b ON b.g = p.g
JOIN tpl_lines AS l ON l.tpl_no = p.tpl_no;
COMMIT;

ANALYZE members;
ANALYZE coverage_periods;
ANALYZE declared_doctors;
ANALYZE payments;
ANALYZE care_sheets;
ANALYZE care_lines;
SELECT (SELECT count(*) FROM care_lines) AS care_lines,
       (SELECT count(*) FROM care_sheets) AS care_sheets,
       (SELECT count(*) FROM payments) AS payments,
       (SELECT count(*) FROM members) AS members;
