local function rule(id, needs)
  return {
    id = id,
    title = "needs 有误",
    basis = "测试",
    kind = "compliance",
    level = "city",
    needs = needs,
    evaluate = function(r) return pass() end,
  }
end
return {
  rule("health.string_needs", "health.good"),
  rule("health.number_need", { 42 }),
  rule("health.second_need", { "health.good", true }),
}
