-- Hostile rule: gc finalizer loop.
-- expect: error: setmetatable: __gc is not allowed in rules
return {
  id = "hostile.gc_finalizer_loop",
  title = "hostile: gc_finalizer_loop",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    for i = 1, 1000 do setmetatable({}, {__gc = function() local t = {} while true do t = {t} end end}) end return pass()
  end,
}
