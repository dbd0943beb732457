-- Seeds a PostgreSQL demo database for scripts/bench-agenda, after `caisse demo` created the
-- schema and the demo agenda: :advisors advisors in Julien MARTIN's fund (the demo's
-- `conseiller` and :advisors − 1 more), each taking phone appointments Monday to Friday from
-- 9:00 to 12:00 and from 13:30 to 16:30 (Paris time), and three months of bookings: the last
-- 90 days honoured, the next 90 days confirmed on 90 % of each advisor's half-hours. The
-- search reads a fund's whole agenda among ~300,000 appointments.
--
--   psql -v advisors=200 -f scripts/bench/seed-agenda.sql URL
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_fund AS
  SELECT s.caisse_code, s.password_hash, m.id AS motif_id
  FROM staff AS s JOIN agenda_motifs AS m ON m.caisse_code = s.caisse_code AND m.code = 'c2s'
  WHERE s.login = 'conseiller';

INSERT INTO staff (id, login, display_name, role, caisse_code, password_hash, active, created_at)
SELECT md5('bench-agenda-staff-' || g)::uuid, 'bench-agenda-' || g, 'Conseiller ' || g,
       'conseiller', f.caisse_code, f.password_hash, true, now()
FROM generate_series(2, :advisors) AS g, bench_fund AS f;

CREATE TEMP TABLE bench_advisors AS
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff
  WHERE caisse_code = (SELECT caisse_code FROM bench_fund)
    AND (login = 'conseiller' OR login LIKE 'bench-agenda-%');

-- The demo advisor keeps their hours; the others get mornings and afternoons by phone.
INSERT INTO agenda_hours (id, staff_id, channel, weekday, start_minute, end_minute, site_id)
SELECT gen_random_uuid(), a.id, 'telephone', d, h.s, h.e, NULL
FROM bench_advisors AS a, generate_series(1, 5) AS d, (VALUES (540, 720), (810, 990)) AS h(s, e)
WHERE a.id IN (SELECT id FROM staff WHERE login LIKE 'bench-agenda-%');

-- Every half-hour of those hours, 90 days back and 90 ahead, 9 in 10 booked.
INSERT INTO appointments (id, caisse_code, member_id, staff_id, motif_id, channel, starts_at,
                          ends_at, status, phone, booked_by, created_at, updated_at)
SELECT gen_random_uuid(), f.caisse_code,
       md5('bench-agenda-member-' || ((a.n * 7919 + d.i * 31 + t.m) % 50000))::uuid, a.id,
       f.motif_id, 'telephone', slot.starts_at, slot.starts_at + interval '30 minutes',
       CASE WHEN slot.starts_at < now() THEN 'honore' ELSE 'confirme' END, '+33612345678', NULL,
       now(), now()
FROM bench_fund AS f, bench_advisors AS a,
     generate_series(-90, 90) AS d(i),
     (SELECT generate_series(540, 690, 30) AS m UNION ALL SELECT generate_series(810, 960, 30)) AS t,
     LATERAL (SELECT ((current_date + d.i)::timestamp + make_interval(mins => t.m))
                     AT TIME ZONE 'Europe/Paris' AS starts_at) AS slot
WHERE extract(isodow FROM current_date + d.i) <= 5
  AND (a.n * 13 + d.i * 7 + t.m / 30) % 10 <> 0;
COMMIT;
ANALYZE staff;
ANALYZE agenda_hours;
ANALYZE appointments;
SELECT count(*) AS appointments FROM appointments;
