-- Hostile rule file: the pattern bomb in an __index metamethod the top
-- level triggers.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
local t = setmetatable({}, { __index = function(_, k) return (k):rep(3000):find(".-.-.-b") end })
local _ = t.a
return {
  id = "hostile.load_via_metamethod",
  title = "hostile: load_via_metamethod",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
