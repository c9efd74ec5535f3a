-- Hostile rule: string doubling.
-- expect: error: memory limit exceeded
return {
  id = "hostile.string_doubling",
  title = "hostile: string_doubling",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local s = "x" while true do s = s .. s end
  end,
}
