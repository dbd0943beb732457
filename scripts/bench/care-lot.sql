-- Writes to stdout a JSON Lines lot (docs/claims-format.md) of :sheets GP consultations (G,
-- 30 €) for the synthetic members of seed-care.sql, days of care in the last 300 days, each
-- from one of 997 doctors: the claims worker liquidates it while scripts/bench-payments
-- measures the member pages.
--
--   psql -q -v sheets=300000 -v members=100000 -f scripts/bench/care-lot.sql URL > lot.jsonl
\set ON_ERROR_STOP on
COPY (
  SELECT line FROM (
    SELECT 0 AS n,
           '{"lot": {"type_emetteur": "rpps", "emetteur": "10003456789", "numero_lot": 900001}}'
           AS line
    UNION ALL
    SELECT g, json_build_object(
             'numero_feuille', g, 'nir', m.nir, 'rang', 1,
             'type_professionnel', 'rpps',
             'professionnel', (10000000000 + (g % 997) * 7 + 3)::text,
             'date_soins', (current_date - (1 + g % 300))::text,
             'tiers_payant', false, 'part_complementaire', false,
             'parcours', 'medecin_traitant',
             'actes', json_build_array(json_build_object(
               'code_acte', 'G', 'quantite', 1, 'coefficient', '1', 'montant_cents', 3000,
               'ald', false, 'at_mp', false)))::text
    FROM generate_series(1, :sheets) AS g
    JOIN members AS m ON m.id = md5('bench-member-' || (1 + g % :members))::uuid
  ) AS lot ORDER BY n
) TO STDOUT;
