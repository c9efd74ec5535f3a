-- Hostile rule: endless loop.
-- expect: error: instruction budget exceeded
return {
  id = "hostile.endless_loop",
  title = "hostile: endless_loop",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    while true do end
  end,
}
