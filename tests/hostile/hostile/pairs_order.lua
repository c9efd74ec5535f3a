-- Hostile rule: a result that depends on the order of pairs over string
-- keys, which Lua's per-process hash seed changes from run to run. pairs
-- visits keys in a fixed order: numbers, strings bytewise, false, true.
-- expect: pass: 1,2,3,k1,k10,k11,k12,k2,k3,k4,k5,k6,k7,k8,k9,false,true,
return {
  id = "hostile.pairs_order",
  title = "hostile: pairs_order",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = { 10, 20, 30, [true] = 1, [false] = 0 }
    for i = 1, 12 do t["k" .. i] = i end
    local s = ""
    for k in pairs(t) do s = s .. tostring(k) .. "," end
    return pass(s)
  end,
}
