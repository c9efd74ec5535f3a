-- Hostile rule: the __index trick of gc_index_trick, played while the file
-- loads (where no evaluation limit applies).
-- expect: pass: no finalizer
local trap = setmetatable({}, { __index = function(t, k)
  rawset(t, k, function() while true do end end)
end })
local keep = {}
for i = 1, 100 do keep[i] = setmetatable({}, trap) end
return {
  id = "hostile.gc_index_trick_load",
  title = "hostile: gc_index_trick_load",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass("no finalizer")
  end,
}
