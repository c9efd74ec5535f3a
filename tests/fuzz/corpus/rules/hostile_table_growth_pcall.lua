-- Hostile rule: table growth pcall.
-- expect: error: memory limit exceeded
return {
  id = "hostile.table_growth_pcall",
  title = "hostile: table_growth_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    pcall(function() local t = {} for i = 1, 1e9 do t[i] = {} end end) return pass()
  end,
}
