"""Reading list pages and article pages across the real CMS markups."""
