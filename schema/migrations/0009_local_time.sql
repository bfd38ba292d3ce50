-- 0009_local_time: placeholder until its feature lands (a no-op keeps the journal's order).
select 1;
