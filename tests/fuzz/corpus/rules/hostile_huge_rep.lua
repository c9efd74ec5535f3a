-- Hostile rule: huge rep.
-- expect: error: memory limit exceeded
return {
  id = "hostile.huge_rep",
  title = "hostile: huge_rep",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return fail(string.rep("x", 1e9))
  end,
}
