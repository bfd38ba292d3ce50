-- 0013_email_service: reserved for the Cloudflare Email Service relay kind.
SELECT 1;
