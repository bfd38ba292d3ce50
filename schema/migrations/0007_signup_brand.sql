-- 0007_signup_brand: placeholder until its feature lands (a no-op keeps the journal's order).
select 1;
