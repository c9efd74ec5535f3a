-- Hostile rule: endless loop pcall.
-- expect: error: instruction budget exceeded
return {
  id = "hostile.endless_loop_pcall",
  title = "hostile: endless_loop_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    while true do pcall(function() while true do end end) end
  end,
}
