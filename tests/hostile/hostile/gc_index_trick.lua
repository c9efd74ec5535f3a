-- Hostile rule: a metatable whose own __index rawsets __gc when the guard
-- looks __gc up, so that the finalizer (run with hooks off: no budget, no
-- deadline) would slip in and hang the process at exit. The guard reads
-- raw and installs a copy: no finalizer, the process exits.
-- expect: pass: no finalizer
return {
  id = "hostile.gc_index_trick",
  title = "hostile: gc_index_trick",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local trap = setmetatable({}, { __index = function(t, k)
      if k == "__gc" or k == "__close" or k == "__mode" then
        rawset(t, k, function() while true do end end)
      end
    end })
    for i = 1, 100 do setmetatable({}, trap) end
    local s = string.rep("x", 1000)
    for i = 1, 2000 do s = s .. i end -- garbage: the collector runs
    return pass("no finalizer")
  end,
}
