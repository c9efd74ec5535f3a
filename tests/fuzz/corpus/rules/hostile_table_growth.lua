-- Hostile rule: table growth.
-- expect: error: memory limit exceeded
return {
  id = "hostile.table_growth",
  title = "hostile: table_growth",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = {} for i = 1, 1e9 do t[i] = i end return pass()
  end,
}
