-- Grows the demo fund's FAQ (781, loaded with the 83 shipped entries at start) to 1,000
-- published entries for scripts/bench-help-api: each new entry takes the question of one
-- shipped entry, the other phrasings of a second and the answer of a third (so the words and
-- their spread are the real ones), under a new slug; then bumps the fund's generation so the
-- node rebuilds its index.
WITH shipped AS (
  SELECT row_number() OVER (ORDER BY e.slug) - 1 AS i, e.slug, v.category, v.question,
         v.alternatives, v.answer, v.review_on
  FROM faq_entries e
  JOIN faq_versions v ON v.entry_id = e.id AND v.version = e.published_version
  WHERE e.caisse_code = '781'
), total AS (SELECT count(*) AS n FROM shipped),
made AS (
  SELECT gen_random_uuid() AS id, a.slug || '-variante-' || k AS slug, a.category,
         a.question, b.alternatives, c.answer, a.review_on
  FROM generate_series(1, 12) AS k
  CROSS JOIN total
  JOIN shipped a ON true
  JOIN shipped b ON b.i = (a.i + k) % total.n
  JOIN shipped c ON c.i = (a.i + 2 * k + 1) % total.n
  ORDER BY k, a.i
  LIMIT 1000 - (SELECT n FROM total)
), entries AS (
  INSERT INTO faq_entries (id, caisse_code, slug, created_at, published_version, draft_version, archived_at)
  SELECT id, '781', slug, now(), 1, NULL, NULL FROM made
  RETURNING id
)
INSERT INTO faq_versions (id, entry_id, version, category, question, alternatives, answer,
                          link_label, link_href, review_on, saved_by, saved_at, published_at, published_by)
SELECT gen_random_uuid(), m.id, 1, m.category, m.question, m.alternatives, m.answer,
       NULL, NULL, m.review_on, NULL, now(), now(), NULL
FROM made m JOIN entries e ON e.id = m.id;

UPDATE faq_funds SET generation = generation + 1 WHERE caisse_code = '781';

SELECT count(*) AS published_entries FROM faq_entries WHERE caisse_code = '781' AND published_version IS NOT NULL;
