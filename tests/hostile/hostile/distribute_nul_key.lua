-- Hostile rule: a NUL inside a region code (once two allocations of 200 to 440100).
-- expect: error: distribute: region code '440100' contains a NUL byte
return {
  id = "hostile.distribute_nul_key",
  title = "hostile: distribute_nul_key",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute({ ["440100"] = 100, ["440100\0x"] = 200 })
  end,
}
