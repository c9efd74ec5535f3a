-- Hostile rule: sql fts3 tokenizer.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_fts3_tokenizer",
  title = "hostile: sql_fts3_tokenizer",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT fts3_tokenizer('simple')")
  end,
}
