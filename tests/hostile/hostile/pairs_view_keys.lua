-- Hostile rule: views as keys; their only order is their addresses, which
-- change from run to run and with --jobs, and here the remainder goes to
-- whichever city comes first. pairs refuses such keys.
-- expect: error: pairs: keys that are tables, functions or userdata have no fixed order
return {
  id = "hostile.pairs_view_keys",
  title = "hostile: pairs over view keys",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local pop = {}
    for _, c in ipairs(r:children("city")) do pop[c] = 1 end
    local alloc, left, first = {}, 1000, nil
    for c in pairs(pop) do
      first = first or c.code
      alloc[c.code] = 1
      left = left - 1
    end
    alloc[first] = alloc[first] + left
    return distribute(alloc)
  end,
}
