-- 0012_webhooks: reserved for outgoing webhooks.
SELECT 1;
