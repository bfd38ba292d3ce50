-- 0005_template_blocks: placeholder until its feature lands (a no-op keeps the journal's order).
select 1;
