-- Hostile rule: a pattern bomb (C code the instruction hook cannot stop) for
-- one city; the supervisor stops the worker at the deadline and the other
-- cities of the unit are evaluated again by a new worker.
-- region: 440300
-- expect: error: timeout: no result within 3 s, the worker was stopped
return {
  id = "hostile.hang_one_city",
  title = "hostile: hang one city",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    if r.code == "440300" then
      local s = ("a"):rep(3000)
      s:find(".-.-.-b")
    end
    return pass()
  end,
}
