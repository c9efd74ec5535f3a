-- Hostile rule: huge rep pcall.
-- expect: error: memory limit exceeded
return {
  id = "hostile.huge_rep_pcall",
  title = "hostile: huge_rep_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    pcall(string.rep, "x", 1e9) return pass()
  end,
}
