-- Hostile rule: the allocations of an outcome made at file level, changed
-- during evaluation.
-- expect: error: file-level tables are read-only during evaluation; use a local
local D = distribute({ ["440100"] = 100 })
return {
  id = "hostile.state_outcome_allocations",
  title = "hostile: state_outcome_allocations",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    D.allocations["440300"] = 100
    return D
  end,
}
