-- pgbench script: the statements one message send through `POST /api/v1/messages` executes on
-- PostgreSQL, in the portal's order and transactions, one send per pgbench transaction, for a
-- member drawn at random among the members seeded by scripts/bench/seed-messages.sql (their
-- tokens by seed-tokens.sql). Run with `-M prepared` (the portal's statements are prepared,
-- sqlx's cache) and `-D members=100000`; scripts/bench-messages does.
--
-- Captured with `log_statement = 'all'` on a throwaway cluster (release build, 2026-12-06):
-- the statements below are the portal's, text for text, except that the values it binds are
-- drawn here. What differs, and why:
-- - The token's digest, the ids (UUIDv7, time-ordered, drawn in Rust by the portal) and the
--   thread's reference are computed by PostgreSQL: the digest inside the token's SELECT, the
--   rest as extra columns of the member's read, so the replay makes no round trip the portal
--   does not (a few microseconds of the server's CPU per send).
-- - Timestamps are now(), dates current_date; the due date is today + 10 days (the portal
--   computes it in the fund's calendar).
-- - The subject, the body and the mail's text are the load generator's (the mail carries the
--   reference and the thread's link, as the portal writes it).
-- Not here, because a send does not execute them: the token's use (`UPDATE api_tokens SET
-- last_used_at`, once a minute per token, not during a send right after another request),
-- the rate limit's counters (`INSERT INTO rate_counters … ON CONFLICT`, one statement for
-- every request of the node about four times a second), and the outbox worker's delivery of
-- the mail afterwards (claim, read, record sent: a few statements per batch of up to 100
-- mails; scripts/bench-messages measures it separately).
--
-- A lone send is what this replays: the portal's writer (caisse_core::messaging::writer)
-- counts the send, reads the member by id and writes the thread in one statement. Under load
-- it counts the sends of every send waiting in one upsert, reads their members (`WHERE
-- "members"."id" IN (…)`) and writes all their threads in one statement of the same shape
-- with more rows: that grouping is what the API must win with.

\set k random(1, :members)

-- 1. The bearer token (caisse_web::api::extract::ApiMember → caisse_store::api_tokens::
--    find_usable). Autocommit.
SELECT "api_tokens"."token_hash", "api_tokens"."member_id", "api_tokens"."label", "api_tokens"."created_at", "api_tokens"."last_used_at", "api_tokens"."expires_at", "api_tokens"."revoked_at" FROM "api_tokens" WHERE "api_tokens"."token_hash" = encode(sha256(convert_to('bench-token-' || lpad(CAST(:k AS text), 31, '0'), 'UTF8')), 'hex') AND "api_tokens"."revoked_at" IS NULL AND "api_tokens"."expires_at" > now() AND "api_tokens"."member_id" IN (SELECT "member_id" FROM "accounts" WHERE "accounts"."status" = 'active') LIMIT 1 \gset t_

-- 2. The member's sends of the day (caisse_core::messaging::quotas::count_sends, called by the
--    writer for its batch; alone here): one upsert that returns the day's count, judged
--    afterwards. Autocommit.
INSERT INTO "member_quotas" ("member_id", "day", "sends", "updated_at") VALUES (:t_member_id, current_date, 1, now()) ON CONFLICT ("member_id") DO UPDATE SET "sends" = CASE WHEN member_quotas.day = excluded.day THEN member_quotas.sends + excluded.sends ELSE excluded.sends END, "day" = "excluded"."day", "updated_at" = "excluded"."updated_at" RETURNING "member_id", "sends";

-- 3. The member and their account (caisse_core::messaging::people::with_notices), plus the
--    values the portal draws in Rust (see above). Autocommit.
SELECT "members"."id" AS "A_id", "members"."nir" AS "A_nir", "members"."last_name" AS "A_last_name", "members"."usage_name" AS "A_usage_name", "members"."first_name" AS "A_first_name", "members"."birth_date" AS "A_birth_date", "members"."sex" AS "A_sex", "members"."caisse_code" AS "A_caisse_code", "members"."vitale_serial" AS "A_vitale_serial", "members"."address_line1" AS "A_address_line1", "members"."address_line2" AS "A_address_line2", "members"."postal_code" AS "A_postal_code", "members"."city" AS "A_city", "members"."email" AS "A_email", "members"."phone" AS "A_phone", "members"."iban" AS "A_iban", "members"."created_at" AS "A_created_at", "members"."updated_at" AS "A_updated_at", "accounts"."member_id" AS "B_member_id", "accounts"."password_hash" AS "B_password_hash", "accounts"."status" AS "B_status", "accounts"."created_at" AS "B_created_at", "accounts"."updated_at" AS "B_updated_at", "accounts"."notify_email" AS "B_notify_email", "accounts"."notify_sms" AS "B_notify_sms", "accounts"."bank_frozen" AS "B_bank_frozen", "accounts"."closed_at" AS "B_closed_at", encode(substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) || substring(uuid_send(gen_random_uuid()) FROM 7), 'hex')::uuid AS "x_thread", encode(substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) || substring(uuid_send(gen_random_uuid()) FROM 7), 'hex')::uuid AS "x_message", encode(substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) || substring(uuid_send(gen_random_uuid()) FROM 7), 'hex')::uuid AS "x_event", encode(substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) || substring(uuid_send(gen_random_uuid()) FROM 7), 'hex')::uuid AS "x_mail", 'M-' || extract(year FROM now())::int || '-' || translate(substring(encode(uuid_send(gen_random_uuid()), 'base64') FROM 1 FOR 4), '+/', 'XY') || '-' || translate(substring(encode(uuid_send(gen_random_uuid()), 'base64') FROM 1 FOR 4), '+/', 'XY') AS "x_reference" FROM "members" LEFT JOIN "accounts" ON "members"."id" = "accounts"."member_id" WHERE "members"."id" = :t_member_id LIMIT 1 \gset

-- 4. The thread, its audit event, its confirmation mail and its first message
--    (caisse_store::new_threads::insert_with_events_and_mails): one statement, atomic on its
--    own. Autocommit.
WITH w0 AS (INSERT INTO "message_threads" ("id", "reference", "member_id", "caisse_code", "recipient_code", "objet_code", "nature_code", "subject_search", "subject", "status", "due_on", "team", "version", "unread_by_member", "created_at", "updated_at") VALUES (:x_thread, :x_reference, :t_member_id, :A_caisse_code, 'caisse', 'remboursement.feuille_de_soins', 'demande_renseignements', 'feuille de soins n° ' || CAST(:k AS integer), 'Feuille de soins n° ' || CAST(:k AS integer), 'en_attente', current_date + 10, (SELECT "teams"."code" FROM "team_objets" INNER JOIN "teams" ON "teams"."id" = "team_objets"."team_id" WHERE "team_objets"."caisse_code" = :A_caisse_code AND "team_objets"."objet_code" = 'remboursement.feuille_de_soins'), 1, false, now(), now())), w1 AS (INSERT INTO "audit_events" ("id", "at", "actor_kind", "actor_id", "action", "subject_kind", "subject_id", "ip", "user_agent", "details") VALUES (:x_event, now(), 'member', :t_member_id, 'member.message.sent', 'message_thread', :x_thread, '127.0.0.1', 'message_load', '{"reference":"' || :x_reference || '"}')), w2 AS (INSERT INTO "outbox" ("id", "channel", "recipient", "subject", "body_text", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "created_at", "sent_at", "caisse_code", "sealed_body", "attachment_name", "attachment_type", "attachment_body") VALUES (:x_mail, 'email', :A_email, 'Votre message a bien été envoyé (' || :x_reference || ')', E'Bonjour,\n\nNous avons bien reçu votre message, enregistré sous la référence ' || :x_reference || E'.\nUne réponse vous sera apportée au plus tard le ' || to_char(current_date + 10, 'DD/MM/YYYY') || E'.\n\nVous pouvez suivre cet échange dans votre messagerie :\nhttp://127.0.0.1:18000/messagerie/' || :x_thread || E'\n\nPar sécurité, ce courriel ne reproduit pas le contenu de votre message.\n\nCPAM des Yvelines\n', 'pending', 0, now(), NULL, NULL, now(), NULL, :A_caisse_code, NULL, NULL, NULL, NULL)) INSERT INTO "messages" ("id", "thread_id", "member_id", "author_kind", "author_staff_id", "body", "internal", "created_at") VALUES (:x_message, :x_thread, :t_member_id, 'member', NULL, 'Bonjour, j''ai envoyé une feuille de soins papier il y a trois semaines pour une consultation chez un spécialiste et je ne vois pas encore le remboursement dans mon espace. Pouvez-vous me dire où en est son traitement ? Merci d''avance, bonne journée. (envoi ' || CAST(:k AS integer) || ')', false, now());
