local function rule(id, needs, kind)
  return {
    id = id,
    title = "needs",
    basis = "测试",
    kind = kind or "compliance",
    level = "city",
    needs = needs,
    evaluate = function(r) return pass() end,
  }
end
return {
  rule("health.orphan", { "health.nowhere" }),
  rule("health.selfish", { "health.selfish" }),
  rule("health.broken", nil, "audit"),
  rule("health.dependent", { "health.broken" }),
  rule("health.chain", { "health.good", "health.orphan" }),
  rule("health.fine", { "health.good" }),
}
