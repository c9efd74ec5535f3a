-- Hostile rule: a gmatch iterator reused after its pattern failed (a Lua
-- 5.4.4 crash vector); the pattern cap refuses the pattern first.
-- expect: error: pattern too long (256 bytes at most)
return {
  id = "hostile.gmatch_too_complex",
  title = "hostile: gmatch too complex",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local it = ("a"):rep(300):gmatch(("a?"):rep(200))
    pcall(it)
    pcall(it)
    return pass()
  end,
}
