-- A client's page without reading their notes: the logbook's rows (date, kind, course, status,
-- title) come from this index alone, newest first, instead of from the entry rows, whose bodies
-- (1–5 KB, spilling onto overflow pages) stand before `status`. Opening a 500-note client read
-- ~2 MB of pages for this; it now reads ~20. It covers what entry_client_time served.
CREATE INDEX entry_summary ON entry (client_id, occurred_at, id, course_id, kind, status, title);
DROP INDEX entry_client_time;

-- The search index is no longer merged inside the commit that wrote to it. FTS5's automatic
-- merge ran in whichever save crossed its write counter, ~1 save in 20, and wrote 64 × the
-- index's levels in pages (1,360 pages, ~130 ms, in a 150,000-note vault). Merging now happens
-- when the therapist is not typing (`Vault::tidy_search_index`); FTS5 still merges a level on
-- its own once it holds 16 segments (`crisismerge`), which keeps it bounded meanwhile.
INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);
