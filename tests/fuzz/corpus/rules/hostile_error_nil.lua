-- Hostile rule: error nil.
-- expect: error: (error object is a nil value)
return {
  id = "hostile.error_nil",
  title = "hostile: error_nil",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    error(nil)
  end,
}
