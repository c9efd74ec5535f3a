-- Hostile rule (control): distribute of a table built at file level (frozen)
-- gives its allocations, not an empty pass.
-- expect: allocation
local ALLOC = { ["440100"] = 100.5 }
return {
  id = "hostile.distribute_file_level",
  title = "hostile: distribute_file_level",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute(ALLOC)
  end,
}
