-- Hostile rule: table concat pcall.
-- expect: error: memory limit exceeded
return {
  id = "hostile.table_concat_pcall",
  title = "hostile: table_concat_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    pcall(function() local s = ("x"):rep(1000) for i = 1, 30 do s = table.concat({s, s, s}) end end) return pass()
  end,
}
