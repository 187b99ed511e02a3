-- Schema 9: the books' configuration travels between the household's desktops too. A field's
-- clock may carry a detail a tombstone needs (where a deleted category's lines went).
ALTER TABLE field_clocks ADD COLUMN detail TEXT;
