local function rule(id)
  return {
    id = id,
    title = "不在本部门目录",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  }
end
return { rule("education.per_pupil"), rule("healthcare.per_capita") }
