local function rule(id)
  return {
    id = id,
    title = "坏 id",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  }
end
return { rule("Health.Per_Capita"), rule("health"), rule("health..x"),
         rule("health.x-y"), rule("health.") }
