-- Hostile rule: string doubling pcall.
-- expect: error: memory limit exceeded
return {
  id = "hostile.string_doubling_pcall",
  title = "hostile: string_doubling_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    pcall(function() local s = "x" while true do s = s .. s end end) return pass()
  end,
}
