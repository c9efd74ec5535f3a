local function rule(id, effective)
  return {
    id = id,
    title = "生效期有误",
    basis = "测试",
    kind = "compliance",
    level = "city",
    effective = effective,
    evaluate = function(r) return pass() end,
  }
end
return {
  rule("health.from_string", { from = "2019" }),
  rule("health.since", { since = 2019 }),
  rule("health.bare_year", 2019),
  rule("health.backwards", { from = 2020, to = 2019 }),
  rule("health.fraction", { to = 2019.5 }),
}
