-- Hostile rule: each evaluation builds about half of the determinism
-- test's memory limit (24 MB) and leaves it as garbage. The limit counts
-- what is alive: an allocation over it is refused once, Lua collects in
-- an emergency and asks again, and only a second refusal trips. So the
-- garbage of earlier evaluations in the same worker never counts, and the
-- outcome is the same with every --jobs.
-- level: city
-- expect: pass: built
return {
  id = "hostile.memory_garbage_of_earlier",
  title = "hostile: memory left by earlier evaluations",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local t = {}
    for i = 1, 150000 do t[i] = { i } end
    return pass("built")
  end,
}
