-- Spaces are listed in creation order by seq, and cursors say "after seq n". seq was the
-- largest one plus one, so a space created after the newest ones were deleted took a number a
-- cursor had passed, and a client paging the list never saw it. The largest seq ever given is
-- kept here; a new space takes one more than it (or than any space, after a restore).
CREATE TABLE space_seq (last INTEGER NOT NULL);
INSERT INTO space_seq (last) SELECT coalesce(max(seq), 0) FROM spaces;
