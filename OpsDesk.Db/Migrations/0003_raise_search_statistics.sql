-- Full-text search pages are `search @@ q ORDER BY id DESC LIMIT n`. The planner picks between walking
-- the primary key newest-first (fast when q is common) and the GIN index plus a sort (fast when q is
-- rare) from its estimate of how many rows match. With the default statistics it estimates any lexeme
-- it has not sampled at a fixed fraction of the table, so a search for an order number among 1 M
-- tickets walked the whole primary key (1.4-1.8 s) instead of reading a handful of GIN entries
-- (about 3 ms). A larger sample of lexemes makes rare terms look rare. See deploy/bench/RESULTS.md.
ALTER TABLE tickets ALTER COLUMN search SET STATISTICS 10000;
