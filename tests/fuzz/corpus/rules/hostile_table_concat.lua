-- Hostile rule: table concat.
-- expect: error: memory limit exceeded
return {
  id = "hostile.table_concat",
  title = "hostile: table_concat",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local s = ("x"):rep(1000) for i = 1, 30 do s = table.concat({s, s}) end return pass()
  end,
}
