-- pgbench script: one single-row INSERT per transaction into a table shaped like `messages`.
INSERT INTO bench_single_row (id, thread_id, body, created_at)
VALUES (gen_random_uuid(), gen_random_uuid(),
        'Bonjour, j''ai envoyé une feuille de soins papier il y a trois semaines.', now());
