local function rule(id, needs)
  return {
    id = id,
    title = "循环依赖",
    basis = "测试",
    kind = "compliance",
    level = "city",
    needs = needs,
    evaluate = function(r) return pass() end,
  }
end
return {
  rule("health.a", { "health.b" }),
  rule("health.b", { "health.a" }),
  rule("health.c", { "health.a" }),
  rule("health.d", { "health.good" }),
}
