-- Hostile rule: load function reader.
-- expect: error: only text chunks are allowed
return {
  id = "hostile.load_function_reader",
  title = "hostile: load_function_reader",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local f, err = load(function() return nil end) error(err)
  end,
}
